"""Records an agency holds: a collection of its own with a few entities, ingested.

Victim links and missing-person reports must name records the liaison officer's own
agency holds (see ``governance.policy.may_link_victim``); tests that exercise the
victim workflow plant those records with :func:`hold`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

Record = tuple[str, str, dict[str, list[str]]]  # (id, schema, properties)


def person(ident: str, name: str, **props: str) -> Record:
    return ident, "Person", {"name": [name], **{k: [v] for k, v in props.items()}}


def hold(
    store: Store,
    name: str,
    records: list[Record],
    *,
    agency: str = "NCB Stockholm",
    country: str = "SE",
    kind: str = "other",
    sharing: str = "owner",
    **options: Any,
) -> None:
    """Create the collection (owned by ``agency``) and ingest ``records`` into it."""
    with store.begin() as conn:
        create_collection(
            conn,
            build_collection(
                name,
                kind=kind,
                owner_agency=agency,
                owner_country=country,
                sharing=sharing,
                **options,
            ),
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.ftm.jsonl"
        lines = [json.dumps({"id": i, "schema": s, "properties": p}) for i, s, p in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ingest_file(store, path, name)

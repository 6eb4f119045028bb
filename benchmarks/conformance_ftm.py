"""FtM conformance: real FollowTheMoney exports read, stored and exported again, counted.

For every ``*.ftm.json`` / ``*.ftm.jsonl`` file in the folders given (default: the shared
conformance folder ``shared/data/conformance/ftm`` and ``tests/fixtures/yente``), the file is
ingested into its own collection of a temporary SQLite store and exported again as FtM. Counted
from the raw file, without the reader: entities, property values, the entity-level fields of
OpenSanctions/yente exports (``datasets``, ``referents``, ``first_seen``, ``last_seen``) and the
references between entities. Reported: entities kept, values kept and rejected (each rejection
with its reason), entity-level fields kept, references left dangling. Target: every entity kept.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

META = ("datasets", "referents", "first_seen", "last_seen")


def _default_folders() -> list[Path]:
    here = Path(__file__).resolve()
    folders = [here.parents[1] / "tests" / "fixtures" / "yente"]
    for parent in here.parents:
        candidate = parent / "shared" / "data" / "conformance" / "ftm"
        if candidate.is_dir():
            folders.insert(0, candidate)
            break
    return folders


def _read(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _values(entity: dict[str, Any]) -> int:
    return sum(len(v) for v in entity.get("properties", {}).values())


def _references(entities: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(entity, referenced id) pairs whose target is an entity of the same file."""
    from followthemoney import model

    ids = {e["id"] for e in entities}
    pairs: set[tuple[str, str]] = set()
    for entity in entities:
        schema = model.get(entity["schema"])
        if schema is None:
            continue
        for name, values in entity.get("properties", {}).items():
            prop = schema.get(name)
            if prop is not None and prop.type.name == "entity":
                pairs.update((entity["id"], v) for v in values if v in ids)
    return pairs


def check(path: Path, workdir: Path) -> dict[str, Any]:
    from threadline.governance import SYSTEM
    from threadline.ingest.runner import ingest_file
    from threadline.services.export import export_ftm
    from threadline.store import open_store

    sent = _read(path)
    store = open_store(f"sqlite:///{workdir / (path.stem + '.db')}")
    try:
        collection = "conformance"
        result = ingest_file(store, path, collection)
        out = io.StringIO()
        export_ftm(store, collection, out, actor=SYSTEM)
    finally:
        store.close()
    kept = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    kept_ids = {e["id"] for e in kept}
    reasons = Counter(r.reason.split(":")[0] for r in result.rejections)
    return {
        "file": path.name,
        "entities sent": len(sent),
        "entities kept": len(kept_ids & {e["id"] for e in sent}),
        "values sent": sum(_values(e) for e in sent),
        "values kept": sum(_values(e) for e in kept),
        "values rejected": result.job.values_rejected,
        "fields sent": sum(1 for e in sent for m in META if e.get(m)),
        "fields kept": sum(1 for e in kept for m in META if e.get(m)),
        "references": len(_references(sent)),
        "dangling": len({(a, b) for a, b in _references(sent) if b not in kept_ids}),
        "reasons": dict(reasons),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=_default_folders())
    args = parser.parse_args()
    seen: set[str] = set()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for base in args.folders:
            for path in sorted(base.glob("*.ftm.json*")):
                if path.name in seen:  # the same file in the shared folder and the fixtures
                    continue
                seen.add(path.name)
                rows.append(check(path, Path(folder)))
    columns = [c for c in rows[0] if c != "reasons"] if rows else []
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print(
            "| "
            + " | ".join(f"{row[c]:,}" if isinstance(row[c], int) else str(row[c]) for c in columns)
            + " |"
        )
    for row in rows:
        if row["reasons"]:
            print(f"- {row['file']}: values rejected by reason: {row['reasons']}")
    lost = [r["file"] for r in rows if r["entities kept"] < r["entities sent"]]
    raise SystemExit(1 if lost else 0)


if __name__ == "__main__":
    main()

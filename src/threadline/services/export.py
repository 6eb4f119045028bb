"""Exporting collections."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

import orjson

from threadline.exc import NotFound
from threadline.governance import SYSTEM, Actor, may_see_collection
from threadline.governance.audit import record
from threadline.store import Store
from threadline.store.collections import get_collection
from threadline.store.statements import iter_collection_entities


def export_ftm(
    store: Store,
    collection: str,
    out: TextIO,
    progress: Callable[[int], None] | None = None,
    actor: Actor = SYSTEM,
) -> int:
    """Write every entity of a collection as FtM JSON lines; returns how many."""
    count = 0
    with store.begin() as conn:
        target = get_collection(conn, collection)
        assert target.id is not None
        if not may_see_collection(actor, target):
            record(
                conn,
                actor,
                "collection.export",
                target_type="collection",
                target_id=collection,
                outcome="denied",
            )
            raise NotFound(
                f"no collection named {collection!r} (see 'threadline collections list')"
            )
        record(conn, actor, "collection.export", target_type="collection", target_id=collection)
    with store.connect() as conn:
        for entity in iter_collection_entities(conn, target.id):
            out.write(orjson.dumps(entity.to_dict()).decode("utf-8"))
            out.write("\n")
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count

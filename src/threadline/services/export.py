"""Exporting collections."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

import orjson

from threadline.exc import NotFound
from threadline.governance import SYSTEM, Actor, may_see_collection, require_purpose
from threadline.governance.access import Access
from threadline.governance.audit import append
from threadline.governance.shield import redact_entity
from threadline.store import Store
from threadline.store.collections import find_collection
from threadline.store.statements import iter_collection_entities


def export_ftm(
    store: Store,
    collection: str,
    out: TextIO,
    progress: Callable[[int], None] | None = None,
    actor: Actor = SYSTEM,
) -> int:
    """Write every entity of a collection as FtM JSON lines; returns how many.

    A person-revealing read (it needs a purpose). Entities tied to a victim the actor
    may not see are left out, and her identifying values are withheld from the rest.
    """
    require_purpose(actor)
    count = 0
    with store.connect() as conn:
        target = find_collection(conn, collection)
        visible = target is not None and target.id is not None and may_see_collection(actor, target)
        shield = Access(conn, actor).shield
    outcome = "success" if visible else "denied"
    append(store, actor, "collection.export", target_type="collection", target_id=collection,
           outcome=outcome)  # fmt: skip
    if not visible or target is None or target.id is None:
        raise NotFound(f"no collection named {collection!r} (see 'threadline collections list')")
    with store.connect() as conn:
        for entity in iter_collection_entities(conn, target.id):
            if shield.hides(str(entity.id)):
                continue
            out.write(orjson.dumps(redact_entity(entity, shield).to_dict()).decode("utf-8"))
            out.write("\n")
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count

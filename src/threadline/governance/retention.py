"""Review dates: records past review are withdrawn from sharing until the owner renews them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from threadline.exc import InputError
from threadline.governance.actors import Actor
from threadline.governance.audit import record
from threadline.governance.policy import AccessDenied, owns
from threadline.model.collections import REVIEW_PERIOD, Collection
from threadline.store import Store
from threadline.store.collections import get_collection, update_collection


def renew(
    store: Store, actor: Actor, collection: str, reason: str, until: datetime | None = None
) -> Collection:
    """Set a new review date; only the owning agency may, and it must say why."""
    if len(reason.strip()) < 10:
        raise InputError("renewal needs a reason of at least 10 characters")
    now = datetime.now(UTC)
    new_date = until.replace(tzinfo=UTC) if until and until.tzinfo is None else until
    new_date = new_date or now + REVIEW_PERIOD
    if new_date <= now:
        raise InputError("the new review date must be in the future")
    with store.begin() as conn:
        item = get_collection(conn, collection)
        if not owns(actor, item):
            raise AccessDenied("only the owning agency may renew its data")
        updated = update_collection(conn, replace(item, review_at=new_date))
        record(
            conn,
            actor,
            "retention.renew",
            target_type="collection",
            target_id=collection,
            detail={"reason": reason.strip(), "until": new_date.isoformat()},
        )
    return updated

"""Notifications addressed to the caller's agency (for example: a person it reported missing
has been identified), and their acknowledgement.

Governance and the audit event are in the victims package; a notification addressed to
another agency answers 404, like any record hidden from the caller.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from threadline.api.deps import ActorDep, PageDep, StoreDep, paginated, require_role
from threadline.governance import Actor
from threadline.governance.policy import ACKNOWLEDGING_ROLES
from threadline.victims import acknowledge, inbox

router = APIRouter(tags=["notifications"])
Acknowledger = Annotated[Actor, require_role(*sorted(ACKNOWLEDGING_ROLES))]


@router.get("/notifications")
def notifications(
    store: StoreDep,
    actor: ActorDep,
    p: PageDep,
    status: Annotated[
        str | None, Query(max_length=20, description="pending or acknowledged.")
    ] = None,
) -> dict[str, Any]:
    """Notifications addressed to the caller's agency, newest first (paginated)."""
    with store.begin() as conn:
        items, total = inbox(
            conn, actor, status=status, limit=p.limit + 1, offset=p.offset, component="api"
        )
    return paginated([n.to_dict() for n in items], p, total)


@router.post("/notifications/{notification_id}/acknowledge")
def acknowledge_one(
    notification_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    store: StoreDep,
    actor: Acknowledger,
) -> dict[str, Any]:
    """Acknowledge a notification addressed to the caller's agency (who and when are kept)."""
    with store.begin() as conn:
        return acknowledge(conn, actor, notification_id, component="api").to_dict()

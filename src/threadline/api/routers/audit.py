"""The audit log, for auditors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from threadline.api.deps import PageDep, StoreDep, paginated, require_role
from threadline.governance import Actor, Role
from threadline.governance.audit import iter_events, record, verify

router = APIRouter(tags=["audit"])
Auditor = Annotated[Actor, require_role(Role.AUDITOR)]


@router.get("/audit/events")
def events(store: StoreDep, actor: Auditor, p: PageDep) -> dict[str, Any]:
    """Audit events, oldest first (reading the log is itself audited)."""
    with store.begin() as conn:
        record(conn, actor, "audit.read", component="api", detail={"offset": p.offset})
    items: list[dict[str, Any]] = []
    with store.connect() as conn:
        for index, event in enumerate(iter_events(conn)):
            if index < p.offset:
                continue
            if len(items) > p.limit:
                break
            items.append(event.to_dict())
    return paginated(items, p)


@router.get("/audit/verify")
def verify_chain(store: StoreDep, actor: Auditor) -> dict[str, Any]:
    """Check the hash chain; the first broken link if any."""
    with store.connect() as conn:
        result = verify(conn)
    with store.begin() as conn:
        record(
            conn,
            actor,
            "audit.verify",
            component="api",
            outcome="success" if result.ok else "failure",
        )
    return result.to_dict()

"""The audit log, for auditors: their own agency's events (coordinating agencies: all)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from threadline.api.deps import PageDep, StoreDep, paginated, require_role
from threadline.governance import Actor, Role
from threadline.governance.audit import read_events, read_scope, record, verify

router = APIRouter(tags=["audit"])
Auditor = Annotated[Actor, require_role(Role.AUDITOR)]


@router.get("/audit/events")
def events(store: StoreDep, actor: Auditor, p: PageDep) -> dict[str, Any]:
    """Audit events, oldest first: the auditor's agency's, or every agency's for the auditors
    of agencies listed in the ``audit_all_agencies`` setting (reading is itself audited)."""
    scope = read_scope(actor)
    with store.begin() as conn:
        record(conn, actor, "audit.read", detail={"offset": p.offset, "scope": scope.reason})
    with store.connect() as conn:
        found = read_events(conn, scope, offset=p.offset, limit=p.limit + 1)
    return paginated([event.to_dict() for event in found], p)


@router.get("/audit/verify")
def verify_chain(store: StoreDep, actor: Auditor) -> dict[str, Any]:
    """Check the whole chain (every MAC and link, and the anchored head); the first fault."""
    with store.connect() as conn:
        result = verify(conn)
    with store.begin() as conn:
        record(conn, actor, "audit.verify", outcome="success" if result.ok else "failure")
    return result.to_dict()

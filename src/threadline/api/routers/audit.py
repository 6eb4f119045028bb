"""The audit log, for auditors: their own agency's events (coordinating agencies: all)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from threadline.api.deps import PageDep, StoreDep, paginated, require_role
from threadline.governance import Actor, Role
from threadline.services import audit as audit_service

router = APIRouter(tags=["audit"])
Auditor = Annotated[Actor, require_role(Role.AUDITOR)]


@router.get("/audit/events")
def events(store: StoreDep, actor: Auditor, p: PageDep) -> dict[str, Any]:
    """Audit events, oldest first: the auditor's agency's, or every agency's for the auditors
    of agencies listed in the ``audit_all_agencies`` setting (reading is itself audited)."""
    _scope, found = audit_service.events_page(store, actor, offset=p.offset, limit=p.limit + 1)
    return paginated(found, p)


@router.get("/audit/verify")
def verify_chain(store: StoreDep, actor: Auditor) -> dict[str, Any]:
    """Check the whole chain (every MAC and link, and the anchored head); the first fault."""
    return audit_service.check_chain(store, actor).to_dict()

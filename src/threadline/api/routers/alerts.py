"""Alerts for the caller's agency (tracing leads, watchlist hits, safeguarding referrals)
and their triage, with the same contracts as ``threadline alerts``.

Alerts name people, so every read is a person query: it takes ``purpose`` (and
``reference`` where the purpose asks for one). The alerts package checks the role
(analyst, border officer, operation coordinator, victim liaison officer), keeps an
alert of another agency as 404, applies the victim shield and audits every read and
every triage step.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from threadline.alerts import alert_history, list_alerts
from threadline.alerts.service import TRIAGE_ROLES
from threadline.api.deps import PageDep, StoreDep, require_role
from threadline.governance import Actor

router = APIRouter(tags=["alerts"])
Triager = Annotated[Actor, require_role(*sorted(TRIAGE_ROLES))]


class TriageIn(BaseModel):
    state: str = Field(
        max_length=16,
        description="reviewed, confirmed, dismissed or reopened.",
        examples=["dismissed"],
    )
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Why; required to dismiss or re-open.",
        examples=["same name, another person: birth dates years apart"],
    )


@router.get("/alerts")
def alerts(
    store: StoreDep,
    actor: Triager,
    p: PageDep,
    state: Annotated[
        str | None,
        Query(max_length=16, description="new, reviewed, confirmed, dismissed, reopened."),
    ] = None,
    kind: Annotated[
        str | None,
        Query(max_length=32, description="trace_lead, screening_hit, safeguarding, rule."),
    ] = None,
) -> dict[str, Any]:
    """The caller's agency's alerts, most recently changed first (paginated), with the count
    in each state (``states``): the items are what ``threadline alerts list --json`` prints."""
    with store.begin() as conn:
        items, total, states = list_alerts(
            conn, actor, state=state, kind=kind, limit=p.limit + 1, offset=p.offset,
            component="api",
        )  # fmt: skip
    has_more = len(items) > p.limit
    return {
        "items": items[: p.limit],
        "limit": p.limit,
        "offset": p.offset,
        "next_offset": p.offset + p.limit if has_more else None,
        "total": total,
        "states": states,
    }


@router.get("/alerts/{alert_id}")
def alert(
    alert_id: Annotated[int, Path(ge=1, le=2**31 - 1)], store: StoreDep, actor: Triager
) -> dict[str, Any]:
    """One alert with its evidence and every triage step (who, when, why)."""
    with store.begin() as conn:
        return alert_history(conn, actor, alert_id, component="api")


@router.post("/alerts/{alert_id}/triage")
def triage(
    alert_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: TriageIn,
    store: StoreDep,
    actor: Triager,
) -> dict[str, Any]:
    """Move an alert along its states; the answer is the alert with its history. Confirming
    a watchlist hit or a tracing lead also records a linkage judgement ("same"): ``linkage``
    says whether it was recorded, or why not."""
    from threadline.services.alerts import triage as triage_one

    return triage_one(store, actor, alert_id, body.state, body.reason, component="api")

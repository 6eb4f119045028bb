"""Missing-person tracing: runs, leads (report, sighting, score, evidence), a report's trail.

For analysts and victim liaison officers. A run and every read of leads are person
queries: they take ``purpose`` (and ``reference`` where the purpose asks for one)
and are audited by the tracing package; a run matches only the reports and
sightings the caller may see, and only leads whose report and sighting are both in
collections the caller may see are returned.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from threadline.api.deps import PageDep, PurposeActor, StoreDep, paginated
from threadline.governance import Actor, Role
from threadline.governance.policy import AccessDenied

router = APIRouter(tags=["tracing"])

TRACING_ROLES = (Role.ANALYST, Role.VICTIM_LIAISON)


def check_tracer(actor: Actor) -> Actor:
    """The actor, if an analyst or a victim liaison officer (who trace missing persons)."""
    if not any(role in actor.roles for role in TRACING_ROLES):
        raise AccessDenied("tracing needs the analyst or victim_liaison role")
    return actor


def _tracer(actor: PurposeActor) -> Actor:
    return check_tracer(actor)


_tracer.roles = frozenset(TRACING_ROLES)  # type: ignore[attr-defined]  # as require_role's
Tracer = Annotated[Actor, Depends(_tracer)]


class TraceRunOut(BaseModel):
    """A run's summary, as ``threadline trace run --json`` prints it."""

    run_id: int
    reports: int = Field(description="Missing-person reports the caller may see.")
    sightings: int = Field(description="Sightings (people, ads) the caller may see.")
    leads: int
    alerts: int = Field(description="New leads, alerted to the owners of their reports.")
    alerts_raised: int = Field(
        0, description="Alerts new in the inboxes of the reports' owners and the caller's agency."
    )
    alerts_reopened: int = Field(
        0, description="Dismissed alerts re-opened: their evidence changed."
    )
    possible: int = Field(
        0,
        description="Sightings held back from the leads as possible: full birth dates more "
        "than a typing slip apart from the report's (listed with the report, no alert).",
    )


@router.post("/tracing/run", response_model=TraceRunOut)
def run(store: StoreDep, actor: Tracer) -> dict[str, Any]:
    """Match every report the caller may see against every sighting the caller may see
    (needs a purpose; as ``threadline trace run``): the run's summary."""
    from threadline.tracing import run_tracing

    return run_tracing(store, actor).to_dict()


@router.get("/tracing/leads")
def leads(
    store: StoreDep,
    actor: Tracer,
    p: PageDep,
    report: Annotated[str | None, Query(max_length=200, description="Only this report.")] = None,
) -> dict[str, Any]:
    """Leads the caller may see, best first, each with its evidence (needs a purpose)."""
    from threadline.tracing import list_leads

    found = list_leads(store, actor)
    if report:
        found = [lead for lead in found if lead["report_id"] == report]
    return paginated(found[p.offset : p.offset + p.limit + 1], p, len(found))


@router.get("/tracing/reports/{report_id}")
def report(report_id: str, store: StoreDep, actor: Tracer) -> dict[str, Any]:
    """A report's leads and its trail of sightings in time order (needs a purpose)."""
    from threadline.tracing import show_report

    return show_report(store, actor, report_id)

"""Tracing pages: missing-person reports with their leads, evidence and trail.

For analysts and victim liaison officers. Reading leads is a person query: the
page asks for a purpose (and a reference where the purpose needs one) before it
shows anything; the tracing package audits every read.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from threadline.exc import NotFound, ThreadlineError
from threadline.governance import Actor, Purpose
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
Short = Annotated[str, Query(max_length=100)]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _actor(user: WebUser, purpose: str, reference: str) -> Actor | None:
    """The user querying for a purpose (None until a purpose is chosen)."""
    from threadline.api.routers.tracing import check_tracer

    check_tracer(user.actor)
    if purpose not in {p.value for p in Purpose}:
        return None
    return user.actor.for_purpose(purpose, reference.strip() or None)


def _context(purpose: str, reference: str) -> dict[str, Any]:
    return {
        "purposes": [p.value for p in Purpose],
        "purpose": purpose,
        "reference": reference,
        "query": f"purpose={purpose}&reference={reference}" if purpose else "",
    }


@router.get("/tracing", response_class=HTMLResponse)
def reports(request: Request, user: User, purpose: Short = "", reference: Short = "") -> Response:
    from threadline.tracing import list_leads

    actor = _actor(user, purpose, reference)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    error = None
    if actor is not None:
        try:
            for lead in list_leads(_store(request), actor):
                grouped[lead["report_id"]].append(lead)
        except ThreadlineError as exc:
            error = str(exc)
    return page(
        request,
        "tracing.html",
        status=422 if error else 200,
        user=user,
        asked=actor is not None,
        reports=sorted(grouped.items(), key=lambda kv: -max(x["score"] or 0 for x in kv[1])),
        error=error,
        **_context(purpose, reference),
    )


def trail_pictures(trail: list[dict[str, Any]]) -> dict[str, Any]:
    """The trail's map and time axis, drawn from the trail the page lists (so a place
    withheld to protect the person is withheld from the map as well)."""
    from threadline.web.charts import timeline
    from threadline.web.maps import trail_map

    steps = [
        (s["when"], f"step {i}: {s['place'] or 'place unknown'}, {_kind(s)}")
        for i, s in enumerate(trail, start=1)
    ]
    return {
        "trail_map": trail_map(trail, map_id="trail-map"),
        "trail_axis": timeline(steps, chart_id="trail-timeline", label="Trail over time"),
    }


def _kind(step: dict[str, Any]) -> str:
    return str(step.get("sighting_kind") or "sighting").replace("_", " ")


@router.get("/tracing/reports/{report_id}", response_class=HTMLResponse)
def report(
    request: Request, user: User, report_id: str, purpose: Short = "", reference: Short = ""
) -> Response:
    from threadline.tracing import show_report

    actor = _actor(user, purpose, reference)
    view = None
    error = None
    if actor is not None:
        try:
            view = show_report(_store(request), actor, report_id)
        except NotFound:
            raise
        except ThreadlineError as exc:
            error = str(exc)
    return page(
        request,
        "trace_report.html",
        status=422 if error else 200,
        user=user,
        report_id=report_id,
        view=view,
        error=error,
        **(trail_pictures(view["trail"]) if view else {}),
        **_context(purpose, reference),
    )

"""The alerts inbox: the leads, hits and referrals waiting for the user's agency, with the
count in each state, and triage (reviewed, confirmed, dismissed with a reason, re-opened).

Alerts name people, so the page asks why the user is looking first (or takes the purpose
the session remembers); the alerts package checks the role, keeps other agencies' alerts
out, applies the victim shield and audits every read and every step. The list refreshes
itself every 30 seconds (htmx), so a new alert shows without reloading.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from threadline.alerts import KIND_NAMES, MOVES
from threadline.exc import ThreadlineError
from threadline.governance import Actor, Purpose
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
Short = Annotated[str, Query(max_length=100)]
PAGE = 50


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _actor(user: WebUser, purpose: str, reference: str) -> Actor | None:
    """The user looking for a purpose: the one chosen on the page, else the remembered one."""
    if purpose in {p.value for p in Purpose}:
        return user.actor.for_purpose(purpose, reference.strip() or None)
    return user.actor if user.actor.purpose else None


def _listing(
    request: Request,
    user: WebUser,
    *,
    purpose: str,
    reference: str,
    state: str,
    kind: str,
    code: int = 200,
    **extra: Any,
) -> Response:
    from threadline.alerts import list_alerts

    actor = _actor(user, purpose, reference)
    items: list[dict[str, Any]] = []
    states: dict[str, int] = {}
    total, error = 0, extra.pop("error", None)
    if actor is not None:
        try:
            with _store(request).begin() as conn:
                items, total, states = list_alerts(
                    conn, actor, state=state or None, kind=kind or None, limit=PAGE,
                    component="web",
                )  # fmt: skip
        except ThreadlineError as exc:
            error, code = str(exc), 403 if "analysts" in str(exc) else 422
    purpose = actor.purpose.value if actor is not None and actor.purpose else purpose
    reference = (actor.reference or "") if actor is not None else reference
    return page(
        request,
        "alerts.html",
        status=code,
        user=user,
        asked=actor is not None,
        items=items,
        total=total,
        states=states,
        shown_state=state,
        shown_kind=kind,
        kinds=KIND_NAMES,
        moves=MOVES,
        purposes=[p.value for p in Purpose],
        purpose=purpose,
        reference=reference,
        error=error,
        **extra,
    )


@router.get("/alerts", response_class=HTMLResponse)
def alerts(
    request: Request,
    user: User,
    purpose: Short = "",
    reference: Short = "",
    state: Annotated[str, Query(max_length=16)] = "",
    kind: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    return _listing(request, user, purpose=purpose, reference=reference, state=state, kind=kind)


@router.post("/alerts/{alert_id}/triage", response_class=HTMLResponse)
def triage(
    request: Request,
    user: User,
    alert_id: int,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    state: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    purpose: Annotated[str, Form(max_length=100)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    from threadline.services.alerts import triage as triage_one

    check_csrf(user, csrf_token)
    actor = _actor(user, purpose, reference)
    if actor is None:
        return _listing(request, user, purpose="", reference="", state="", kind="", code=422,
                        error="choose why you are looking first")  # fmt: skip
    try:
        done = triage_one(_store(request), actor, alert_id, state, reason or None, component="web")
    except ThreadlineError as exc:
        return _listing(request, user, purpose=purpose, reference=reference, state="", kind="",
                        code=422, error=str(exc))  # fmt: skip
    linkage = done.get("linkage") or {}
    note = f"Alert {alert_id} is now {done['state']}."
    if linkage.get("recorded"):
        note += " Recorded as a linkage judgement: the two records are the same person."
    elif linkage:
        note += f" Not recorded as a linkage judgement: {linkage['reason']}"
    return _listing(
        request, user, purpose=purpose, reference=reference, state="", kind="", note=note
    )

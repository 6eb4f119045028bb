"""Pages: sign-in, dashboard, search, entity, collections and jobs, audit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.api.deps import SESSION_COOKIE
from threadline.exc import InputError, ThreadlineError
from threadline.governance.identity import (
    SESSION_LIFETIME,
    AuthenticationFailed,
    authenticate,
    open_session,
)
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, secure_cookies, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return page(request, "login.html", error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    store = _store(request)
    source = request.client.host if request.client else None
    try:
        user = authenticate(store, username, password, component="web", source=source)
    except AuthenticationFailed as exc:
        return page(request, "login.html", status=401, error=str(exc), username=username)
    with store.begin() as conn:
        secret, _ = open_session(conn, user)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )
    return response


@router.post("/logout")
def logout(request: Request, user: User, csrf_token: Annotated[str, Form()] = "") -> Response:
    from threadline.governance.identity import close_session

    check_csrf(user, csrf_token)
    with _store(request).begin() as conn:
        close_session(conn, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="strict", secure=secure_cookies(request)
    )
    return response


@router.post("/purpose")
def choose_purpose(
    request: Request,
    user: User,
    purpose: Annotated[str, Form(max_length=32)],
    reference: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Set the purpose (and case or operation reference) the user works under: every person
    query on the pages records it, as the API records the one each request names."""
    from threadline.governance import Purpose, require_purpose
    from threadline.web.session import purpose_cookie

    check_csrf(user, csrf_token)
    try:
        chosen = Purpose(purpose)
    except ValueError:
        raise InputError(f"unknown purpose {purpose!r}") from None
    require_purpose(user.actor.for_purpose(chosen, reference.strip() or None))
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    cookie = purpose_cookie(chosen.value, reference.strip(), secure=secure_cookies(request))
    response.raw_headers.extend(h for h in cookie.raw_headers if h[0] == b"set-cookie")
    return response


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, user: User) -> Response:
    from threadline.services.dashboard import (
        dashboard_summary,
        outcomes_by_country,
        screening_activity,
    )
    from threadline.web.charts import Series, bar_chart

    store = _store(request)
    summary = dashboard_summary(store, user.actor)
    days = screening_activity(store, user.actor)
    outcomes = outcomes_by_country(store, user.actor)
    activity_chart = bar_chart(
        [d.day.strftime("%d %b") for d in days],
        [
            Series("screening hits", [d.hits for d in days]),
            Series("safeguarding referrals", [d.referrals for d in days]),
        ],
        chart_id="screening-chart",
        label=f"Screening hits and safeguarding referrals per day, {days[0].day} to {days[-1].day}",
        every=5,
    )
    outcome_chart = bar_chart(
        [o.country for o in outcomes],
        [
            Series("victims identified", [o.victims_identified for o in outcomes]),
            Series("victims rescued", [o.victims_rescued for o in outcomes]),
            Series("arrests", [o.arrests for o in outcomes]),
        ],
        chart_id="outcome-chart",
        label="Operation outcomes per country",
    )
    return page(
        request,
        "dashboard.html",
        user=user,
        summary=summary,
        days=days,
        active_days=[d for d in days if d.hits or d.referrals],
        activity_chart=activity_chart,
        outcomes=outcomes,
        outcome_chart=outcome_chart,
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, user: User, q: str = "", purpose: str = "", reference: str = ""
) -> Response:
    from threadline.governance import Purpose
    from threadline.services.search import search_entities

    results: list[Any] = []
    error = None
    if q:
        try:
            actor = user.actor
            if purpose:
                actor = actor.for_purpose(Purpose(purpose), reference or None)
            results = search_entities(_store(request), actor, q, limit=50)
        except (ThreadlineError, ValueError) as exc:
            error = str(exc) if not isinstance(exc, ValueError) else "choose a purpose"
    return page(
        request,
        "search.html",
        user=user,
        q=q,
        purpose=purpose,
        reference=reference,
        results=results,
        error=error,
        purposes=[p.value for p in Purpose],
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, user: User, entity_id: str) -> Response:
    from threadline.services.entities import get_entity
    from threadline.services.entity_context import entity_context
    from threadline.web.maps import country_map

    store = _store(request)
    view = get_entity(store, entity_id, user.actor)
    context = entity_context(store, view.members, user.actor)
    return page(
        request,
        "entity.html",
        user=user,
        view=view,
        context=context,
        map_svg=country_map(context.countries).svg,
    )


@router.get("/collections", response_class=HTMLResponse)
def collections(request: Request, user: User) -> Response:
    from threadline.ingest import list_readers
    from threadline.services import collections as collections_service

    store = _store(request)
    visible = collections_service.list_visible(store, user.actor)
    jobs = collections_service.list_jobs(store, user.actor, limit=50)
    formats = [r.name for r in list_readers() if r.name != "csv"]
    return page(
        request, "collections.html", user=user, collections=visible, jobs=jobs, formats=formats
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job(request: Request, user: User, job_id: int) -> Response:
    from threadline.services import collections as collections_service

    store = _store(request)
    item, rejections = collections_service.get_job(store, user.actor, job_id)
    _item, warnings = collections_service.get_job_warnings(store, user.actor, job_id)
    return page(request, "job.html", user=user, job=item, rejections=rejections, warnings=warnings)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, user: User, offset: int = 0) -> Response:
    """The audit events the auditor may read (their agency's) and the state of the chain."""
    from threadline.services import audit as audit_service

    store = _store(request)
    scope, events = audit_service.events_page(store, user.actor, offset=offset, limit=200)
    check = audit_service.check_chain(store, user.actor)
    return page(
        request, "audit.html", user=user, events=events, check=check, offset=offset, scope=scope
    )

"""Victim care pages: the list (with the form that opens a record), one record with its
status, consent, referrals timeline and reunification, and the forms that close and
reopen it. Anyone but a victim liaison officer of the owning agency sees pseudonyms
only; the victims package governs and audits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.exc import InputError
from threadline.governance import Role
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
Text = Annotated[str, Form(max_length=500)]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _vocabulary() -> dict[str, Any]:
    from threadline.victims import vocabulary as v

    return {
        "hows": v.IDENTIFIED_HOW,
        "forms_all": v.FORMS,
        "needs_all": v.NEEDS,
        "scopes": v.CONSENT_SCOPES,
        "kinds": v.SERVICE_KINDS,
        "transitions": v.TRANSITIONS,
    }


def _listing(request: Request, user: WebUser, status: int = 200, **extra: Any) -> Response:
    from threadline.victims import list_victims
    from threadline.victims.vocabulary import LIST_STATUSES, OPEN

    shown = request.query_params.get("status") or OPEN
    if shown not in LIST_STATUSES:  # a hand-made address: the list of open records
        shown = OPEN
    with _store(request).begin() as conn:
        views = list_victims(conn, user.actor, status=shown, component="web")
    return page(
        request,
        "victims.html",
        status=status,
        user=user,
        views=views,
        shown=shown,
        list_statuses=LIST_STATUSES,
        liaison=Role.VICTIM_LIAISON in user.actor.roles,
        **_vocabulary(),
        **extra,
    )


@router.get("/victims", response_class=HTMLResponse)
def victims(request: Request, user: User) -> Response:
    return _listing(request, user)


@router.post("/victims", response_class=HTMLResponse)
async def create(request: Request, user: User) -> Response:
    from threadline.victims import build_intake, create_victim

    form = await request.form()
    check_csrf(user, str(form.get("csrf_token", "")))

    def text(key: str) -> str | None:
        return str(form.get(key, "")).strip() or None

    try:
        intake = build_intake(
            identified_on=text("identified_on") or "",
            identified_how=text("identified_how") or "",
            identified_country=text("identified_country") or user.actor.country,
            sex=text("sex"),
            nationality=text("nationality"),
            operation=text("operation"),
            forms=[str(f) for f in form.getlist("forms")],
            needs=[str(n) for n in form.getlist("needs")],
            language=text("language"),
            minor=form.get("minor") == "yes" if form.get("minor") else None,
            personal={"name": text("name"), "date_of_birth": text("date_of_birth")},
        )
        with _store(request).begin() as conn:
            view = create_victim(conn, user.actor, intake, component="web")
    except InputError as exc:
        return _listing(request, user, status=422, error=str(exc))
    return RedirectResponse(f"/victims/{view.pseudonym}", status_code=303)


def _record(
    request: Request, user: WebUser, pseudonym: str, status: int = 200, **extra: Any
) -> Response:
    from threadline.governance.policy import may_change_victim_record
    from threadline.victims import get_victim, list_services

    with _store(request).begin() as conn:
        view = get_victim(conn, user.actor, pseudonym, component="web")
        services = list_services(conn)
    may_change = bool(may_change_victim_record(user.actor, view.owner_agency, view.owner_country))
    data = view.to_dict()
    return page(
        request,
        "victim.html",
        status=status,
        user=user,
        v=view,
        d=data,
        can_close=may_change,  # closing and reopening: the officer who may change it
        can_change=may_change and data["status"] == "open",  # a closed record takes none
        services=services,
        **_vocabulary(),
        **extra,
    )


@router.get("/victims/{pseudonym}", response_class=HTMLResponse)
def record(request: Request, user: User, pseudonym: str) -> Response:
    return _record(request, user, pseudonym)


def _change(
    request: Request, user: WebUser, pseudonym: str, csrf_token: str, action: Any, done: str
) -> Response:
    """Run one change in a transaction; show the record with the outcome or the input error."""
    check_csrf(user, csrf_token)
    try:
        with _store(request).begin() as conn:
            action(conn)
    except InputError as exc:
        return _record(request, user, pseudonym, status=422, error=str(exc))
    return _record(request, user, pseudonym, message=done)


@router.post("/victims/{pseudonym}/consent", response_class=HTMLResponse)
def consent(
    request: Request,
    user: User,
    pseudonym: str,
    csrf_token: Annotated[str, Form()] = "",
    scope: Annotated[str, Form(max_length=40)] = "",
    note: Text = "",
    withdraw: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    from threadline.victims import add_consent, withdraw_consent

    def act(conn: Any) -> None:
        if withdraw:
            withdraw_consent(conn, user.actor, pseudonym, scope, component="web")
        else:
            add_consent(conn, user.actor, pseudonym, scope, note=note or None, component="web")

    verb = "withdrawn" if withdraw else "recorded"
    return _change(request, user, pseudonym, csrf_token, act, f"Consent to {scope} {verb}.")


@router.post("/victims/{pseudonym}/referrals", response_class=HTMLResponse)
def referral(
    request: Request,
    user: User,
    pseudonym: str,
    csrf_token: Annotated[str, Form()] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    service_id: Annotated[str, Form(max_length=12)] = "",
    note: Text = "",
) -> Response:
    from threadline.victims import refer

    def act(conn: Any) -> None:
        service = int(service_id) if service_id.isdigit() else None
        refer(
            conn,
            user.actor,
            pseudonym,
            kind,
            service_id=service,
            note=note or None,
            component="web",
        )

    return _change(request, user, pseudonym, csrf_token, act, f"Referral ({kind}) requested.")


@router.post("/victims/{pseudonym}/referrals/{referral_id}", response_class=HTMLResponse)
def referral_status(
    request: Request,
    user: User,
    pseudonym: str,
    referral_id: int,
    csrf_token: Annotated[str, Form()] = "",
    status: Annotated[str, Form(max_length=40)] = "",
    note: Text = "",
) -> Response:
    from threadline.victims import update_referral

    def act(conn: Any) -> None:
        update_referral(
            conn, user.actor, pseudonym, referral_id, status, note=note or None, component="web"
        )

    return _change(
        request, user, pseudonym, csrf_token, act, f"Referral {referral_id} is now {status}."
    )


@router.post("/victims/{pseudonym}/reunification", response_class=HTMLResponse)
def reunite(
    request: Request,
    user: User,
    pseudonym: str,
    csrf_token: Annotated[str, Form()] = "",
    on: Annotated[str, Form(max_length=10)] = "",
    relationship: Annotated[str, Form(max_length=100)] = "",
    with_whom: Text = "",
    country: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    from threadline.victims import record_reunification

    def act(conn: Any) -> None:
        record_reunification(
            conn,
            user.actor,
            pseudonym,
            on=on,
            relationship=relationship,
            with_whom=with_whom or None,
            where=country or None,
            component="web",
        )

    return _change(request, user, pseudonym, csrf_token, act, "Reunification recorded.")


@router.post("/victims/{pseudonym}/close", response_class=HTMLResponse)
def close(
    request: Request,
    user: User,
    pseudonym: str,
    csrf_token: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    from threadline.victims import close_victim

    def act(conn: Any) -> None:
        close_victim(conn, user.actor, pseudonym, reason=reason, component="web")

    return _change(request, user, pseudonym, csrf_token, act, "Record closed.")


@router.post("/victims/{pseudonym}/reopen", response_class=HTMLResponse)
def reopen(
    request: Request,
    user: User,
    pseudonym: str,
    csrf_token: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    from threadline.victims import reopen_victim

    def act(conn: Any) -> None:
        reopen_victim(conn, user.actor, pseudonym, reason=reason, component="web")

    return _change(request, user, pseudonym, csrf_token, act, "Record reopened.")

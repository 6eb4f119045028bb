"""The screening console: a person, a document, an MRZ, a passenger manifest.

For border officers and analysts. Person, MRZ and manifest checks are person
queries: each form carries a purpose (and a reference where the purpose asks
for one); the screening package checks it, uses only the lists the officer may
see and audits the query. Victim-risk results are safeguarding referrals.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from threadline.exc import ThreadlineError
from threadline.governance import Actor, Purpose
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
Short = Annotated[str, Form(max_length=100)]
Csrf = Annotated[str, Form()]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _screener(user: WebUser) -> WebUser:
    from threadline.api.routers.screening import check_screener

    check_screener(user.actor)
    return user


def _console(request: Request, user: WebUser, status: int = 200, **context: Any) -> Response:
    return page(
        request,
        "screening.html",
        status=status,
        user=user,
        purposes=[p.value for p in Purpose],
        form=context.pop("form", {}),
        **context,
    )


def _failed(request: Request, user: WebUser, exc: ThreadlineError, **context: Any) -> Response:
    # htmx only swaps 2xx answers into the page; a plain form post gets the real status.
    status = 200 if request.headers.get("hx-request") else 422
    return _console(request, user, status=status, error=str(exc), **context)


def _with_purpose(user: WebUser, purpose: str, reference: str) -> Actor:
    from threadline.exc import InputError

    if not purpose:
        return user.actor
    if purpose not in {p.value for p in Purpose}:
        raise InputError(f"unknown purpose {purpose!r}")
    return user.actor.for_purpose(purpose, reference.strip() or None)


@router.get("/screening", response_class=HTMLResponse)
def console(request: Request, user: User) -> Response:
    return _console(request, _screener(user))


@router.post("/screening/person", response_class=HTMLResponse)
def person(
    request: Request,
    user: User,
    csrf_token: Csrf = "",
    name: Annotated[str, Form(max_length=200)] = "",
    dob: Annotated[str, Form(max_length=10)] = "",
    sex: Annotated[str, Form(max_length=1)] = "",
    nationality: Annotated[str, Form(max_length=60)] = "",
    document: Annotated[str, Form(max_length=40)] = "",
    purpose: Short = "",
    reference: Short = "",
) -> Response:
    from threadline.screening.matching import PersonQuery
    from threadline.screening.service import screen_person

    _screener(user)
    check_csrf(user, csrf_token)
    form = {"name": name, "dob": dob, "sex": sex, "nationality": nationality,
            "document": document, "purpose": purpose, "reference": reference}  # fmt: skip
    query = PersonQuery(
        names=[name.strip()] if name.strip() else [],
        birth_date=dob.strip() or None,
        sex=sex or None,
        nationality=nationality.strip() or None,
        document_numbers=[document.strip()] if document.strip() else [],
    )
    try:
        actor = _with_purpose(user, purpose, reference)
        result = screen_person(_store(request), actor, query).to_dict()
    except ThreadlineError as exc:
        return _failed(request, user, exc, form=form, active="person")
    return _console(request, user, person=result, form=form, active="person")


@router.post("/screening/document", response_class=HTMLResponse)
def document(
    request: Request,
    user: User,
    csrf_token: Csrf = "",
    number: Annotated[str, Form(max_length=40)] = "",
    country: Annotated[str, Form(max_length=60)] = "",
    expiry: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    from threadline.exc import InputError
    from threadline.screening.service import screen_document

    _screener(user)
    check_csrf(user, csrf_token)
    form = {"number": number, "doc_country": country, "expiry": expiry}
    try:
        if not number.strip():
            raise InputError("enter the document number")
        result = screen_document(
            _store(request), user.actor, number.strip(), country.strip() or None, expiry=expiry
        ).to_dict()
    except ThreadlineError as exc:
        return _failed(request, user, exc, form=form, active="document")
    return _console(request, user, document=result, form=form, active="document")


@router.post("/screening/mrz", response_class=HTMLResponse)
def mrz(
    request: Request,
    user: User,
    csrf_token: Csrf = "",
    lines: Annotated[str, Form(max_length=400)] = "",
    purpose: Short = "",
    reference: Short = "",
) -> Response:
    from threadline.screening.service import screen_mrz

    _screener(user)
    check_csrf(user, csrf_token)
    form = {"lines": lines, "mrz_purpose": purpose, "mrz_reference": reference}
    try:
        actor = _with_purpose(user, purpose, reference)
        result = screen_mrz(_store(request), actor, [x for x in lines.splitlines() if x.strip()])
    except ThreadlineError as exc:
        return _failed(request, user, exc, form=form, active="mrz")
    return _console(request, user, mrz=result, form=form, active="mrz")


@router.post("/screening/manifest", response_class=HTMLResponse)
def manifest(
    request: Request,
    user: User,
    file: Annotated[UploadFile, File()],
    csrf_token: Csrf = "",
    operation: Short = "",
    country: Annotated[str, Form(max_length=60)] = "",
    purpose: Short = "",
    reference: Short = "",
) -> Response:
    from threadline.api.routers.screening import screen_upload

    _screener(user)
    check_csrf(user, csrf_token)
    form = {"operation": operation, "country": country,
            "manifest_purpose": purpose, "manifest_reference": reference}  # fmt: skip
    try:
        actor = _with_purpose(user, purpose, reference)
        result = screen_upload(
            _store(request),
            actor,
            file.filename or "",
            file.file,
            operation=operation,
            country=country,
        )
    except ThreadlineError as exc:
        return _failed(request, user, exc, form=form, active="manifest")
    return _console(request, user, manifest=result, form=form, active="manifest")

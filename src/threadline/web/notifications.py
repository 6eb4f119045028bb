"""The notifications page: what other agencies notified the user's agency of, and acknowledging it.

Every signed-in user sees their agency's notifications; acknowledging is for those who act
on them (not auditors). The victims package governs and audits.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
PAGE = 25


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _listing(
    request: Request, user: WebUser, status: str, offset: int, code: int = 200, **extra: object
) -> Response:
    from threadline.victims import inbox

    with _store(request).begin() as conn:
        items, total = inbox(
            conn, user.actor, status=status or None, limit=PAGE, offset=offset, component="web"
        )
    return page(
        request,
        "notifications.html",
        status=code,
        user=user,
        items=items,
        total=total,
        shown_status=status,
        offset=offset,
        page_size=PAGE,
        **extra,
    )


@router.get("/notifications", response_class=HTMLResponse)
def notifications(
    request: Request,
    user: User,
    status: Annotated[str, Query(max_length=20)] = "",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    return _listing(request, user, status, offset)


@router.post("/notifications/{notification_id}/acknowledge", response_class=HTMLResponse)
def acknowledge(
    request: Request,
    user: User,
    notification_id: int,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    from threadline.exc import InputError
    from threadline.victims import acknowledge as acknowledge_one

    check_csrf(user, csrf_token)
    try:
        with _store(request).begin() as conn:
            acknowledge_one(conn, user.actor, notification_id, component="web")
    except InputError as exc:  # e.g. already acknowledged by a colleague
        return _listing(request, user, "", 0, code=422, error=str(exc))
    return RedirectResponse(f"/notifications?acknowledged={notification_id}", status_code=303)

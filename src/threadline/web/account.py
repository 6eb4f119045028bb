"""Setting a new password with a reset code an administrator issued (no sign-in needed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from threadline.exc import InputError
from threadline.governance.accounts import AuthenticationFailed, get_user
from threadline.governance.actors import Actor, Channel
from threadline.governance.audit import record
from threadline.governance.resets import reset_password
from threadline.store import Store
from threadline.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/reset-password", response_class=HTMLResponse)
def reset_form(request: Request) -> Response:
    return page(request, "reset_password.html", error=None, done=False)


@router.post("/reset-password", response_class=HTMLResponse)
def reset(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    code: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    confirm: Annotated[str, Form(max_length=1000)],
    revoke_tokens: Annotated[bool, Form()] = False,
) -> Response:
    """Every session of the user ends; with the box ticked, every API token is revoked too."""
    store: Store = request.app.state.store
    source = request.client.host if request.client else None
    if password != confirm:
        return _again(request, username, "the two passwords differ")
    try:
        with store.begin() as conn:
            done = reset_password(conn, username, code, password, revoke_api_tokens=revoke_tokens)
            who = get_user(conn, username).actor(Channel.WEB)
            detail = {"source": source, "sessions": done.sessions, "tokens": done.tokens}
            record(
                conn,
                who,
                "user.reset_password",
                target_type="user",
                target_id=who.user,
                detail=detail,
            )
    except InputError as exc:  # the new password does not meet the policy: code not spent
        return _again(request, username, str(exc))
    except AuthenticationFailed as exc:
        with store.begin() as conn:
            anyone = Actor(username[:100], "unknown", "XK", channel=Channel.WEB)
            record(
                conn,
                anyone,
                "user.reset_password",
                target_type="user",
                target_id=username[:100],
                outcome="failure",
                detail={"source": source, "reason": "wrong, used or expired code"},
            )
        return _again(request, username, str(exc), status=401)
    return page(request, "reset_password.html", error=None, done=True)


def _again(request: Request, username: str, error: str, status: int = 400) -> Response:
    return page(
        request, "reset_password.html", status=status, error=error, done=False, username=username
    )

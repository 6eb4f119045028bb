"""Web sign-in: session cookie, CSRF token in every form."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from threadline.api.deps import PURPOSE_COOKIE, SESSION_COOKIE, cookie_purpose
from threadline.governance import Actor, Purpose, require_purpose
from threadline.governance.actors import Channel
from threadline.governance.identity import AuthenticationFailed, session_user
from threadline.governance.policy import AccessDenied
from threadline.store import Store


class SignInRequired(Exception):
    """The page needs a signed-in user; the handler redirects to the sign-in page."""


@dataclass(frozen=True)
class WebUser:
    actor: Actor
    csrf: str


def working_purpose(request: Request) -> tuple[str, str] | None:
    """The purpose and reference the user works under: given with the request
    (``?purpose=&reference=``), else the one they chose for the session (a cookie set by
    the purpose form). Every person query still records it in the audit log."""
    purpose = request.query_params.get("purpose", "").strip()
    reference = request.query_params.get("reference", "").strip()
    if not purpose:
        return cookie_purpose(request)
    if purpose not in {p.value for p in Purpose}:
        return None
    return purpose, reference[:100]


def purpose_cookie(purpose: str, reference: str, *, secure: bool) -> Response:
    """A response carrying the working-purpose cookie (set by the purpose form, or by a page
    asked with a purpose, see :class:`RememberPurpose`)."""
    response = Response()
    response.set_cookie(
        PURPOSE_COOKIE,
        f"{purpose}:{quote(reference)}",
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=8 * 3600,
    )
    return response


class RememberPurpose:
    """A purpose stated with a page request (the search form's purpose and reference)
    becomes the session's working purpose once the page answered: the result links then
    open under it instead of asking again. Refused requests change nothing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_remembering(message: Message) -> None:
            chosen = scope.get("state", {}).get("remember_purpose")
            if message["type"] == "http.response.start" and chosen and message["status"] < 400:
                from threadline.settings import get_settings

                secure = get_settings().secure_cookies or scope.get("scheme") == "https"
                cookie = purpose_cookie(*chosen, secure=secure)
                set_cookie = [(k, v) for k, v in cookie.raw_headers if k == b"set-cookie"]
                message = {**message, "headers": [*message.get("headers", []), *set_cookie]}
            await send(message)

        await self.app(scope, receive, send_remembering)


def web_user(request: Request) -> WebUser:
    store: Store = request.app.state.store
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise SignInRequired()
    try:
        with store.begin() as conn:
            user, csrf = session_user(conn, secret)
    except AuthenticationFailed:
        raise SignInRequired() from None
    actor = user.actor(Channel.WEB)
    chosen = working_purpose(request)
    if chosen is not None:
        actor = actor.for_purpose(chosen[0], chosen[1] or None)
        if request.query_params.get("purpose") and cookie_purpose(request) != chosen:
            try:
                require_purpose(actor)
            except AccessDenied:
                pass  # the page says why; the session keeps what it had
            else:
                request.state.remember_purpose = chosen
    request.state.actor = actor
    return WebUser(actor, csrf)


def secure_cookies(request: Request) -> bool:
    """Whether the session cookie is marked Secure (sent over HTTPS only).

    Set when the request came by HTTPS, or always with the ``secure_cookies``
    setting (for a server behind a proxy that ends TLS).
    """
    from threadline.settings import get_settings

    return get_settings().secure_cookies or request.url.scheme == "https"


def check_csrf(user: WebUser, sent: str | None) -> None:
    if not sent or sent != user.csrf:
        raise AccessDenied("the form expired or did not come from this site; reload and retry")


def current_web_user(request: Request) -> WebUser | None:
    """The signed-in user, or None (for pages that also show to visitors, like errors)."""
    try:
        return web_user(request)
    except SignInRequired:
        return None

"""Web sign-in: session cookie, CSRF token in every form."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from threadline.api.deps import SESSION_COOKIE
from threadline.governance import Actor
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
    return WebUser(user.actor(Channel.WEB), csrf)


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

"""Web sign-in: session cookie, CSRF token in every form."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from fastapi import Request

from threadline.api.deps import SESSION_COOKIE
from threadline.governance import Actor, Purpose
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


PURPOSE_COOKIE = "threadline_purpose"


def working_purpose(request: Request) -> tuple[str, str] | None:
    """The purpose and reference the user works under: given with the request
    (``?purpose=&reference=``), else the one they chose for the session (a cookie set by
    the purpose form). Every person query still records it in the audit log."""
    purpose = request.query_params.get("purpose", "").strip()
    reference = request.query_params.get("reference", "").strip()
    if not purpose:
        stored = request.cookies.get(PURPOSE_COOKIE, "")
        purpose, _, quoted = stored.partition(":")
        reference = unquote(quoted)
    if purpose not in {p.value for p in Purpose}:
        return None
    return purpose, reference[:100]


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

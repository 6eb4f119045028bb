"""Request dependencies: the store, the authenticated actor, pagination.

Dependencies that do no I/O are ``async``: FastAPI runs a plain ``def`` dependency in
the thread pool, a hand-over that costs more than the dependency itself. Only the
actor look-up (a database read) runs there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request

from threadline.governance import Actor, Purpose, Role
from threadline.governance.actors import Channel
from threadline.governance.identity import AuthenticationFailed, Scope, session_user, token_grant
from threadline.governance.policy import AccessDenied
from threadline.store import Store

PURPOSE_COOKIE = "threadline_purpose"  # the working purpose a web session chose
SESSION_COOKIE = "threadline_session"
READING = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def current_actor(
    request: Request,
    store: StoreDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Actor:
    """The actor behind a Bearer token (channel api) or a web session cookie (channel web).

    A token acts with the roles it was issued for, and only a token with the
    ``write`` scope may send anything but GET, HEAD and OPTIONS.
    """
    with store.begin() as conn:
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise AuthenticationFailed("use 'Authorization: Bearer <token>'")
            grant = token_grant(conn, token.strip())
            actor = grant.actor(Channel.API)
            request.state.actor = actor
            if request.method not in READING and Scope.WRITE not in grant.scopes:
                raise AccessDenied(
                    f"this API token is read-only (scope read): {request.method} needs a token "
                    "with the write scope"
                )
            return actor
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            user, csrf = session_user(conn, secret)
            actor = user.actor(Channel.WEB)
            request.state.csrf = csrf
            request.state.actor = actor
            if request.method not in READING:
                sent = request.headers.get("x-csrf-token")
                if sent != csrf:
                    raise AccessDenied("missing or wrong CSRF token")
            return actor
    raise AuthenticationFailed("sign in, or send an API token")


ActorDep = Annotated[Actor, Depends(current_actor)]


def cookie_purpose(request: Request) -> tuple[str, str] | None:
    """The working purpose a web session chose (the purpose form's cookie), if any."""
    from urllib.parse import unquote

    purpose, _, quoted = request.cookies.get(PURPOSE_COOKIE, "").partition(":")
    if purpose not in {p.value for p in Purpose}:
        return None
    return purpose, unquote(quoted)[:100]


async def with_purpose(
    request: Request,
    actor: ActorDep,
    purpose: Annotated[Purpose | None, Query(description="Why person data is queried.")] = None,
    reference: Annotated[
        str | None, Query(max_length=100, description="Case or operation reference.")
    ] = None,
) -> Actor:
    """The actor with the purpose and reference of a person query: the one the request
    names, else (for the pages' own calls, on a web session) the session's working purpose."""
    if purpose is None:
        chosen = cookie_purpose(request) if actor.channel == Channel.WEB else None
        if chosen is None:
            return actor
        return actor.for_purpose(Purpose(chosen[0]), chosen[1] or None)
    return actor.for_purpose(purpose, reference)


PurposeActor = Annotated[Actor, Depends(with_purpose)]


def require_role(*roles: Role) -> object:
    """A dependency that lets only these roles through (the authorisation matrix reads it);
    the actor carries the request's purpose and reference, as ``PurposeActor``."""

    async def check(actor: PurposeActor) -> Actor:
        if not any(role in actor.roles for role in roles):
            names = " or ".join(r.value for r in roles)
            raise AccessDenied(f"this needs the {names} role")
        return actor

    check.roles = frozenset(roles)  # type: ignore[attr-defined]
    return Depends(check)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


async def page(
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(page)]


def paginated(items: Sequence[Any], p: Page, total: int | None = None) -> dict[str, Any]:
    """A list response: the page of items, and where the next page starts."""
    has_more = len(items) > p.limit
    shown = items[: p.limit]
    return {
        "items": shown,
        "limit": p.limit,
        "offset": p.offset,
        "next_offset": p.offset + p.limit if has_more else None,
        **({"total": total} if total is not None else {}),
    }

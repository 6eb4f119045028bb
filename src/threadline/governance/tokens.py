"""API tokens: scoped, limited in lifetime, stored hashed and shown once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select, update

from threadline.exc import InputError
from threadline.governance.accounts import (
    AuthenticationFailed,
    User,
    get_user,
    require_active,
    row_user,
    user_query,
)
from threadline.governance.actors import Actor, Channel, Role
from threadline.governance.sessions import secret_hash
from threadline.governance.tables import api_token as t_token
from threadline.governance.tables import user_account as t_user
from threadline.settings import get_settings
from threadline.store.collections import utc

TOKEN_USE_GRANULARITY = timedelta(minutes=1)


class Scope(StrEnum):
    """What a token may do: ``read`` (GET requests) and ``write`` (everything else)."""

    READ = "read"
    WRITE = "write"


ALL_SCOPES = frozenset(Scope)


@dataclass(frozen=True)
class Grant:
    """What a presented token allows: its user, scopes and (maybe narrowed) roles."""

    user: User
    scopes: frozenset[Scope]
    roles: frozenset[Role]

    def actor(self, channel: Channel = Channel.API) -> Actor:
        return replace(self.user.actor(channel), roles=self.roles)


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    scopes = set()
    for value in values:
        if not value.strip():
            continue
        try:
            scopes.add(Scope(value.strip().lower()))
        except ValueError:
            raise InputError(f"unknown scope {value!r}; scopes are: read, write") from None
    if not scopes:
        raise InputError("a token needs at least one scope (read, write)")
    return frozenset(scopes)


def issue_token(
    conn: Connection,
    username: str,
    name: str,
    days: int | None = 90,
    *,
    scopes: Iterable[str] = ("read", "write"),
    roles: frozenset[Role] | None = None,
) -> str:
    """A new API token; only its hash is stored, so it is shown once.

    ``days`` must be between 1 and the ``token_max_days`` setting: every token expires.
    ``roles`` narrows the token to some of the user's roles.
    """
    longest = get_settings().token_max_days
    if days is None or not 1 <= days <= longest:
        raise InputError(
            f"a token lives 1 to {longest} days (the token_max_days setting); got {days}"
        )
    if not name.strip() or len(name) > 100:
        raise InputError("a token needs a name of 1-100 characters (what it is for)")
    user = require_active(get_user(conn, username))
    if roles is not None and not roles <= user.roles:
        extra = ", ".join(sorted(r.value for r in roles - user.roles))
        raise InputError(f"{user.username!r} does not have the role(s) {extra}")
    token = "tl_" + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(
        insert(t_token).values(
            user_id=user.id,
            name=name.strip(),
            token_hash=secret_hash(token),
            scopes=sorted(s.value for s in parse_scopes(scopes)),
            roles=sorted(r.value for r in roles) if roles is not None else None,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    return token


def token_grant(conn: Connection, token: str) -> Grant:
    """What a live API token of an enabled user allows (one indexed look-up by its SHA-256)."""
    query = (
        user_query()
        .add_columns(
            t_token.c.id.label("token_id"),
            t_token.c.revoked_at.label("token_revoked_at"),
            t_token.c.expires_at.label("token_expires_at"),
            t_token.c.last_used_at.label("token_last_used_at"),
            t_token.c.scopes.label("token_scopes"),
            t_token.c.roles.label("token_roles"),
        )
        .join(t_token, t_token.c.user_id == t_user.c.id)
        .where(t_token.c.token_hash == secret_hash(token))
    )
    row = conn.execute(query).first()
    now = datetime.now(UTC)
    if row is None or row.token_revoked_at is not None:
        raise AuthenticationFailed("invalid or revoked API token")
    if row.token_expires_at is not None and utc(row.token_expires_at) <= now:
        raise AuthenticationFailed("this API token has expired")
    user = require_active(row_user(row))
    last = utc(row.token_last_used_at) if row.token_last_used_at else None
    if last is None or now - last > TOKEN_USE_GRANULARITY:  # a write per request would serialise
        conn.execute(update(t_token).where(t_token.c.id == row.token_id).values(last_used_at=now))
    roles = user.roles
    if row.token_roles is not None:  # never more than the user has today
        roles = roles & frozenset(Role(r) for r in row.token_roles)
    scopes = frozenset(Scope(s) for s in row.token_scopes)
    return Grant(user, scopes, roles)


def user_for_token(conn: Connection, token: str) -> User:
    """The enabled user behind a live API token."""
    return token_grant(conn, token).user


def list_tokens(conn: Connection, username: str | None = None) -> list[dict[str, Any]]:
    """Tokens (of one user, or everyone's): name, scopes, roles and dates; never the token."""
    query = (
        select(t_token, t_user.c.username)
        .join(t_user, t_user.c.id == t_token.c.user_id)
        .order_by(t_user.c.username, t_token.c.created_at, t_token.c.id)
    )
    if username is not None:
        query = query.where(t_token.c.user_id == get_user(conn, username).id)

    def when(value: datetime | None) -> str | None:
        return utc(value).isoformat() if value is not None else None

    return [
        {
            "user": row.username,
            "name": row.name,
            "scopes": list(row.scopes),
            "roles": list(row.roles) if row.roles is not None else None,
            "created_at": when(row.created_at),
            "expires_at": when(row.expires_at),
            "last_used_at": when(row.last_used_at),
            "revoked_at": when(row.revoked_at),
        }
        for row in conn.execute(query)
    ]


def revoke_tokens(conn: Connection, username: str, name: str | None = None) -> int:
    """Revoke the user's live tokens (or only those with this name); how many."""
    user = get_user(conn, username)
    query = (
        update(t_token).where(t_token.c.user_id == user.id).where(t_token.c.revoked_at.is_(None))
    )
    if name is not None:
        query = query.where(t_token.c.name == name)
    return int(conn.execute(query.values(revoked_at=datetime.now(UTC))).rowcount)

"""Web sessions: a random secret in the cookie (stored hashed) and a CSRF token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from threadline.governance.accounts import (
    AuthenticationFailed,
    User,
    require_active,
    row_user,
    user_query,
)
from threadline.governance.tables import user_account as t_user
from threadline.governance.tables import web_session as t_session
from threadline.store.collections import utc

SESSION_LIFETIME = timedelta(hours=8)


def secret_hash(secret: str) -> str:
    """SHA-256 of a random secret (session, token, reset code): enough for 256-bit secrets."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(conn: Connection, user: User) -> tuple[str, str]:
    """A web session: (session secret for the cookie, CSRF token for forms)."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(
        insert(t_session).values(
            session_hash=secret_hash(secret),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return secret, csrf


def session_user(conn: Connection, secret: str) -> tuple[User, str]:
    """The user and CSRF token of a live session of an enabled user."""
    query = select(t_session).where(t_session.c.session_hash == secret_hash(secret))
    row = conn.execute(query).first()
    if row is None or row.revoked_at is not None or utc(row.expires_at) <= datetime.now(UTC):
        raise AuthenticationFailed("session expired; sign in again")
    user = row_user(conn.execute(user_query().where(t_user.c.id == row.user_id)).one())
    return require_active(user), str(row.csrf_token)


def close_session(conn: Connection, secret: str) -> None:
    conn.execute(
        update(t_session)
        .where(t_session.c.session_hash == secret_hash(secret))
        .values(revoked_at=datetime.now(UTC))
    )


def revoke_sessions(conn: Connection, user_id: int) -> int:
    """End every open session of the user; how many were open."""
    now = datetime.now(UTC)
    query = (
        update(t_session)
        .where(t_session.c.user_id == user_id)
        .where(t_session.c.revoked_at.is_(None))
        .where(t_session.c.expires_at > now)
        .values(revoked_at=now)
    )
    return int(conn.execute(query).rowcount)

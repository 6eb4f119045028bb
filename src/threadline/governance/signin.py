"""Signing in with a password: lockout per account and per client address, one answer.

A guess takes its place in the account's failure count (and its address's) with
one conditional ``UPDATE`` before the password is checked, and the row count of
that statement decides whether it is checked at all. Concurrent guesses therefore
never get more checks than the limit allows, on SQLite and PostgreSQL alike: a
guess finding the count full is refused unchecked, even with the right password.
A successful sign-in clears the account's count and gives its address's place
back. The person signing in gets one answer whatever went wrong; the audit log
keeps the real reason.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, delete, or_, update

from threadline.governance import audit
from threadline.governance.accounts import AuthenticationFailed, User, find_user_row, row_user
from threadline.governance.actors import Actor, Channel
from threadline.governance.passwords import password_matches, spend_one_check
from threadline.governance.tables import sign_in_source as t_source
from threadline.governance.tables import user_account as t_user
from threadline.settings import get_settings
from threadline.store import Store

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
REFUSED = "wrong username or password, or the account cannot sign in now"


def authenticate(
    store: Store,
    username: str,
    password: str,
    component: str = "web",
    source: str | None = None,
) -> User:
    """The user, when the password is right and the account and address may sign in.

    ``source`` is the client address the server sees (None: no address limit, as
    for a caller on the server itself). Raises AuthenticationFailed with the same
    message for every refusal; every attempt is audited with its real reason.
    """
    now = datetime.now(UTC)
    with store.begin() as conn:
        row = find_user_row(conn, username)
        source_ok = source is None or _reserve_source(conn, source[:64], now)
        reserved = row is not None and source_ok and _reserve_account(conn, row.id, now)
    if reserved:
        right = password_matches(row.password_hash, password)
    else:
        spend_one_check(password)  # the same work as a check: no timing hint
        right = False
    reason = _reason(row, source_ok, reserved, right)
    user = row_user(row) if row is not None else None
    channel = Channel(component) if component in {c.value for c in Channel} else Channel.WEB
    who = user.actor(channel) if user else Actor(username[:100], "unknown", "XK", channel=channel)
    with store.begin() as conn:
        if right:
            assert user is not None
            conn.execute(
                update(t_user)
                .where(t_user.c.id == user.id)
                .values(failed_logins=0, locked_until=None)
            )
            if source is not None:
                _give_back_source(conn, source[:64])
        detail: dict[str, Any] = {"source": source} if source else {}
        audit.record(
            conn,
            who,
            "auth.login",
            component=component,
            target_type="user",
            target_id=username[:100],
            outcome="success" if right else "failure",
            detail=detail | ({"reason": reason} if reason else {}),
        )
    if not right or user is None:
        raise AuthenticationFailed(REFUSED)
    return user


def _reason(row: Any, source_ok: bool, reserved: bool, right: bool) -> str | None:
    """Why the attempt failed, for the audit log only (None: it succeeded)."""
    if right:
        return None
    if not source_ok:
        return "too many failed sign-ins from this address"
    if row is None:
        return "no such user"
    if row.disabled:
        return "account disabled"
    if not reserved:
        return "account locked after repeated failures"
    return "wrong password"


def _reserve_account(conn: Connection, user_id: int, now: datetime) -> bool:
    """Count this guess against the account before checking it; False: refuse it unchecked.

    A lock whose time has passed starts a new count. The guess that fills the
    count locks the account at once (and a right password then unlocks it).
    """
    lapsed = and_(t_user.c.locked_until.is_not(None), t_user.c.locked_until <= now)
    count = case((lapsed, 1), else_=t_user.c.failed_logins + 1)
    statement = (
        update(t_user)
        .where(t_user.c.id == user_id)
        .where(t_user.c.disabled.is_(False))
        .where(
            or_(
                lapsed, and_(t_user.c.locked_until.is_(None), t_user.c.failed_logins < MAX_FAILURES)
            )
        )
        .values(
            failed_logins=count,
            locked_until=case((count >= MAX_FAILURES, now + LOCKOUT), else_=None),
        )
    )
    return conn.execute(statement).rowcount == 1


def _reserve_source(conn: Connection, source: str, now: datetime) -> bool:
    """Count this guess against the client address; False when the address used its window."""
    settings = get_settings()
    window_start = now - timedelta(minutes=settings.sign_in_source_window_minutes)
    conn.execute(delete(t_source).where(t_source.c.window_start <= window_start))
    row = {"source": source, "failures": 0, "window_start": now}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(t_source).values(row).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(t_source).values(row).on_conflict_do_nothing())
    statement = (
        update(t_source)
        .where(t_source.c.source == source)
        .where(t_source.c.failures < settings.sign_in_source_limit)
        .values(failures=t_source.c.failures + 1)
    )
    return conn.execute(statement).rowcount == 1


def _give_back_source(conn: Connection, source: str) -> None:
    """A right password was no failure: return the place its guess took."""
    conn.execute(
        update(t_source)
        .where(t_source.c.source == source)
        .where(t_source.c.failures > 0)
        .values(failures=t_source.c.failures - 1)
    )

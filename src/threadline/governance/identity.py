"""Agencies, users, passwords (Argon2id), lockout, API tokens and web sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from threadline.exc import InputError, NotFound, ThreadlineError
from threadline.governance import audit
from threadline.governance.actors import Actor, Role
from threadline.governance.tables import agency as t_agency
from threadline.governance.tables import api_token as t_token
from threadline.governance.tables import user_account as t_user
from threadline.governance.tables import web_session as t_session
from threadline.primitives.countries import clean_country
from threadline.store import Store
from threadline.store.collections import utc

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD = 12
TOKEN_USE_GRANULARITY = timedelta(minutes=1)
_hasher = PasswordHasher()  # Argon2id, memory-hard, library defaults (RFC 9106 profile)


class AuthenticationFailed(ThreadlineError):
    """Sign-in refused; the message never says whether the user exists."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    agency: str
    country: str
    roles: frozenset[Role]
    disabled: bool
    locked_until: datetime | None

    def actor(self) -> Actor:
        return Actor(user=self.username, agency=self.agency, country=self.country, roles=self.roles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "agency": self.agency,
            "country": self.country,
            "roles": sorted(r.value for r in self.roles),
            "disabled": self.disabled,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }


def create_agency(conn: Connection, name: str, country: str) -> int:
    code = clean_country(country)
    if code is None:
        raise InputError(f"{country!r} is not an ISO 3166 country code")
    if not name.strip():
        raise InputError("an agency needs a name")
    try:
        result = conn.execute(
            insert(t_agency).values(name=name.strip(), country=code, created_at=datetime.now(UTC))
        )
    except IntegrityError:
        raise InputError(f"an agency named {name!r} already exists") from None
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def list_agencies(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(t_agency).order_by(t_agency.c.name))
    return [{"id": r.id, "name": r.name, "country": r.country} for r in rows]


def _agency_id(conn: Connection, name: str) -> int:
    row = conn.execute(select(t_agency.c.id).where(t_agency.c.name == name)).first()
    if row is None:
        raise NotFound(f"no agency named {name!r} (see 'threadline agencies list')")
    return int(row.id)


def parse_roles(values: list[str] | tuple[str, ...]) -> frozenset[Role]:
    roles = set()
    for value in values:
        try:
            roles.add(Role(value.strip().lower().replace("-", "_").replace(" ", "_")))
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            raise InputError(f"unknown role {value!r}; roles are: {allowed}") from None
    if not roles:
        raise InputError("a user needs at least one role")
    return frozenset(roles)


def create_user(
    conn: Connection, username: str, agency: str, roles: frozenset[Role], password: str
) -> User:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
    if not username.strip() or len(username) > 100:
        raise InputError("a username needs 1-100 characters")
    try:
        conn.execute(
            insert(t_user).values(
                username=username.strip(),
                agency_id=_agency_id(conn, agency),
                roles=sorted(r.value for r in roles),
                password_hash=_hasher.hash(password),
                failed_logins=0,
                disabled=False,
                created_at=datetime.now(UTC),
            )
        )
    except IntegrityError:
        raise InputError(f"a user named {username!r} already exists") from None
    return get_user(conn, username)


def _select() -> Any:
    return select(
        t_user, t_agency.c.name.label("agency_name"), t_agency.c.country.label("agency_country")
    ).join(t_agency, t_agency.c.id == t_user.c.agency_id)


def _user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        agency=row.agency_name,
        country=row.agency_country,
        roles=frozenset(Role(r) for r in row.roles),
        disabled=bool(row.disabled),
        locked_until=utc(row.locked_until) if row.locked_until else None,
    )


def get_user(conn: Connection, username: str) -> User:
    row = conn.execute(_select().where(t_user.c.username == username)).first()
    if row is None:
        raise NotFound(f"no user named {username!r}")
    return _user(row)


def list_users(conn: Connection) -> list[User]:
    return [_user(row) for row in conn.execute(_select().order_by(t_user.c.username))]


def authenticate(store: Store, username: str, password: str, component: str = "web") -> User:
    """Check a password; lock the account after repeated failures; audit every attempt.

    Runs its own transaction so that a failed attempt is counted (and audited)
    even though the caller only sees the exception.
    """
    failure: str | None = None
    with store.begin() as conn:
        row = conn.execute(_select().where(t_user.c.username == username)).first()
        user = _user(row) if row is not None else None
        failure = _check(conn, row, user, password)
        who = user.actor() if user else Actor(username[:100], "unknown", "XK")
        audit.record(
            conn,
            who,
            "auth.login",
            component=component,
            target_type="user",
            target_id=username[:100],
            outcome="failure" if failure else "success",
            detail={"reason": failure} if failure else {},
        )
    if failure or user is None:
        raise AuthenticationFailed(failure or "wrong username or password")
    return user


def _check(conn: Connection, row: Any, user: User | None, password: str) -> str | None:
    """None when the password is right; else the reason shown to the person signing in."""
    now = datetime.now(UTC)
    if row is None or user is None:
        _hasher.hash(password)  # same work either way: no timing hint that the user is unknown
        return "wrong username or password"
    if user.disabled:
        return "this account is disabled"
    if user.locked_until and user.locked_until > now:
        return "too many failed sign-ins; the account is locked for a while"
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = row.failed_logins + 1
        locked = now + LOCKOUT if failures >= MAX_FAILURES else None
        conn.execute(
            update(t_user)
            .where(t_user.c.id == user.id)
            .values(failed_logins=0 if locked else failures, locked_until=locked)
        )
        return "wrong username or password"
    if row.failed_logins or row.locked_until:
        conn.execute(
            update(t_user).where(t_user.c.id == user.id).values(failed_logins=0, locked_until=None)
        )
    return None


def set_password(conn: Connection, username: str, password: str) -> None:
    """Replace a user's password (and clear a lockout)."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
    user = get_user(conn, username)
    conn.execute(
        update(t_user)
        .where(t_user.c.id == user.id)
        .values(password_hash=_hasher.hash(password), failed_logins=0, locked_until=None)
    )


def set_disabled(conn: Connection, username: str, disabled: bool) -> None:
    user = get_user(conn, username)
    conn.execute(
        update(t_user)
        .where(t_user.c.id == user.id)
        .values(disabled=disabled, failed_logins=0, locked_until=None)
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(conn: Connection, username: str, name: str, days: int | None = 90) -> str:
    """A new API token; only its hash is stored, so it is shown once."""
    user = get_user(conn, username)
    token = "tl_" + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(
        insert(t_token).values(
            user_id=user.id,
            name=name,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
    )
    return token


def user_for_token(conn: Connection, token: str) -> User:
    """The user behind a live API token (one indexed look-up by the token's SHA-256)."""
    query = (
        _select()
        .add_columns(
            t_token.c.id.label("token_id"),
            t_token.c.revoked_at.label("token_revoked_at"),
            t_token.c.expires_at.label("token_expires_at"),
            t_token.c.last_used_at.label("token_last_used_at"),
        )
        .join(t_token, t_token.c.user_id == t_user.c.id)
        .where(t_token.c.token_hash == _hash(token))
    )
    row = conn.execute(query).first()
    now = datetime.now(UTC)
    if row is None or row.token_revoked_at is not None:
        raise AuthenticationFailed("invalid or revoked API token")
    if row.token_expires_at is not None and utc(row.token_expires_at) <= now:
        raise AuthenticationFailed("this API token has expired")
    last = utc(row.token_last_used_at) if row.token_last_used_at else None
    if last is None or now - last > TOKEN_USE_GRANULARITY:  # a write per request would serialise
        conn.execute(update(t_token).where(t_token.c.id == row.token_id).values(last_used_at=now))
    user = _user(row)
    if user.disabled:
        raise AuthenticationFailed("this account is disabled")
    return user


def revoke_tokens(conn: Connection, username: str, name: str | None = None) -> int:
    user = get_user(conn, username)
    query = (
        update(t_token).where(t_token.c.user_id == user.id).where(t_token.c.revoked_at.is_(None))
    )
    if name is not None:
        query = query.where(t_token.c.name == name)
    return int(conn.execute(query.values(revoked_at=datetime.now(UTC))).rowcount)


def open_session(conn: Connection, user: User) -> tuple[str, str]:
    """A web session: (session secret for the cookie, CSRF token for forms)."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(
        insert(t_session).values(
            session_hash=_hash(secret),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return secret, csrf


def session_user(conn: Connection, secret: str) -> tuple[User, str]:
    """The user and CSRF token of a live session."""
    row = conn.execute(select(t_session).where(t_session.c.session_hash == _hash(secret))).first()
    if row is None or row.revoked_at is not None or utc(row.expires_at) <= datetime.now(UTC):
        raise AuthenticationFailed("session expired; sign in again")
    user = _user(conn.execute(_select().where(t_user.c.id == row.user_id)).one())
    if user.disabled:
        raise AuthenticationFailed("this account is disabled")
    return user, str(row.csrf_token)


def close_session(conn: Connection, secret: str) -> None:
    conn.execute(
        update(t_session)
        .where(t_session.c.session_hash == _hash(secret))
        .values(revoked_at=datetime.now(UTC))
    )

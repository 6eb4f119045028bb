"""Agencies and user accounts: names, roles, the disabled flag, look-ups."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from threadline.exc import InputError, NotFound, ThreadlineError
from threadline.governance.actors import Actor, Channel, Role
from threadline.governance.passwords import check_password, hash_password
from threadline.governance.tables import agency as t_agency
from threadline.governance.tables import user_account as t_user
from threadline.primitives.inputs import country_code
from threadline.store.collections import utc


class AuthenticationFailed(ThreadlineError):
    """Sign-in or credential refused; the message never says whether the user exists."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    agency: str
    country: str
    roles: frozenset[Role]
    disabled: bool
    locked_until: datetime | None

    def actor(self, channel: Channel = Channel.SYSTEM) -> Actor:
        """The user as an actor reaching Threadline through ``channel``."""
        return Actor(
            user=self.username,
            agency=self.agency,
            country=self.country,
            roles=self.roles,
            channel=channel,
        )

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


def username_key(username: str) -> str:
    """The form two user names are compared in: "Ana", "ANA" and "ａｎａ" are one name."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


def create_agency(conn: Connection, name: str, country: str) -> int:
    code = country_code("country", country)
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
    """A new user; the name must differ from every other one in more than letter case."""
    name = username.strip()
    if not name or len(name) > 100:
        raise InputError("a username needs 1-100 characters")
    check_password(password, name)
    agency_id = _agency_id(conn, agency)
    key = username_key(name)
    taken = conn.execute(select(t_user.c.username).where(t_user.c.username_key == key)).first()
    if taken is not None:
        raise InputError(f"a user named {taken.username!r} already exists")
    try:
        conn.execute(
            insert(t_user).values(
                username=name,
                username_key=key,
                agency_id=agency_id,
                roles=sorted(r.value for r in roles),
                password_hash=hash_password(password),
                failed_logins=0,
                disabled=False,
                created_at=datetime.now(UTC),
            )
        )
    except IntegrityError:  # created meanwhile by another administrator
        raise InputError(f"a user named {name!r} already exists") from None
    return get_user(conn, name)


def user_query() -> Any:
    """Users joined with their agency (the columns ``row_user`` reads)."""
    return select(
        t_user, t_agency.c.name.label("agency_name"), t_agency.c.country.label("agency_country")
    ).join(t_agency, t_agency.c.id == t_user.c.agency_id)


def row_user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        agency=row.agency_name,
        country=row.agency_country,
        roles=frozenset(Role(r) for r in row.roles),
        disabled=bool(row.disabled),
        locked_until=utc(row.locked_until) if row.locked_until else None,
    )


def find_user_row(conn: Connection, username: str) -> Any:
    """The user's row (with agency) by name in any letter case, or None."""
    query = user_query().where(t_user.c.username_key == username_key(username[:200]))
    return conn.execute(query).first()


def get_user(conn: Connection, username: str) -> User:
    row = find_user_row(conn, username)
    if row is None:
        raise NotFound(f"no user named {username!r}")
    return row_user(row)


def list_users(conn: Connection) -> list[User]:
    return [row_user(row) for row in conn.execute(user_query().order_by(t_user.c.username))]


def set_disabled(conn: Connection, username: str, disabled: bool) -> None:
    """Disable (or enable) a user: a disabled user is refused on every channel."""
    user = get_user(conn, username)
    conn.execute(
        update(t_user)
        .where(t_user.c.id == user.id)
        .values(disabled=disabled, failed_logins=0, locked_until=None)
    )


def require_active(user: User) -> User:
    """The user, unless disabled (then AuthenticationFailed)."""
    if user.disabled:
        raise AuthenticationFailed(f"the account {user.username!r} is disabled")
    return user

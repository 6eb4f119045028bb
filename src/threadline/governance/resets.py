"""Changing credentials: new passwords, one-time reset codes, signing a user out everywhere.

An administrator issues a reset code (shown once, stored hashed, valid for a short
time, usable once); the user sets a new password with it. Setting a password ends
the user's web sessions, and on request revokes their API tokens as well.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, insert, update

from threadline.exc import InputError
from threadline.governance.accounts import AuthenticationFailed, User, find_user_row, get_user
from threadline.governance.actors import Actor, Role
from threadline.governance.passwords import check_password, hash_password
from threadline.governance.policy import AccessDenied
from threadline.governance.sessions import revoke_sessions, secret_hash
from threadline.governance.tables import password_reset as t_reset
from threadline.governance.tables import user_account as t_user
from threadline.governance.tokens import revoke_tokens

RESET_LIFETIME = timedelta(minutes=30)
MAX_RESET_MINUTES = 24 * 60
# Crockford's base 32 without look-alikes: read out over the phone without confusion.
_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_CODE_GROUPS = 5  # 20 characters: about 98 bits, never guessed in the code's lifetime
INVALID_CODE = "this reset code is wrong, used or expired: ask an administrator for a new one"


@dataclass(frozen=True)
class SignOut:
    sessions: int
    tokens: int


def set_password(
    conn: Connection, username: str, password: str, *, revoke_api_tokens: bool = False
) -> SignOut:
    """Replace a user's password, clear a lockout and end their sessions (and maybe tokens)."""
    user = get_user(conn, username)
    check_password(password, user.username)
    conn.execute(
        update(t_user)
        .where(t_user.c.id == user.id)
        .values(password_hash=hash_password(password), failed_logins=0, locked_until=None)
    )
    return _sign_out(conn, user, revoke_api_tokens)


def sign_out(conn: Connection, username: str, *, revoke_api_tokens: bool = False) -> SignOut:
    """End every web session of the user (and revoke every API token, on request)."""
    return _sign_out(conn, get_user(conn, username), revoke_api_tokens)


def _sign_out(conn: Connection, user: User, revoke_api_tokens: bool) -> SignOut:
    sessions = revoke_sessions(conn, user.id)
    tokens = revoke_tokens(conn, user.username) if revoke_api_tokens else 0
    return SignOut(sessions, tokens)


def issue_reset_code(
    conn: Connection, admin: Actor, username: str, minutes: int = 30
) -> tuple[str, datetime]:
    """A one-time code for the user to set a new password with, and when it expires.

    Only administrators issue codes; a new code cancels the user's earlier ones.
    """
    if not admin.system and Role.ADMINISTRATOR not in admin.roles:
        raise AccessDenied("only administrators issue password reset codes")
    if not 1 <= minutes <= MAX_RESET_MINUTES:
        raise InputError(f"a reset code lives 1 to {MAX_RESET_MINUTES} minutes; got {minutes}")
    user = get_user(conn, username)
    now = datetime.now(UTC)
    conn.execute(
        update(t_reset)
        .where(t_reset.c.user_id == user.id)
        .where(t_reset.c.used_at.is_(None))
        .values(used_at=now)
    )
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(4 * _CODE_GROUPS))
    code = "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    expires = now + timedelta(minutes=minutes)
    conn.execute(
        insert(t_reset).values(
            user_id=user.id,
            code_hash=secret_hash(_normalise(code)),
            issued_by=admin.user[:100],
            created_at=now,
            expires_at=expires,
        )
    )
    return code, expires


def _normalise(code: str) -> str:
    """Codes are compared without dashes, spaces or letter case (as people type them)."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def reset_password(
    conn: Connection,
    username: str,
    code: str,
    password: str,
    *,
    revoke_api_tokens: bool = False,
) -> SignOut:
    """Set a new password with a reset code; the code is used up in the same statement.

    The password is checked against the policy first, so a weak one does not
    spend the code.
    """
    row = find_user_row(conn, username)
    if row is None:
        raise AuthenticationFailed(INVALID_CODE)
    check_password(password, row.username)
    now = datetime.now(UTC)
    claimed = conn.execute(
        update(t_reset)
        .where(t_reset.c.code_hash == secret_hash(_normalise(code)))
        .where(t_reset.c.user_id == row.id)
        .where(t_reset.c.used_at.is_(None))
        .where(t_reset.c.expires_at > now)
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise AuthenticationFailed(INVALID_CODE)
    return set_password(conn, row.username, password, revoke_api_tokens=revoke_api_tokens)

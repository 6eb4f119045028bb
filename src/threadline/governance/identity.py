"""Identity: agencies, users, passwords, sign-in, API tokens, web sessions, resets.

One import for the interfaces; each part lives in its own module:
``accounts`` (agencies and users), ``passwords`` (policy and Argon2id),
``signin`` (lockout and the one answer), ``tokens`` (scoped API tokens),
``sessions`` (web sessions) and ``resets`` (new passwords, reset codes, sign-out).
"""

from threadline.governance.accounts import (
    AuthenticationFailed,
    User,
    create_agency,
    create_user,
    get_user,
    list_agencies,
    list_users,
    parse_roles,
    set_disabled,
    username_key,
)
from threadline.governance.passwords import MIN_PASSWORD, check_password
from threadline.governance.resets import (
    SignOut,
    issue_reset_code,
    reset_password,
    set_password,
    sign_out,
)
from threadline.governance.sessions import (
    SESSION_LIFETIME,
    close_session,
    open_session,
    revoke_sessions,
    session_user,
)
from threadline.governance.signin import LOCKOUT, MAX_FAILURES, REFUSED, authenticate
from threadline.governance.tokens import (
    Grant,
    Scope,
    issue_token,
    list_tokens,
    parse_scopes,
    revoke_tokens,
    token_grant,
    user_for_token,
)

__all__ = [
    "LOCKOUT",
    "MAX_FAILURES",
    "MIN_PASSWORD",
    "REFUSED",
    "SESSION_LIFETIME",
    "AuthenticationFailed",
    "Grant",
    "Scope",
    "SignOut",
    "User",
    "authenticate",
    "check_password",
    "close_session",
    "create_agency",
    "create_user",
    "get_user",
    "issue_reset_code",
    "issue_token",
    "list_agencies",
    "list_tokens",
    "list_users",
    "open_session",
    "parse_roles",
    "parse_scopes",
    "reset_password",
    "revoke_sessions",
    "revoke_tokens",
    "session_user",
    "set_disabled",
    "set_password",
    "sign_out",
    "token_grant",
    "user_for_token",
    "username_key",
]

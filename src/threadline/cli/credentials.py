"""``threadline tokens ...`` and ``threadline users reset-code|reset-password|sign-out``."""

from __future__ import annotations

import sys

import typer

from threadline.cli.governance import read_password, users
from threadline.cli.output import console, print_json

tokens = typer.Typer(no_args_is_help=True, help="API tokens (scoped, expiring, shown once).")


@tokens.command("issue")
def tokens_issue(
    username: str = typer.Argument(..., help="User the token acts as."),
    name: str = typer.Option(..., "--name", help="What the token is for."),
    days: int = typer.Option(
        90, "--days", help="Lifetime in days, 1 to the token_max_days setting (365)."
    ),
    scopes: str = typer.Option(
        "read,write", "--scopes", help="read (GET only) and/or write, comma-separated."
    ),
    roles: str | None = typer.Option(
        None, "--roles", help="Only some of the user's roles, comma-separated (default: all)."
    ),
) -> None:
    """Issue an API token; it is printed once and only its hash is kept."""
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record
    from threadline.governance.identity import issue_token, parse_roles, parse_scopes

    scope_set = parse_scopes(scopes.split(","))
    role_set = parse_roles(roles.split(",")) if roles is not None else None
    db = store()
    with db.begin() as conn:
        token = issue_token(conn, username, name, days, scopes=scope_set, roles=role_set)
        record(
            conn,
            actor(db),
            "token.issue",
            target_type="user",
            target_id=username,
            detail={
                "name": name,
                "days": days,
                "scopes": sorted(scope_set),
                "roles": sorted(role_set) if role_set is not None else None,
            },
        )
    sys.stdout.write(token + "\n")


@tokens.command("list")
def tokens_list(
    username: str | None = typer.Argument(None, help="Only this user's tokens."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List tokens: name, scopes, roles, created, expires, last used, revoked (never the token)."""
    from threadline.cli.context import store
    from threadline.governance.identity import list_tokens

    with store().connect() as conn:
        items = list_tokens(conn, username)
    if json:
        print_json(items)
        return
    if not items:
        console.print("No tokens.")
    for t in items:
        state = (
            f"revoked {t['revoked_at'][:10]}"
            if t["revoked_at"]
            else f"expires {t['expires_at'][:10]}"
        )
        used = t["last_used_at"][:16] if t["last_used_at"] else "never"
        roles = ", ".join(t["roles"]) if t["roles"] is not None else "all roles"
        console.print(
            f"{t['user']} / {t['name']}: {'+'.join(t['scopes'])}; {roles}; "
            f"created {t['created_at'][:10]}; {state}; last used {used}",
            markup=False,
        )


@tokens.command("revoke")
def tokens_revoke(
    username: str = typer.Argument(...),
    name: str | None = typer.Option(None, "--name", help="Only this token (default: all)."),
) -> None:
    """Revoke a user's API tokens."""
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record
    from threadline.governance.identity import revoke_tokens

    db = store()
    with db.begin() as conn:
        count = revoke_tokens(conn, username, name)
        record(
            conn,
            actor(db),
            "token.revoke",
            target_type="user",
            target_id=username,
            detail={"name": name, "revoked": count},
        )
    console.print(f"Revoked {count} token(s).")


@users.command("reset-code")
def users_reset_code(
    username: str = typer.Argument(..., help="User who forgot their password."),
    minutes: int = typer.Option(30, "--minutes", help="How long the code works (1-1440)."),
) -> None:
    """Issue a one-time password reset code (administrators); hand it to the user in person."""
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record
    from threadline.governance.identity import issue_reset_code

    db = store()
    who = actor(db)
    with db.begin() as conn:
        code, expires = issue_reset_code(conn, who, username, minutes)
        record(conn, who, "user.reset_code", target_type="user", target_id=username)
    sys.stdout.write(code + "\n")
    sys.stderr.write(
        f"Works once, until {expires:%Y-%m-%d %H:%M} UTC: 'threadline users reset-password "
        f"{username} --code CODE' or the page /reset-password.\n"
    )


@users.command("reset-password")
def users_reset_password(
    username: str = typer.Argument(...),
    code: str = typer.Option(..., "--code", help="The reset code an administrator issued."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read it from stdin."),
    revoke_tokens: bool = typer.Option(
        False, "--revoke-tokens", help="Also revoke every API token of the user."
    ),
) -> None:
    """Set a new password with a reset code; every session of the user ends."""
    from threadline.cli.context import store
    from threadline.governance.accounts import AuthenticationFailed, get_user
    from threadline.governance.actors import Channel
    from threadline.governance.audit import record
    from threadline.governance.identity import reset_password

    password = read_password(password_stdin, "New password")
    db = store()
    try:
        with db.begin() as conn:
            done = reset_password(conn, username, code, password, revoke_api_tokens=revoke_tokens)
            who = get_user(conn, username).actor(Channel.CLI)
            record(conn, who, "user.reset_password", target_type="user", target_id=username)
    except AuthenticationFailed:
        _record_failed_reset(username)
        raise
    console.print(
        f"Password changed; {done.sessions} session(s) ended, {done.tokens} token(s) revoked."
    )


def _record_failed_reset(username: str) -> None:
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record

    db = store()
    with db.begin() as conn:
        record(
            conn,
            actor(db),
            "user.reset_password",
            target_type="user",
            target_id=username[:100],
            outcome="failure",
            detail={"reason": "wrong, used or expired code"},
        )


@users.command("sign-out")
def users_sign_out(
    username: str = typer.Argument(...),
    tokens: bool = typer.Option(False, "--tokens", help="Also revoke every API token."),
) -> None:
    """End every web session of a user (and with --tokens revoke every API token)."""
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record
    from threadline.governance.identity import sign_out

    db = store()
    with db.begin() as conn:
        done = sign_out(conn, username, revoke_api_tokens=tokens)
        record(
            conn,
            actor(db),
            "user.sign_out",
            target_type="user",
            target_id=username,
            detail={"sessions": done.sessions, "tokens": done.tokens},
        )
    console.print(f"Ended {done.sessions} session(s); revoked {done.tokens} token(s).")

"""``threadline agencies|users|tokens|audit|retention``: governance from the console."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import typer

from threadline.cli.output import console, err_console, print_json

agencies = typer.Typer(no_args_is_help=True, help="Agencies (each belongs to a country).")
users = typer.Typer(
    no_args_is_help=True, help="Users, roles, sign-in lockout, password resets, sign-out."
)
audit = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")
retention = typer.Typer(no_args_is_help=True, help="Review dates, renewal and withdrawal.")


@agencies.command("create")
def agencies_create(
    name: str = typer.Argument(..., help="Agency name."),
    country: str = typer.Option(..., "--country", help="ISO 3166 country code."),
) -> None:
    """Register an agency."""
    from threadline.cli.context import actor, store
    from threadline.services import agencies as agencies_service

    db = store()
    agencies_service.register(db, actor(db), name, country)
    console.print(f"Created agency {name!r}.")


@agencies.command("list")
def agencies_list(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List agencies."""
    from threadline.cli.context import store
    from threadline.governance.identity import list_agencies

    with store().connect() as conn:
        items = list_agencies(conn)
    if json:
        print_json(items)
    for item in [] if json else items:
        console.print(f"{item['name']} ({item['country']})")


def read_password(from_stdin: bool, prompt: str = "Password") -> str:
    """A new password from standard input (one line) or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


@users.command("create")
def users_create(
    username: str = typer.Argument(..., help="User name."),
    agency: str = typer.Option(..., "--agency", help="The user's agency."),
    roles: str = typer.Option(..., "--roles", help="Comma-separated, e.g. analyst,border_officer."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read it from stdin."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Create a user (password hashed with Argon2id)."""
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record
    from threadline.governance.identity import (
        create_agency,
        create_user,
        list_agencies,
        parse_roles,
    )
    from threadline.settings import get_settings

    parsed = parse_roles(roles.split(","))
    password = read_password(password_stdin)
    db = store()
    settings = get_settings()
    registered_now = None
    with db.begin() as conn:
        known = {a["name"] for a in list_agencies(conn)}
        if agency == settings.default_agency and agency not in known:
            # the installation's own agency (it owns what the console ingests) is registered
            # on first use with the configured country, not left to fail
            create_agency(conn, agency, settings.default_country)
            registered_now = settings.default_country
        user = create_user(conn, username, agency, parsed, password)
        record(
            conn,
            actor(db),
            "user.create",
            target_type="user",
            target_id=username,
            detail={"roles": sorted(r.value for r in parsed)},
        )
    if registered_now is not None:
        err_console.print(
            f"Registered agency {agency!r} ({registered_now}), this installation's default "
            "agency ('threadline agencies list')."
        )
    if json:
        print_json(user.to_dict())
    else:
        console.print(f"Created user {username!r} ({', '.join(sorted(parsed))}).")


@users.command("list")
def users_list(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List users with their agency, country and roles."""
    from threadline.cli.context import store
    from threadline.governance.identity import list_users

    with store().connect() as conn:
        items = list_users(conn)
    if json:
        print_json([u.to_dict() for u in items])
        return
    for u in items:
        state = " (disabled)" if u.disabled else ""
        console.print(f"{u.username}{state}: {u.agency}, {u.country}; {', '.join(sorted(u.roles))}")


def _set_disabled(username: str, disabled: bool, action: str) -> None:
    from threadline.cli.context import actor, store
    from threadline.governance.audit import record
    from threadline.governance.identity import set_disabled

    db = store()
    with db.begin() as conn:
        set_disabled(conn, username, disabled)
        record(conn, actor(db), action, target_type="user", target_id=username)


@users.command("disable")
def users_disable(username: str = typer.Argument(...)) -> None:
    """Disable a user (sign-in, tokens and sessions stop working)."""
    _set_disabled(username, True, "user.disable")
    console.print(f"Disabled {username!r}.")


@users.command("enable")
def users_enable(username: str = typer.Argument(...)) -> None:
    """Enable a user again and clear a sign-in lockout."""
    _set_disabled(username, False, "user.enable")
    console.print(f"Enabled {username!r}.")


@audit.command("verify")
def audit_verify(
    head: str | None = typer.Option(
        None,
        "--head",
        help="Head MAC recorded at an earlier check (optional: the anchor file "
        "already finds removed newest events).",
    ),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Check the audit chain; report the first broken link. Exit code 1 when broken."""
    from threadline.cli.context import actor, named_user, store
    from threadline.services.audit import check_chain

    db = store()
    result = check_chain(db, actor(db), head, console=not named_user())
    if json:
        print_json(result.to_dict())
    elif result.ok:
        console.print(f"Audit chain intact: {result.checked:,} events; head {result.head}.")
    else:
        where = f"at event {result.first_broken_id}" if result.first_broken_id else "at the end"
        console.print(f"Audit chain BROKEN {where}: {result.reason}.", markup=False)
    if not result.ok:
        raise typer.Exit(1)


@audit.command("export")
def audit_export(
    out: Path | None = typer.Option(None, "--out", "-o", help="File (default: stdout)."),
    since: int = typer.Option(0, "--since", min=0, help="Only events after this id."),
) -> None:
    """Export the audit log as JSON lines (the export itself is audited).

    A user named with --user must be an auditor and exports their agency's events
    (every agency's for agencies in the audit_all_agencies setting); the console
    operator, who holds the database, exports every event.
    """
    from threadline.cli.context import actor, named_user, store
    from threadline.cli.output import dumps, output_file
    from threadline.services.audit import export_events

    db = store()
    events = export_events(db, actor(db), since=since, console=not named_user())
    count = 0
    head = None
    with output_file(out) as handle:
        for event in events:
            handle.write(dumps(event) + "\n")
            head = event["hash"]
            count += 1
        err_console.print(f"Wrote {count:,} events to {out}; last MAC {head}.")


@retention.command("due")
def retention_due(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Collections past their review date: withdrawn from sharing until renewed."""
    from datetime import UTC

    from threadline.cli.context import actor, store
    from threadline.store.collections import list_collections

    who = actor()
    now = datetime.now(UTC)
    with store().connect() as conn:
        due = [
            c
            for c in list_collections(conn)
            if c.review_at is not None
            and c.review_at <= now
            and (who.agency, who.country) == (c.owner_agency, c.owner_country)
        ]
    if json:
        print_json([c.to_dict() for c in due])
    elif not due:
        console.print("Nothing is past its review date.")
    for c in [] if json else due:
        console.print(f"{c.name}: review was due {c.review_at:%Y-%m-%d}; withdrawn from sharing.")


@retention.command("renew")
def retention_renew(
    collection: str = typer.Argument(..., help="Collection to renew."),
    reason: str = typer.Option(..., "--reason", help="Why it must be kept (recorded)."),
    until: datetime | None = typer.Option(None, "--until", formats=["%Y-%m-%d"]),
) -> None:
    """Renew a collection's review date (five more years by default), with a reason."""
    from threadline.cli.context import actor, store
    from threadline.governance.retention import renew

    db = store()
    item = renew(db, actor(db), collection, reason, until)
    console.print(f"Renewed {item.name!r} until {item.review_at:%Y-%m-%d}.")


def register(root: typer.Typer) -> None:
    root.add_typer(agencies, name="agencies")
    root.add_typer(users, name="users")
    from threadline.cli.credentials import tokens

    root.add_typer(tokens, name="tokens")
    root.add_typer(audit, name="audit")
    root.add_typer(retention, name="retention")

"""``threadline victims``: victim records, consent, referrals, services and reunification;
closing a record when care ends (it is never deleted) and reopening it.

Commands act as the user chosen with the root option ``--user`` (a registered
user such as a victim liaison officer), else as the console operator, who has no
victim-liaison role. Records are shown pseudonymised unless that actor may see the
identity; every read and change is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from threadline.cli.output import console, print_json
from threadline.cli.victim_record import print_record
from threadline.cli.victim_services import app as services_app

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from threadline.governance import Actor
    from threadline.victims import VictimView

app = typer.Typer(
    no_args_is_help=True,
    help="Victim care: records (pseudonymised by default), consent, referrals, reunification.",
)
app.add_typer(services_app, name="services")

JSON = typer.Option(False, "--json", help="Print as JSON.")


def _print(view: VictimView, json: bool) -> None:
    if json:
        print_json(view.to_dict())
    else:
        print_record(view)


@app.command("create")
def create(
    how: str = typer.Option(..., "--how", help="border, ad, raid, self_referral or hotline."),
    identified_on: str = typer.Option(..., "--identified-on", help="YYYY-MM-DD."),
    country: str | None = typer.Option(
        None, "--country", help="Where identified (default: actor's)."
    ),
    place: str | None = typer.Option(None, "--place", help="Place of identification (general)."),
    sex: str | None = typer.Option(None, "--sex", help="F, M or U."),
    minor: bool | None = typer.Option(None, "--minor/--adult"),
    nationality: str | None = typer.Option(None, "--nationality"),
    operation: str | None = typer.Option(None, "--operation", help="Operation code."),
    forms: str | None = typer.Option(
        None, "--forms", help="Forms of exploitation, comma-separated."
    ),
    needs: str | None = typer.Option(None, "--needs", help="Needs, comma-separated."),
    language: str | None = typer.Option(None, "--language", help="ISO 639 code."),
    name: str | None = typer.Option(None, "--name", help="Full name (personal data)."),
    dob: str | None = typer.Option(None, "--dob", help="Birth date YYYY[-MM[-DD]]."),
    document: list[str] = typer.Option([], "--document", help="Document number (repeat)."),
    phone: list[str] = typer.Option([], "--phone", help="Phone (repeat)."),
    email: list[str] = typer.Option([], "--email", help="Email (repeat)."),
    address: str | None = typer.Option(None, "--address"),
    entity: list[str] = typer.Option([], "--entity", help="FtM entity id of this person (repeat)."),
    offence: list[str] = typer.Option(
        [], "--compelled-offence", help="Offence the person was compelled to commit (repeat)."
    ),
    non_punishment: bool = typer.Option(False, "--non-punishment"),
    json: bool = JSON,
) -> None:
    """Open a victim record (owned by the acting agency; needs the victim_liaison role)."""
    from threadline.victims import build_intake, create_victim

    with _acting() as (conn, actor):
        intake = build_intake(
            identified_on=identified_on,
            identified_how=how,
            identified_country=country or actor.country,
            identified_place=place,
            sex=sex,
            minor=minor,
            nationality=nationality,
            operation=operation,
            forms=forms,
            needs=needs,
            language=language,
            personal={
                "name": name,
                "date_of_birth": dob,
                "documents": document,
                "phones": phone,
                "emails": email,
                "address": address,
            },
            entity_ids=entity,
            non_punishment=non_punishment,
            compelled_offences=offence,
        )
        view = create_victim(conn, actor, intake)
    if json:
        print_json(view.to_dict())
    else:
        console.print(f"Created victim record {view.pseudonym}.")


@app.command("show")
def show(
    victim: str = typer.Argument(..., help="Pseudonym (V-XXXX-XXXX)."),
    json: bool = JSON,
) -> None:
    """Show a victim record (pseudonymised unless the actor may see the identity)."""
    from threadline.victims import get_victim

    with _acting() as (conn, actor):
        view = get_victim(conn, actor, victim)
    _print(view, json)


@app.command("list")
def list_(
    operation: str | None = typer.Option(None, "--operation"),
    status: str = typer.Option(
        "open",
        "--status",
        help="open (default: the records in care), closed or all.",
    ),
    json: bool = JSON,
) -> None:
    """List victim records (each pseudonymised unless the actor may see it)."""
    from threadline.victims import list_victims

    with _acting() as (conn, actor):
        views = list_victims(conn, actor, operation=operation, status=status)
    if json:
        print_json([v.to_dict() for v in views])
        return
    if not views:
        which = "" if status.strip().lower() == "all" else f"{status.strip().lower()} "
        hint = " (--status all shows every record)" if which else ""
        console.print(f"No {which}victim records{hint}.", markup=False)
    for v in views:
        d = v.to_dict()
        label = (v.personal or {}).get("name", "") if v.identity_visible else ""
        console.print(
            f"{v.pseudonym}  {d['status']:<6}  {d['identified_on']}  {d['identified_country']}  "
            f"{d['identified_how']:<13} {', '.join(d['forms'])}  {label}".rstrip(),
            markup=False,
        )


REASON = typer.Option(..., "--reason", help="Why (required; kept on the record, not audited).")


@app.command("close")
def close(
    victim: str = typer.Argument(..., help="Pseudonym."),
    reason: str = REASON,
    json: bool = JSON,
) -> None:
    """Close a record when care ends or it was opened by mistake (never deleted)."""
    from threadline.victims import close_victim

    with _acting() as (conn, actor):
        view = close_victim(conn, actor, victim, reason=reason)
    _done(view, json, "closed (reopen with 'threadline victims reopen').")


@app.command("reopen")
def reopen(
    victim: str = typer.Argument(..., help="Pseudonym."),
    reason: str = REASON,
    json: bool = JSON,
) -> None:
    """Reopen a closed record (care resumes, or it was closed by mistake)."""
    from threadline.victims import reopen_victim

    with _acting() as (conn, actor):
        view = reopen_victim(conn, actor, victim, reason=reason)
    _done(view, json, "reopened.")


@contextmanager
def _acting() -> Iterator[tuple[Connection, Actor]]:
    """A transaction and the acting actor (reads are audited too, so every command writes)."""
    from threadline.cli.context import actor as actor_for
    from threadline.cli.context import store

    db = store()
    actor = actor_for(db)
    with db.begin() as conn:
        yield conn, actor


def _done(view: VictimView, json: bool, message: str) -> None:
    if json:
        print_json(view.to_dict())
    else:
        console.print(f"{view.pseudonym}: {message}")


@app.command("consent")
def consent(
    victim: str = typer.Argument(..., help="Pseudonym."),
    scope: str = typer.Argument(
        ..., help="data_processing, information_sharing, referral, interview, repatriation, ..."
    ),
    note: str | None = typer.Option(None, "--note"),
    withdraw: bool = typer.Option(False, "--withdraw", help="Withdraw that consent instead."),
    json: bool = JSON,
) -> None:
    """Record the person's informed consent to something (or its withdrawal)."""
    from threadline.victims import add_consent, withdraw_consent

    with _acting() as (conn, actor):
        if withdraw:
            view = withdraw_consent(conn, actor, victim, scope)
        else:
            view = add_consent(conn, actor, victim, scope, note=note)
    _done(view, json, f"consent to {scope} {'withdrawn' if withdraw else 'recorded'}.")


@app.command("refer")
def refer(
    victim: str = typer.Argument(..., help="Pseudonym."),
    kind: str = typer.Argument(
        ...,
        help="shelter, medical, psychological, legal_aid, interpretation, repatriation, "
        "family_reunification",
    ),
    service: int | None = typer.Option(None, "--service", help="Service id from the directory."),
    note: str | None = typer.Option(None, "--note"),
    json: bool = JSON,
) -> None:
    """Refer the person to a support service (status: requested)."""
    from threadline.victims import refer as refer_

    with _acting() as (conn, actor):
        view, ident = refer_(conn, actor, victim, kind, service_id=service, note=note)
    _done(view, json, f"referral {ident} ({kind}) requested.")


@app.command("referral")
def referral(
    victim: str = typer.Argument(..., help="Pseudonym."),
    referral_id: int = typer.Argument(..., help="Referral id."),
    status: str = typer.Argument(..., help="accepted, in_progress, completed or declined."),
    note: str | None = typer.Option(None, "--note"),
    json: bool = JSON,
) -> None:
    """Update a referral's status (the timeline keeps every step)."""
    from threadline.victims import update_referral

    with _acting() as (conn, actor):
        view = update_referral(conn, actor, victim, referral_id, status, note=note)
    _done(view, json, f"referral {referral_id} is now {status}.")


@app.command("link-entity")
def link_entity(
    victim: str = typer.Argument(..., help="Pseudonym."),
    entity: list[str] = typer.Argument(..., help="FtM entity ids that are this person."),
    json: bool = JSON,
) -> None:
    """Link person entities in other collections to the record (they become protected)."""
    from threadline.victims import link_entities

    with _acting() as (conn, actor):
        view = link_entities(conn, actor, victim, entity)
    _done(view, json, f"{len(entity)} entity id(s) linked.")


@app.command("link-missing")
def link_missing(
    victim: str = typer.Argument(..., help="Pseudonym."),
    report: str = typer.Argument(..., help="Entity id of the missing-person report."),
    country: str = typer.Option(..., "--country", help="Country that reported the person missing."),
    json: bool = JSON,
) -> None:
    """Link the record to a missing-person report (e.g. a yellow notice)."""
    from threadline.victims import link_missing_report

    with _acting() as (conn, actor):
        view = link_missing_report(conn, actor, victim, report, country)
    _done(view, json, "linked to the missing-person report.")


@app.command("notify")
def notify(
    victim: str = typer.Argument(..., help="Pseudonym."),
    country: str | None = typer.Option(None, "--country", help="Default: the reporting country."),
    agency: str | None = typer.Option(
        None, "--agency", help="Addressed agency (default: the report's owner in that country)."
    ),
    message: str | None = typer.Option(
        None, "--message", help="Default: the report and pseudonym only; no personal data."
    ),
    json: bool = JSON,
) -> None:
    """Notify the country that reported the person missing (delivered to its agency)."""
    from threadline.victims import notify_reporting_country

    with _acting() as (conn, actor):
        view, ident = notify_reporting_country(
            conn, actor, victim, to_country=country, to_agency=agency, message=message
        )
    _done(view, json, f"notification {ident} queued.")


@app.command("reunite")
def reunite(
    victim: str = typer.Argument(..., help="Pseudonym."),
    on: str = typer.Option(..., "--date", help="Date of the reunion, YYYY-MM-DD."),
    relationship: str = typer.Option(..., "--relationship", help="mother, father, guardian ..."),
    with_whom: str | None = typer.Option(None, "--with", help="Name(s) (personal data)."),
    country: str | None = typer.Option(None, "--country", help="Where."),
    json: bool = JSON,
) -> None:
    """Record a family reunification (date, with whom, recorded by whom)."""
    from threadline.victims import record_reunification

    with _acting() as (conn, actor):
        view = record_reunification(
            conn,
            actor,
            victim,
            on=on,
            relationship=relationship,
            with_whom=with_whom,
            where=country,
        )
    _done(view, json, "reunification recorded.")


@app.command("outbox")
def outbox(
    status: str | None = typer.Option(None, "--status", help="pending or acknowledged."),
    json: bool = JSON,
) -> None:
    """Every notification sent to other countries, and whether it was acknowledged."""
    from threadline.cli.context import store
    from threadline.victims import list_notifications

    with store().connect() as conn:
        items = list_notifications(conn, status=status)
    if json:
        print_json(items)
        return
    for n in items:
        to = f"{n['agency']} ({n['country']})" if n["agency"] else n["country"]
        console.print(f"{n['id']} {n['status']:<12} to {to}: {n['message']}")

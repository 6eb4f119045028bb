"""Family reunification: the missing-person report, the notice to its country, the reunion.

The notice is delivered inside Threadline to the reporting country's agency
(see :mod:`threadline.victims.notifications`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor
from threadline.governance.access import Access
from threadline.ingest.readers.notices import notice_colour_of
from threadline.model.collections import CollectionKind
from threadline.store.collections import utc
from threadline.store.statements import get_entities
from threadline.store.tables import statement as t_statement
from threadline.victims.intake import country, parse_day
from threadline.victims.notifications import PENDING, addressed_agency, check_message
from threadline.victims.records import audit, load_open_row, view_of
from threadline.victims.tables import notification as t_note
from threadline.victims.tables import reunification as t_reunion
from threadline.victims.tables import victim as t_victim
from threadline.victims.views import VictimView


def link_missing_report(
    conn: Connection,
    actor: Actor,
    ref: str,
    report_id: str,
    reporting_country: str,
    *,
    component: str = "cli",
) -> VictimView:
    """Link the record to a missing-person report (e.g. a yellow notice entity id)."""
    row = load_open_row(conn, actor, ref)
    if not report_id.strip():
        raise InputError("report: the id of the missing-person report is empty")
    reporting = country("reporting country", reporting_country, required=True)
    require_missing_report(conn, actor, report_id.strip())
    conn.execute(
        update(t_victim)
        .where(t_victim.c.id == row.id)
        .values(missing_report_id=report_id.strip(), missing_report_country=reporting)
    )
    # The report id would lead to the person: the event names only the reporting country.
    audit(conn, actor, "link_missing", row.pseudonym, component=component, country=reporting)
    return view_of(conn, actor, ref)


def require_missing_report(conn: Connection, actor: Actor, report_id: str) -> None:
    """The report must exist, be visible to the actor and be a missing-person report (a
    record of a missing-persons collection, or a yellow notice): a wanted notice is never
    a missing-person report. Another agency's report stays theirs: the shield withholds
    its tie to the victim but does not silence it (see governance.protection)."""
    if actor.system:
        return
    access = Access(conn, actor)
    if report_id not in access.visible_entities([report_id]):
        raise NotFound(f"no entity with id {report_id!r}")
    rows = conn.execute(
        select(t_statement.c.collection_id)
        .where(
            t_statement.c.entity_id == report_id,
            t_statement.c.collection_id.in_(access.collection_ids),
        )
        .distinct()
    ).scalars()
    kinds = {access.collections[int(c)].kind for c in rows}
    colours = {notice_colour_of(e) for e in get_entities(conn, [report_id], access.collection_ids)}
    if CollectionKind.MISSING_PERSONS not in kinds and "yellow" not in colours:
        raise AccessDenied(
            f"{report_id} is not a missing-person report (a record of a missing-persons "
            "collection or a yellow notice)"
        )


def default_message(row: Any) -> str:
    """A notice with no personal data: the report reference, the pseudonym and who to contact."""
    return (
        f"The person reported missing under {row.missing_report_id} has been identified "
        f"and is receiving care. Reference {row.pseudonym}; contact the victim liaison of "
        f"{row.owner_agency} ({row.owner_country})."
    )


def notify_reporting_country(
    conn: Connection,
    actor: Actor,
    ref: str,
    *,
    to_country: str | None = None,
    to_agency: str | None = None,
    message: str | None = None,
    component: str = "cli",
) -> tuple[VictimView, int]:
    """Notify the country that reported: delivered to its agency's inbox, status pending.

    The addressee is ``to_agency`` (registered in that country), else the agency
    owning the report there, else every agency of the country. A given message is
    refused if it holds any of the person's data (see ``notifications.check_message``).
    """
    row = load_open_row(conn, actor, ref)
    target = country("country", to_country) if to_country else row.missing_report_country
    if target is None:
        raise InputError(
            f"{row.pseudonym} is not linked to a missing-person report; link one first "
            "('threadline victims link-missing') or name the country with --country"
        )
    if message is None and row.missing_report_id is None:
        raise InputError("message: there is no linked report to write a default message about")
    text = default_message(row) if message is None else check_message(conn, row, message)
    agency = addressed_agency(conn, row.missing_report_id, target, to_agency)
    result = conn.execute(
        insert(t_note).values(
            country=target,
            agency=agency,
            kind="missing_person_found",
            subject_ref=row.missing_report_id,
            victim_id=row.id,
            message=text,
            status=PENDING,
            from_agency=row.owner_agency,
            from_country=row.owner_country,
            created_by=actor.user,
            created_at=datetime.now(UTC),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    audit(
        conn,
        actor,
        "notify",
        row.pseudonym,
        component=component,
        notification=int(key[0]),
        country=target,
        agency=agency,
    )
    return view_of(conn, actor, ref), int(key[0])


def list_notifications(conn: Connection, *, status: str | None = None) -> list[dict[str, Any]]:
    """Every notification sent (the console's outbox view), newest first."""
    query = select(t_note).order_by(t_note.c.id.desc())
    if status:
        query = query.where(t_note.c.status == status)
    return [
        {
            "id": r.id,
            "country": r.country,
            "agency": r.agency,
            "kind": r.kind,
            "subject_ref": r.subject_ref,
            "message": r.message,
            "status": r.status,
            "from_agency": r.from_agency,
            "created_by": r.created_by,
            "created_at": utc(r.created_at).isoformat(),
            "acknowledged_by": r.acknowledged_by,
            "acknowledged_at": utc(r.acknowledged_at).isoformat() if r.acknowledged_at else None,
        }
        for r in conn.execute(query)
    ]


def record_reunification(
    conn: Connection,
    actor: Actor,
    ref: str,
    *,
    on: Any,
    relationship: str,
    with_whom: str | None = None,
    where: str | None = None,
    component: str = "cli",
) -> VictimView:
    """Record that the person was reunited with family (date, with whom, recorded by whom)."""
    row = load_open_row(conn, actor, ref)
    day = parse_day("date", on, past=True)  # recorded once it happened
    if day < row.identified_on:
        raise InputError(f"date: {day} is before the person was identified ({row.identified_on})")
    if not relationship.strip():
        raise InputError(
            "relationship: say who the person was reunited with (mother, guardian ...)"
        )
    conn.execute(
        insert(t_reunion).values(
            victim_id=row.id,
            reunited_on=day,
            relationship=relationship.strip().lower(),
            with_whom=(with_whom or "").strip() or None,
            country=country("country", where),
            recorded_by=actor.user,
            recorded_at=datetime.now(UTC),
        )
    )
    audit(conn, actor, "reunite", row.pseudonym, component=component)
    return view_of(conn, actor, ref)

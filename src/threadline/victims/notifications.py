"""Notifications delivered inside Threadline: the addressed agency's inbox and acknowledgement.

A notification (``notify_reporting_country``) is addressed to a country and,
where it can be told, to one agency of it: the agency that owns the missing-person
report, or the one the sender names. Every user of the addressed agency (of any
agency of the country when none is named) sees it in their inbox, on the
dashboard, the notifications page, the API and the CLI; an addressee who acts on
it acknowledges it, which records who and when. Governance decides
(``may_receive_notification``, ``may_acknowledge_notification``); a notification
addressed elsewhere is "not found", as any record hidden from the caller.

The text never carries the person's data: :func:`check_message` refuses a
message that holds any value of the victim record's personal data, and the
default message names only the report reference and the pseudonym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor
from threadline.governance.audit import record
from threadline.governance.policy import may_acknowledge_notification, may_receive_notification
from threadline.store.collections import utc
from threadline.victims.tables import notification as t_note
from threadline.victims.tables import reunification as t_reunion
from threadline.victims.tables import victim as t_victim
from threadline.victims.tables import victim_entity as t_entity

PENDING, ACKNOWLEDGED = "pending", "acknowledged"
STATUSES = (PENDING, ACKNOWLEDGED)
_DIGITS = re.compile(r"\D")
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_PART = 3  # name parts shorter than this ("Li", "Bo") are not looked for as words
PHONE_DIGITS = 8  # a phone number is looked for by its last digits, whatever the prefix


@dataclass(frozen=True)
class Notification:
    """One notification as its addressee sees it (no personal data in it by construction)."""

    id: int
    country: str
    agency: str | None
    kind: str
    report: str | None
    pseudonym: str | None
    message: str
    status: str
    from_agency: str | None
    from_country: str | None
    created_by: str
    created_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    can_acknowledge: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "to": {"country": self.country, "agency": self.agency},
            "from": {"agency": self.from_agency, "country": self.from_country},
            "kind": self.kind,
            "report": self.report,
            "pseudonym": self.pseudonym,
            "message": self.message,
            "status": self.status,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
            "can_acknowledge": self.can_acknowledge,
        }


def _personal_values(conn: Connection, row: Any) -> dict[str, list[str]]:
    """What identifies the person, by field (the record's personal data and what leads to it)."""
    personal = dict(row.personal or {})
    values: dict[str, list[str]] = {}
    for key in ("name", "other_names", "date_of_birth", "documents", "phones", "emails", "address"):
        found = personal.get(key)
        items = found if isinstance(found, list) else [found] if found else []
        values[key] = [str(v) for v in items if str(v).strip()]
    values["identified_place"] = [row.identified_place] if row.identified_place else []
    values["relatives"] = [
        r
        for r in conn.execute(
            select(t_reunion.c.with_whom).where(
                t_reunion.c.victim_id == row.id, t_reunion.c.with_whom.is_not(None)
            )
        ).scalars()
        if r
    ]
    values["linked_entities"] = list(
        conn.execute(select(t_entity.c.entity_id).where(t_entity.c.victim_id == row.id)).scalars()
    )
    return values


def _contains(message: str, field: str, value: str) -> bool:
    text = message.casefold()
    if field == "phones":
        # the subscriber part: the same number written nationally or internationally
        digits = _DIGITS.sub("", value)[-PHONE_DIGITS:]
        return len(digits) >= 6 and digits in _DIGITS.sub("", message)
    if field in ("name", "other_names", "relatives"):
        words = set(_WORD.findall(text))
        parts = [p for p in _WORD.findall(value.casefold()) if len(p) >= MIN_PART]
        return any(p in words for p in parts)
    return value.casefold().strip() in text


def check_message(conn: Connection, row: Any, message: str) -> str:
    """The message, if it holds none of the person's data; else an error naming the field."""
    text = message.strip()
    if not text:
        raise InputError("message: the notification text is empty")
    for field, values in _personal_values(conn, row).items():
        if any(_contains(text, field, v) for v in values):
            what = field.replace("_", " ")
            raise InputError(
                f"message: it contains the person's {what}; a notification carries only the "
                f"pseudonym ({row.pseudonym}) and the report reference"
            )
    return text


def addressed_agency(
    conn: Connection, report_id: str | None, country: str, agency: str | None
) -> str | None:
    """The agency a notification goes to: the one named, else the report owner in that country.

    A named agency must be registered in the addressed country. Without one, the
    agency owning the collection that holds the report is addressed when it is of
    that country; otherwise every agency of the country receives it (None).
    """
    from threadline.governance.tables import agency as t_agency
    from threadline.store.tables import collection as t_collection
    from threadline.store.tables import statement as t_statement

    if agency is not None and agency.strip():
        found = conn.execute(
            select(t_agency.c.name, t_agency.c.country).where(t_agency.c.name == agency.strip())
        ).first()
        if found is None or found.country != country:
            raise InputError(
                f"agency: no agency {agency.strip()!r} is registered in {country} "
                "(see 'threadline agencies list')"
            )
        return str(found.name)
    if not report_id:
        return None
    owners = set(
        conn.execute(
            select(t_collection.c.owner_agency)
            .join(t_statement, t_statement.c.collection_id == t_collection.c.id)
            .where(t_statement.c.entity_id == report_id, t_collection.c.owner_country == country)
            .distinct()
        ).scalars()
    )
    return owners.pop() if len(owners) == 1 else None


def _for(actor: Actor) -> Any:
    """The SQL condition: notifications addressed to the actor's agency."""
    if actor.system:
        return t_note.c.id.is_not(None)
    return and_(
        t_note.c.country == actor.country,
        or_(t_note.c.agency.is_(None), t_note.c.agency == actor.agency),
    )


def _query() -> Any:
    return select(t_note, t_victim.c.pseudonym).outerjoin(
        t_victim, t_victim.c.id == t_note.c.victim_id
    )


def _view(actor: Actor, row: Any) -> Notification:
    return Notification(
        id=row.id,
        country=row.country,
        agency=row.agency,
        kind=row.kind,
        report=row.subject_ref,
        pseudonym=row.pseudonym,
        message=row.message,
        status=row.status,
        from_agency=row.from_agency,
        from_country=row.from_country,
        created_by=row.created_by,
        created_at=utc(row.created_at),
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=utc(row.acknowledged_at) if row.acknowledged_at else None,
        can_acknowledge=row.status == PENDING
        and bool(may_acknowledge_notification(actor, row.country, row.agency)),
    )


def _status(status: str | None) -> str | None:
    if status is None or not status.strip():
        return None
    value = status.strip().lower()
    if value not in STATUSES:
        raise InputError(f"status: unknown value {status!r} (one of {', '.join(STATUSES)})")
    return value


def inbox(
    conn: Connection,
    actor: Actor,
    *,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    component: str = "cli",
) -> tuple[list[Notification], int]:
    """A page of the notifications addressed to the actor's agency (newest first), the total.

    Audited as ``notification.list`` with the count shown.
    """
    if limit < 1 or offset < 0:
        raise InputError("limit must be at least 1 and offset at least 0")
    wanted = _status(status)
    condition = _for(actor)
    if wanted is not None:
        condition = and_(condition, t_note.c.status == wanted)
    total = int(
        conn.execute(select(func.count()).select_from(t_note).where(condition)).scalar() or 0
    )
    rows = conn.execute(
        _query().where(condition).order_by(t_note.c.id.desc()).limit(limit).offset(offset)
    ).all()
    items = [_view(actor, r) for r in rows]
    record(
        conn,
        actor,
        "notification.list",
        component=component,
        target_type="notification",
        result_count=len(items),
        detail={"status": wanted, "offset": offset, "total": total},
    )
    return items, total


def pending_summary(
    conn: Connection, actor: Actor, *, limit: int = 5
) -> tuple[int, list[Notification]]:
    """How many notifications await the actor's agency, and the newest few (the dashboard)."""
    condition = and_(_for(actor), t_note.c.status == PENDING)
    count = int(
        conn.execute(select(func.count()).select_from(t_note).where(condition)).scalar() or 0
    )
    rows = conn.execute(_query().where(condition).order_by(t_note.c.id.desc()).limit(limit))
    return count, [_view(actor, r) for r in rows]


def acknowledge(
    conn: Connection, actor: Actor, notification_id: int, *, component: str = "cli"
) -> Notification:
    """Record that the addressed agency has received and taken up a notification (audited)."""
    row = conn.execute(_query().where(t_note.c.id == notification_id)).first()
    if row is None or not may_receive_notification(actor, row.country, row.agency):
        raise NotFound(f"no notification {notification_id} for your agency")
    decision = may_acknowledge_notification(actor, row.country, row.agency)
    if not decision:
        raise AccessDenied(decision.reason)
    if row.status == ACKNOWLEDGED:
        raise InputError(
            f"notification {notification_id} was already acknowledged by {row.acknowledged_by} "
            f"at {utc(row.acknowledged_at).isoformat()}"
        )
    conn.execute(
        update(t_note)
        .where(t_note.c.id == notification_id)
        .values(status=ACKNOWLEDGED, acknowledged_by=actor.user, acknowledged_at=datetime.now(UTC))
    )
    record(
        conn,
        actor,
        "notification.acknowledge",
        component=component,
        target_type="notification",
        target_id=str(notification_id),
        detail={"pseudonym": row.pseudonym, "from_country": row.from_country},
    )
    found = conn.execute(_query().where(t_note.c.id == notification_id)).first()
    return _view(actor, found)

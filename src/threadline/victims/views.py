"""What a victim record shows: the full view for those allowed, else a pseudonymised one.

The pseudonymised view never carries the name, birth date, document numbers,
contact details or addresses, nor the ids that lead to them (linked entities,
the missing-person report, relatives' names, the place of identification), nor
the free text staff typed as the reason a record was closed or reopened (it may
name the person): the status, when and by whom stay visible to everyone who sees
the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from threadline.governance import Actor
from threadline.store.collections import utc
from threadline.victims.tables import notification as t_note
from threadline.victims.tables import referral as t_ref
from threadline.victims.tables import referral_event as t_event
from threadline.victims.tables import reunification as t_reunion
from threadline.victims.tables import support_service as t_service
from threadline.victims.tables import victim_consent as t_consent
from threadline.victims.tables import victim_entity as t_entity
from threadline.victims.tables import victim_status_event as t_step


@dataclass(frozen=True)
class VictimView:
    """A victim record as one actor may see it."""

    pseudonym: str
    identity_visible: bool
    access_reason: str
    owner_agency: str
    owner_country: str
    attributes: dict[str, Any]
    care: dict[str, Any]
    personal: dict[str, Any] | None = None
    identifying_links: dict[str, Any] | None = None
    id: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "pseudonym": self.pseudonym,
            "identity_visible": self.identity_visible,
            "access_reason": self.access_reason,
            "owner_agency": self.owner_agency,
            "owner_country": self.owner_country,
            **self.attributes,
            **self.care,
        }
        if self.identity_visible:
            data["personal"] = self.personal
            data.update(self.identifying_links or {})
        return data


def _iso(value: Any) -> str | None:
    return utc(value).isoformat() if value is not None else None


def _consents(conn: Connection, victim_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t_consent).where(t_consent.c.victim_id == victim_id).order_by(t_consent.c.id)
    )
    return [
        {
            "id": r.id,
            "scope": r.scope,
            "given_at": _iso(r.given_at),
            "recorded_by": r.recorded_by,
            "note": r.note,
            "withdrawn_at": _iso(r.withdrawn_at),
            "withdrawn_by": r.withdrawn_by,
            "active": r.withdrawn_at is None,
        }
        for r in rows
    ]


def _referrals(conn: Connection, victim_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t_ref, t_service.c.name.label("service_name"), t_service.c.country.label("sc"))
        .outerjoin(t_service, t_service.c.id == t_ref.c.service_id)
        .where(t_ref.c.victim_id == victim_id)
        .order_by(t_ref.c.id)
    )
    out = []
    for r in rows:
        events = conn.execute(
            select(t_event).where(t_event.c.referral_id == r.id).order_by(t_event.c.id)
        )
        out.append(
            {
                "id": r.id,
                "kind": r.kind,
                "service": {"id": r.service_id, "name": r.service_name, "country": r.sc}
                if r.service_id
                else None,
                "status": r.status,
                "timeline": [
                    {
                        "status": e.status,
                        "at": _iso(e.changed_at),
                        "by": e.changed_by,
                        "note": e.note,
                    }
                    for e in events
                ],
            }
        )
    return out


def _status_timeline(conn: Connection, victim_id: int, visible: bool) -> list[dict[str, Any]]:
    """Every close and reopen, oldest first; the reason only for those who see the identity."""
    rows = conn.execute(select(t_step).where(t_step.c.victim_id == victim_id).order_by(t_step.c.id))
    out = []
    for r in rows:
        step: dict[str, Any] = {"status": r.status, "at": _iso(r.changed_at), "by": r.changed_by}
        if visible:
            step["reason"] = r.reason
        out.append(step)
    return out


def _reunions(conn: Connection, victim_id: int, visible: bool) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t_reunion).where(t_reunion.c.victim_id == victim_id).order_by(t_reunion.c.id)
    )
    out = []
    for r in rows:
        item = {
            "date": r.reunited_on.isoformat(),
            "relationship": r.relationship,
            "country": r.country,
            "recorded_by": r.recorded_by,
            "recorded_at": _iso(r.recorded_at),
        }
        if visible:
            item["with_whom"] = r.with_whom
        out.append(item)
    return out


def _notifications(conn: Connection, victim_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(t_note).where(t_note.c.victim_id == victim_id).order_by(t_note.c.id))
    return [
        {
            "id": r.id,
            "country": r.country,
            "agency": r.agency,
            "kind": r.kind,
            "status": r.status,
            "created_at": _iso(r.created_at),
            "created_by": r.created_by,
            "acknowledged_by": r.acknowledged_by,
            "acknowledged_at": _iso(r.acknowledged_at),
        }
        for r in rows
    ]


def build_view(conn: Connection, actor: Actor, row: Any) -> VictimView:
    """Assemble the view of one stored record for this actor."""
    from threadline.victims.records import identity_decision

    visible, reason = identity_decision(actor, row)
    entity_ids = list(
        conn.execute(
            select(t_entity.c.entity_id)
            .where(t_entity.c.victim_id == row.id)
            .order_by(t_entity.c.id)
        ).scalars()
    )
    attributes = {
        "sex": row.sex,
        "minor": row.minor,
        "nationality": row.nationality,
        "identified_on": row.identified_on.isoformat(),
        "identified_how": row.identified_how,
        "identified_country": row.identified_country,
        "operation": row.operation,
        "forms": list(row.forms or []),
        "needs": list(row.needs or []),
        "language": row.language,
        "non_punishment": bool(row.non_punishment),
        "compelled_offences": list(row.compelled_offences or []),
        "linked_entities": len(entity_ids),
        "missing_report_linked": row.missing_report_id is not None,
        "created_by": row.created_by,
        "created_at": _iso(row.created_at),
        "status": row.status,
        "closed_at": _iso(row.closed_at),
        "closed_by": row.closed_by,
    }
    care = {
        "consents": _consents(conn, row.id),
        "referrals": _referrals(conn, row.id),
        "reunifications": _reunions(conn, row.id, visible),
        "notifications": _notifications(conn, row.id),
        "status_timeline": _status_timeline(conn, row.id, visible),
    }
    links = {
        "identified_place": row.identified_place,
        "entity_ids": entity_ids,
        "missing_report": {"id": row.missing_report_id, "country": row.missing_report_country}
        if row.missing_report_id
        else None,
        "closed_reason": row.closed_reason,
    }
    return VictimView(
        id=row.id,
        pseudonym=row.pseudonym,
        identity_visible=visible,
        access_reason=reason,
        owner_agency=row.owner_agency,
        owner_country=row.owner_country,
        attributes=attributes,
        care=care,
        personal=dict(row.personal or {}) if visible else None,
        identifying_links=links if visible else None,
    )

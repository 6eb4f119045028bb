"""Consent records, referrals to support services with their status timeline, and the directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from threadline.exc import InputError, NotFound
from threadline.governance import Actor
from threadline.primitives.inputs import language_code
from threadline.victims.intake import country
from threadline.victims.records import (
    audit,
    load_open_row,
    load_row,
    require_care_role,
    view_of,
)
from threadline.victims.tables import referral as t_ref
from threadline.victims.tables import referral_event as t_event
from threadline.victims.tables import support_service as t_service
from threadline.victims.tables import victim_consent as t_consent
from threadline.victims.views import VictimView
from threadline.victims.vocabulary import (
    CONSENT_SCOPES,
    REFERRAL_STATUSES,
    REQUESTED,
    SERVICE_KINDS,
    TRANSITIONS,
    code,
)


def add_consent(
    conn: Connection,
    actor: Actor,
    ref: str,
    scope: str,
    *,
    note: str | None = None,
    component: str = "cli",
) -> VictimView:
    """Record that the person consented to ``scope`` (now, recorded by the actor)."""
    row = load_open_row(conn, actor, ref)
    norm = code("consent scope", scope, CONSENT_SCOPES)
    conn.execute(
        insert(t_consent).values(
            victim_id=row.id,
            scope=norm,
            given_at=datetime.now(UTC),
            recorded_by=actor.user,
            note=note,
        )
    )
    audit(conn, actor, "consent", row.pseudonym, component=component, scope=norm)
    return view_of(conn, actor, ref)


def withdraw_consent(
    conn: Connection, actor: Actor, ref: str, scope: str, *, component: str = "cli"
) -> VictimView:
    """Withdraw every active consent of that scope; the record of it stays.

    A closed record takes it too: the person may withdraw consent whenever they ask,
    and recording it only narrows what may be done, so care need not be reopened."""
    row = load_row(conn, ref)
    require_care_role(actor, row.owner_agency, row.owner_country)
    norm = code("consent scope", scope, CONSENT_SCOPES)
    result = conn.execute(
        update(t_consent)
        .where(
            t_consent.c.victim_id == row.id,
            t_consent.c.scope == norm,
            t_consent.c.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=datetime.now(UTC), withdrawn_by=actor.user)
    )
    if not result.rowcount:
        raise InputError(f"{row.pseudonym} has no active consent to {norm!r} to withdraw")
    audit(
        conn,
        actor,
        "consent_withdraw",
        row.pseudonym,
        component=component,
        result_count=result.rowcount,
        scope=norm,
    )
    return view_of(conn, actor, ref)


def has_consent(conn: Connection, ref: str, scope: str) -> bool:
    """Whether an active (not withdrawn) consent of that scope exists."""
    row = load_row(conn, ref)
    found = conn.execute(
        select(t_consent.c.id).where(
            t_consent.c.victim_id == row.id,
            t_consent.c.scope == code("consent scope", scope, CONSENT_SCOPES),
            t_consent.c.withdrawn_at.is_(None),
        )
    ).first()
    return found is not None


@dataclass(frozen=True)
class SupportService:
    id: int
    country: str
    kind: str
    name: str
    contact: str | None
    languages: list[str]
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "country": self.country,
            "kind": self.kind,
            "name": self.name,
            "contact": self.contact,
            "languages": self.languages,
            "note": self.note,
        }


def add_service(
    conn: Connection,
    country_code: str,
    kind: str,
    name: str,
    *,
    contact: str | None = None,
    languages: list[str] | None = None,
    note: str | None = None,
) -> SupportService:
    """Add an organisation to the directory of support services."""
    iso = country("country", country_code, required=True)
    if not name.strip():
        raise InputError("name: a service needs a name")
    norm = code("service kind", kind, SERVICE_KINDS)
    spoken = [language_code("languages", lang) for lang in languages or [] if lang.strip()]
    # Checked first: on PostgreSQL a failed insert would abort the caller's transaction.
    duplicate = select(t_service.c.id).where(
        t_service.c.country == iso, t_service.c.kind == norm, t_service.c.name == name.strip()
    )
    if conn.execute(duplicate).first() is not None:
        raise InputError(f"the directory already lists {norm} service {name.strip()!r} in {iso}")
    try:
        result = conn.execute(
            insert(t_service).values(
                country=iso,
                kind=norm,
                name=name.strip(),
                contact=contact,
                languages=list(dict.fromkeys(spoken)),
                note=note,
                created_at=datetime.now(UTC),
            )
        )
    except IntegrityError:
        raise InputError(f"the directory already lists {kind} service {name!r} in {iso}") from None
    key = result.inserted_primary_key
    assert key is not None
    return get_service(conn, int(key[0]))


def _service(row: Any) -> SupportService:
    return SupportService(
        row.id, row.country, row.kind, row.name, row.contact, list(row.languages or []), row.note
    )


def get_service(conn: Connection, service_id: int) -> SupportService:
    row = conn.execute(select(t_service).where(t_service.c.id == service_id)).first()
    if row is None:
        raise NotFound(
            f"no support service with id {service_id} (see 'threadline victims services list')"
        )
    return _service(row)


def list_services(
    conn: Connection, *, country_code: str | None = None, kind: str | None = None
) -> list[SupportService]:
    query = select(t_service).order_by(t_service.c.country, t_service.c.kind, t_service.c.name)
    if country_code:
        query = query.where(t_service.c.country == country("country", country_code))
    if kind:
        query = query.where(t_service.c.kind == code("service kind", kind, SERVICE_KINDS))
    return [_service(row) for row in conn.execute(query)]


def refer(
    conn: Connection,
    actor: Actor,
    ref: str,
    kind: str,
    *,
    service_id: int | None = None,
    note: str | None = None,
    component: str = "cli",
) -> tuple[VictimView, int]:
    """Request a support service for the person; returns the view and the referral id."""
    row = load_open_row(conn, actor, ref)
    norm = code("referral kind", kind, SERVICE_KINDS)
    if service_id is not None:
        service = get_service(conn, service_id)
        if service.kind != norm:
            raise InputError(
                f"service {service_id} ({service.name}) offers {service.kind}, not {norm}"
            )
    now = datetime.now(UTC)
    result = conn.execute(
        insert(t_ref).values(
            victim_id=row.id,
            kind=norm,
            service_id=service_id,
            status=REQUESTED,
            created_by=actor.user,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    conn.execute(
        insert(t_event).values(
            referral_id=key[0], status=REQUESTED, note=note, changed_by=actor.user, changed_at=now
        )
    )
    audit(
        conn,
        actor,
        "refer",
        row.pseudonym,
        component=component,
        referral=int(key[0]),
        kind=norm,
        service=service_id,
    )
    return view_of(conn, actor, ref), int(key[0])


def update_referral(
    conn: Connection,
    actor: Actor,
    ref: str,
    referral_id: int,
    status: str,
    *,
    note: str | None = None,
    component: str = "cli",
) -> VictimView:
    """Move a referral along its timeline (requested → accepted → in progress → completed)."""
    row = load_open_row(conn, actor, ref)
    current = conn.execute(
        select(t_ref).where(t_ref.c.id == referral_id, t_ref.c.victim_id == row.id)
    ).first()
    if current is None:
        raise NotFound(f"{row.pseudonym} has no referral {referral_id}")
    new = code("referral status", status, REFERRAL_STATUSES)
    allowed = TRANSITIONS[current.status]
    if new not in allowed:
        after = ", ".join(allowed) if allowed else "nothing (it is closed)"
        raise InputError(
            f"referral {referral_id} is {current.status}: it can become {after}, not {new}"
        )
    now = datetime.now(UTC)
    conn.execute(update(t_ref).where(t_ref.c.id == referral_id).values(status=new))
    conn.execute(
        insert(t_event).values(
            referral_id=referral_id, status=new, note=note, changed_by=actor.user, changed_at=now
        )
    )
    audit(
        conn,
        actor,
        "referral_update",
        row.pseudonym,
        component=component,
        referral=referral_id,
        status=new,
    )
    return view_of(conn, actor, ref)

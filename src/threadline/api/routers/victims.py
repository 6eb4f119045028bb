"""Victim care: records, consent, referrals, the services directory, reunification,
closing a record when care ends (never deleting it) and reopening it.

Every record is returned as the caller may see it: in full only to a victim
liaison officer of the owning agency, pseudonymised to everyone else. Changes
are for that officer. Governance and the audit event (ids and counts only) are
in the victims package and happen in the request's transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from threadline.api.deps import PageDep, PurposeActor, StoreDep, paginated, require_role
from threadline.governance import Actor, Role
from threadline.victims import (
    add_consent,
    add_service,
    build_intake,
    close_victim,
    create_victim,
    get_victim,
    link_entities,
    link_missing_report,
    list_services,
    list_victims,
    notify_reporting_country,
    record_reunification,
    refer,
    reopen_victim,
    update_referral,
    withdraw_consent,
)

router = APIRouter(tags=["victim care"])
Liaison = Annotated[Actor, require_role(Role.VICTIM_LIAISON)]


class Personal(BaseModel):
    name: str | None = None
    other_names: list[str] = []
    date_of_birth: str | None = Field(default=None, examples=["1990-07"])
    documents: list[str] = []
    phones: list[str] = []
    emails: list[str] = []
    address: str | None = None


class VictimIn(BaseModel):
    identified_on: str = Field(examples=["2026-04-01"])
    identified_how: str = Field(examples=["border"])
    identified_country: str | None = Field(default=None, description="Default: the caller's.")
    identified_place: str | None = None
    sex: str | None = None
    minor: bool | None = None
    nationality: str | None = None
    operation: str | None = None
    forms: list[str] = []
    needs: list[str] = []
    language: str | None = None
    personal: Personal = Personal()
    entity_ids: list[str] = []
    non_punishment: bool = False
    compelled_offences: list[str] = []


class ConsentIn(BaseModel):
    scope: str = Field(examples=["referral"])
    note: str | None = None


class ReferralIn(BaseModel):
    kind: str = Field(examples=["shelter"])
    service_id: int | None = None
    note: str | None = None


class StatusIn(BaseModel):
    status: str = Field(examples=["accepted"])
    note: str | None = None


class EntitiesIn(BaseModel):
    entity_ids: list[str] = Field(min_length=1)


class MissingReportIn(BaseModel):
    report_id: str = Field(examples=["2025/12345"])
    country: str = Field(examples=["VN"])


class NotifyIn(BaseModel):
    country: str | None = Field(default=None, description="Default: the reporting country.")
    agency: str | None = Field(
        default=None, description="Default: the agency owning the report in that country."
    )
    message: str | None = Field(
        default=None, description="Refused if it holds the person's data; default: safe text."
    )


class ReunionIn(BaseModel):
    date: str = Field(examples=["2026-05-10"])
    relationship: str = Field(examples=["mother"])
    with_whom: str | None = None
    country: str | None = None


class ReasonIn(BaseModel):
    reason: str = Field(
        max_length=2000,
        examples=["care completed: returned home"],
        description="Why (required; kept on the record, shown with the identity, never audited).",
    )


class ServiceIn(BaseModel):
    country: str
    kind: str
    name: str
    contact: str | None = None
    languages: list[str] = []
    note: str | None = None


@router.post("/victims", status_code=201)
def create(body: VictimIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Open a victim record owned by the caller's agency (victim liaison officers)."""
    intake = build_intake(
        **body.model_dump(exclude={"personal", "identified_country"}),
        identified_country=body.identified_country or actor.country,
        personal=body.personal.model_dump(),
    )
    with store.begin() as conn:
        return create_victim(conn, actor, intake, component="api").to_dict()


@router.get("/victims")
def victims(
    store: StoreDep,
    actor: PurposeActor,
    p: PageDep,
    operation: Annotated[str | None, Query(max_length=100)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    status: Annotated[
        str, Query(max_length=10, description="open (default), closed or all.")
    ] = "open",
) -> dict[str, Any]:
    """Victim records, each pseudonymised unless the caller may see that identity; the open
    ones (in care) unless ``status`` asks for the closed ones or all."""
    with store.begin() as conn:
        items = list_victims(
            conn, actor, operation=operation, country=country, status=status, component="api"
        )
    window = items[p.offset : p.offset + p.limit + 1]
    return paginated([v.to_dict() for v in window], p, len(items))


@router.get("/victims/{pseudonym}")
def show(pseudonym: str, store: StoreDep, actor: PurposeActor) -> dict[str, Any]:
    """One record: its status and status timeline, consent, the referrals timeline,
    notifications and reunification (pseudonymised unless the caller may see it)."""
    with store.begin() as conn:
        return get_victim(conn, actor, pseudonym, component="api").to_dict()


@router.post("/victims/{pseudonym}/close")
def close(pseudonym: str, body: ReasonIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Close the record (care ended, or opened by mistake): kept, but takes no changes."""
    with store.begin() as conn:
        return close_victim(conn, actor, pseudonym, reason=body.reason, component="api").to_dict()


@router.post("/victims/{pseudonym}/reopen")
def reopen(pseudonym: str, body: ReasonIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Reopen a closed record (care resumes, or it was closed by mistake)."""
    with store.begin() as conn:
        view = reopen_victim(conn, actor, pseudonym, reason=body.reason, component="api")
    return view.to_dict()


@router.post("/victims/{pseudonym}/consents", status_code=201)
def consent(pseudonym: str, body: ConsentIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Record the person's informed consent to a scope."""
    with store.begin() as conn:
        view = add_consent(conn, actor, pseudonym, body.scope, note=body.note, component="api")
    return view.to_dict()


@router.post("/victims/{pseudonym}/consents/{scope}/withdraw")
def withdraw(pseudonym: str, scope: str, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Withdraw every active consent of that scope (the record of it stays)."""
    with store.begin() as conn:
        return withdraw_consent(conn, actor, pseudonym, scope, component="api").to_dict()


@router.post("/victims/{pseudonym}/referrals", status_code=201)
def referral(pseudonym: str, body: ReferralIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Refer the person to a support service (status: requested)."""
    with store.begin() as conn:
        view, referral_id = refer(
            conn,
            actor,
            pseudonym,
            body.kind,
            service_id=body.service_id,
            note=body.note,
            component="api",
        )
    return {"referral_id": referral_id, "victim": view.to_dict()}


@router.post("/victims/{pseudonym}/referrals/{referral_id}/status")
def referral_status(
    pseudonym: str, referral_id: int, body: StatusIn, store: StoreDep, actor: Liaison
) -> dict[str, Any]:
    """Move a referral along its timeline (accepted, in_progress, completed, declined)."""
    with store.begin() as conn:
        view = update_referral(
            conn, actor, pseudonym, referral_id, body.status, note=body.note, component="api"
        )
    return view.to_dict()


@router.post("/victims/{pseudonym}/entities")
def entities(pseudonym: str, body: EntitiesIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Link person entities to the record (they become protected everywhere)."""
    with store.begin() as conn:
        return link_entities(conn, actor, pseudonym, body.entity_ids, component="api").to_dict()


@router.post("/victims/{pseudonym}/missing-report")
def missing_report(
    pseudonym: str, body: MissingReportIn, store: StoreDep, actor: Liaison
) -> dict[str, Any]:
    """Link the record to a missing-person report (e.g. a yellow notice)."""
    with store.begin() as conn:
        view = link_missing_report(
            conn, actor, pseudonym, body.report_id, body.country, component="api"
        )
    return view.to_dict()


@router.post("/victims/{pseudonym}/notifications", status_code=201)
def notify(pseudonym: str, body: NotifyIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Notify the reporting country's agency (delivered to its inbox; no personal data)."""
    with store.begin() as conn:
        view, note_id = notify_reporting_country(
            conn,
            actor,
            pseudonym,
            to_country=body.country,
            to_agency=body.agency,
            message=body.message,
            component="api",
        )
    return {"notification_id": note_id, "victim": view.to_dict()}


@router.post("/victims/{pseudonym}/reunifications", status_code=201)
def reunite(pseudonym: str, body: ReunionIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Record a family reunification."""
    with store.begin() as conn:
        view = record_reunification(
            conn,
            actor,
            pseudonym,
            on=body.date,
            relationship=body.relationship,
            with_whom=body.with_whom,
            where=body.country,
            component="api",
        )
    return view.to_dict()


@router.get("/victim-services")
def services(
    store: StoreDep,
    actor: PurposeActor,
    p: PageDep,
    country: Annotated[str | None, Query(max_length=60)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """The directory of support services (organisations, not people)."""
    with store.connect() as conn:
        items = list_services(conn, country_code=country, kind=kind)
    window = items[p.offset : p.offset + p.limit + 1]
    return paginated([s.to_dict() for s in window], p, len(items))


@router.post("/victim-services", status_code=201)
def add(body: ServiceIn, store: StoreDep, actor: Liaison) -> dict[str, Any]:
    """Add an organisation to the directory (victim liaison officers)."""
    from threadline.governance.audit import record

    with store.begin() as conn:
        item = add_service(
            conn,
            body.country,
            body.kind,
            body.name,
            contact=body.contact,
            languages=body.languages,
            note=body.note,
        )
        record(
            conn,
            actor,
            "victim_service.create",
            component="api",
            target_type="victim_service",
            target_id=str(item.id),
        )
    return item.to_dict()

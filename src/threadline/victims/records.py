"""Creating victim records and reading them through governance (pseudonymised by default)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, may_see_victim_identity
from threadline.governance.access import Access
from threadline.governance.audit import record
from threadline.governance.policy import may_change_victim_record, may_link_victim, owns
from threadline.primitives.inputs import country_code
from threadline.store.operation_codes import require_operation
from threadline.store.tables import statement as t_statement
from threadline.victims.intake import VictimIntake
from threadline.victims.pseudonyms import new_pseudonym
from threadline.victims.tables import victim as t_victim
from threadline.victims.tables import victim_entity as t_entity
from threadline.victims.views import VictimView, build_view
from threadline.victims.vocabulary import CLOSED, LIST_STATUSES, OPEN, code


def require_care_role(actor: Actor, owner_agency: str, owner_country: str) -> None:
    """Raise ``AccessDenied`` unless governance lets the actor change the record."""
    decision = may_change_victim_record(actor, owner_agency, owner_country)
    if not decision:
        raise AccessDenied(decision.reason)


def require_open(row: Any) -> None:
    """Raise ``InputError`` when the record is closed: a closed record takes no changes
    until a liaison officer reopens it (with a reason), so care recorded after its end
    is never mistaken for care given while it was open."""
    if row.status == CLOSED:
        raise InputError(
            f"{row.pseudonym} is closed (since {row.closed_at:%Y-%m-%d}, by {row.closed_by}) "
            "and takes no changes; reopen it first: "
            f"threadline victims reopen {row.pseudonym} --reason TEXT"
        )


def load_open_row(conn: Connection, actor: Actor, ref: str) -> Any:
    """The stored row of a record the actor may change and that is open, else a clear error
    (who may change it is checked first, so the status of another agency's record is not
    told to someone who may not change it)."""
    row = load_row(conn, ref)
    require_care_role(actor, row.owner_agency, row.owner_country)
    require_open(row)
    return row


def audit(
    conn: Connection,
    actor: Actor,
    action: str,
    pseudonym: str | None,
    *,
    component: str,
    result_count: int | None = None,
    **detail: Any,
) -> None:
    """One audit event for a victim record (ids and counts only, never personal values)."""
    record(
        conn,
        actor,
        f"victim.{action}",
        component=component,
        target_type="victim",
        target_id=pseudonym,
        result_count=result_count,
        detail=detail,
    )


def create_victim(
    conn: Connection, actor: Actor, intake: VictimIntake, *, component: str = "cli"
) -> VictimView:
    """Store a victim record owned by the actor's agency; returns the full view."""
    require_care_role(actor, actor.agency, actor.country)
    if intake.operation is not None:
        require_operation(conn, intake.operation)
    now = datetime.now(UTC)
    pseudonym = _free_pseudonym(conn)
    result = conn.execute(
        insert(t_victim).values(
            pseudonym=pseudonym,
            owner_agency=actor.agency,
            owner_country=actor.country,
            personal=intake.personal,
            sex=intake.sex,
            minor=intake.minor,
            nationality=intake.nationality,
            identified_on=intake.identified_on,
            identified_how=intake.identified_how,
            identified_country=intake.identified_country,
            identified_place=intake.identified_place,
            operation=intake.operation,
            forms=list(intake.forms),
            needs=list(intake.needs),
            language=intake.language,
            non_punishment=intake.non_punishment,
            compelled_offences=list(intake.compelled_offences),
            created_by=actor.user,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    _require_linkable(conn, actor, intake.entity_ids)
    linked = _link(conn, int(key[0]), intake.entity_ids, actor.user)
    audit(conn, actor, "create", pseudonym, component=component, linked_entities=linked)
    return view_of(conn, actor, pseudonym)


def _free_pseudonym(conn: Connection) -> str:
    """A pseudonym no record has yet (collisions in 2**40 are rare; draw again if one occurs)."""
    while True:
        candidate = new_pseudonym()
        taken = conn.execute(select(t_victim.c.id).where(t_victim.c.pseudonym == candidate)).first()
        if taken is None:
            return candidate


def _link(
    conn: Connection, victim_id: int, entity_ids: tuple[str, ...] | list[str], user: str
) -> int:
    known = set(
        conn.execute(
            select(t_entity.c.entity_id).where(t_entity.c.victim_id == victim_id)
        ).scalars()
    )
    new = [e for e in dict.fromkeys(entity_ids) if e not in known]
    if new:
        now = datetime.now(UTC)
        conn.execute(
            insert(t_entity),
            [
                {"victim_id": victim_id, "entity_id": e, "linked_by": user, "linked_at": now}
                for e in new
            ],
        )
    return len(new)


def link_entities(
    conn: Connection, actor: Actor, ref: str, entity_ids: list[str], *, component: str = "cli"
) -> VictimView:
    """Record that these FtM entities (in any collection) are this person."""
    row = load_open_row(conn, actor, ref)
    wanted = [e.strip() for e in entity_ids if e.strip()]
    _require_linkable(conn, actor, wanted)
    added = _link(conn, row.id, wanted, actor.user)
    audit(conn, actor, "link_entity", row.pseudonym, component=component, result_count=added)
    return view_of(conn, actor, ref)


def _require_linkable(conn: Connection, actor: Actor, entity_ids: Sequence[str]) -> None:
    """Every entity to link must exist, be visible to the actor and be held by the actor's
    agency alone: a link shields the entity in every view, so it must never silence another
    agency's data (their wanted notice stays theirs)."""
    if actor.system or not entity_ids:
        return
    access = Access(conn, actor)
    seen = access.visible_entities(entity_ids)
    owned = {c.id for c in access.collections.values() if owns(actor, c)}
    held = _collections_of(conn, entity_ids)
    for entity_id in entity_ids:
        if entity_id not in seen:
            raise NotFound(f"no entity with id {entity_id!r}")
        decision = may_link_victim(actor, bool(held.get(entity_id)) and held[entity_id] <= owned)
        if not decision:
            raise AccessDenied(f"{entity_id}: {decision.reason}")


def _collections_of(conn: Connection, entity_ids: Sequence[str]) -> dict[str, set[int]]:
    rows = conn.execute(
        select(t_statement.c.entity_id, t_statement.c.collection_id)
        .where(t_statement.c.entity_id.in_(list(entity_ids)))
        .distinct()
    )
    found: dict[str, set[int]] = {}
    for entity_id, collection_id in rows:
        found.setdefault(str(entity_id), set()).add(int(collection_id))
    return found


def load_row(conn: Connection, ref: str) -> Any:
    """The stored row of a victim record by pseudonym (or numeric id)."""
    text = str(ref).strip()
    condition = t_victim.c.pseudonym == text.upper()
    # an id is ASCII digits within what the store keeps ("²" is a digit to Python, not an id)
    if text.isascii() and text.isdigit() and int(text) < 2**63:
        condition = or_(condition, t_victim.c.id == int(text))
    row = conn.execute(select(t_victim).where(condition)).first()
    if row is None:
        raise NotFound(f"no victim record {text!r} (see 'threadline victims list')")
    return row


def view_of(conn: Connection, actor: Actor, ref: str) -> VictimView:
    """The record as this actor may see it, without an audit event (the caller records one)."""
    return build_view(conn, actor, load_row(conn, ref))


def get_victim(conn: Connection, actor: Actor, ref: str, *, component: str = "cli") -> VictimView:
    """One victim record as this actor may see it (pseudonymised unless governance allows).

    Every read is audited in the caller's transaction, with whether the identity was shown.
    """
    view = view_of(conn, actor, ref)
    audit(
        conn,
        actor,
        "read",
        view.pseudonym,
        component=component,
        result_count=1,
        identity_visible=view.identity_visible,
    )
    return view


def list_victims(
    conn: Connection,
    actor: Actor,
    *,
    operation: str | None = None,
    country: str | None = None,
    status: str = OPEN,
    component: str = "cli",
) -> list[VictimView]:
    """Victim records, each pseudonymised unless the actor may see that record's identity.

    ``status`` is ``open`` (the default: the records in care, a liaison officer's
    caseload), ``closed`` or ``all``. The filters are checked as any other input: an
    operation that is not stored or a country that is none is an error, not an empty
    list that looks like an answer."""
    status = code("status", status, LIST_STATUSES)
    query = select(t_victim).order_by(t_victim.c.id)
    if status != "all":
        query = query.where(t_victim.c.status == status)
    if operation is not None:
        operation = require_operation(conn, operation)
        query = query.where(t_victim.c.operation == operation)
    if country is not None:
        country = country_code("country", country)
        query = query.where(t_victim.c.identified_country == country)
    views = [build_view(conn, actor, row) for row in conn.execute(query)]
    record(
        conn,
        actor,
        "victim.list",
        component=component,
        target_type="victim",
        result_count=len(views),
        detail={
            "operation": operation,
            "country": country,
            "status": status,
            "identities_shown": sum(v.identity_visible for v in views),
        },
    )
    return views


def count_by_operation(conn: Connection, code: str) -> dict[str, int]:
    """Victim records identified in an operation, counted per country (counts only)."""
    rows = conn.execute(
        select(t_victim.c.identified_country, func.count())
        .where(t_victim.c.operation == code)
        .group_by(t_victim.c.identified_country)
    )
    return {country: int(count) for country, count in rows}


def identity_decision(actor: Actor, row: Any) -> tuple[bool, str]:
    if actor.system:
        return True, "platform process"
    decision = may_see_victim_identity(actor, row.owner_agency, row.owner_country)
    return decision.allowed, decision.reason

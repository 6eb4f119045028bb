"""Data subjects' rights: everything held about one person, and erasure of personal values.

Erasure removes the person's statements (in the collections the actor's agency
owns: only the source may change its data), the findings about them and their
merges, and records an audit event with counts only, so the audit chain stays
verifiable and holds no erased value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, update

from threadline.exc import InputError, NotFound
from threadline.governance.access import Access
from threadline.governance.actors import Actor
from threadline.governance.audit import record
from threadline.governance.policy import require_purpose
from threadline.store import Store
from threadline.store.collections import list_collections
from threadline.store.merges import canonical_of, members_of
from threadline.store.scopes import all_scopes
from threadline.store.statements import sourced_values
from threadline.store.tables import entity_merge as t_merge
from threadline.store.tables import finding as t_finding
from threadline.store.tables import statement as t_statement

FINDING_KINDS = (
    "screening_hit",
    "trace_lead",
    "trace_possible",
    "link",
    "ad_risk",
    "victim_indicator",
)


def person_data(store: Store, actor: Actor, entity_id: str) -> dict[str, Any]:
    """Every value, merge and finding held about an entity that the actor may see."""
    require_purpose(actor)
    with store.begin() as conn:
        access = Access(conn, actor)
        canonical = canonical_of(conn, entity_id)
        members = members_of(conn, canonical)  # a merged id stands for its members
        hidden = any(access.shield.hides(m) for m in {entity_id, canonical, *members})
        values = [] if hidden else sourced_values(conn, members, access.collection_ids)
        findings = []
        for kind in FINDING_KINDS if values else ():
            findings += access.findings(kind, subject_ids=members)
            findings += access.findings(kind, related_ids=members)
        record(
            conn,
            actor,
            "person.export",
            target_type="entity",
            target_id=entity_id,
            result_count=len(values),
            outcome="success" if values else "not_found",
        )
    if not values:
        raise NotFound(f"no entity with id {entity_id!r}")
    exported: dict[str, Any] = access.shield.redact(
        {
            "id": canonical,
            "members": members,
            "values": [v.to_dict() for v in values],
            "findings": [f.to_dict() for f in findings],
        }
    )
    return exported


Eraser = Callable[[Connection, Actor, str], dict[str, int]]


def erase_person(
    store: Store,
    actor: Actor,
    entity_id: str,
    reason: str,
    *,
    also: Eraser | None = None,
) -> dict[str, int]:
    """Delete an entity's personal values held by the actor's agency; returns counts.

    Only the source may change its data: values in other agencies' collections stay,
    and so do the findings other agencies' runs made. The findings the agency's own runs
    made about the entity go, and the platform's where they rest only on the agency's
    collections. Merges of the id are undone once no value of it is left anywhere.

    ``also(conn, actor, entity_id)`` erases, in the same transaction, what the layers above
    keep about the person for the agency (alerts, archived manifests) and returns counts;
    a person held only there (a traveller on a screened manifest) is erased too.
    """
    if len(reason.strip()) < 10:
        raise InputError("erasure needs a reason of at least 10 characters")
    with store.begin() as conn:
        extra = also(conn, actor, entity_id) if also is not None else {}
        owned = [
            c.id
            for c in list_collections(conn)
            if c.id is not None
            and (c.owner_agency, c.owner_country) == (actor.agency, actor.country)
        ]
        held = conn.execute(
            select(t_statement.c.id)
            .where(t_statement.c.entity_id == entity_id)
            .where(t_statement.c.collection_id.in_(owned))
            .limit(1)
        ).first()
        if held is None and not any(extra.values()):
            raise NotFound(f"your agency holds no entity with id {entity_id!r}")
        values = conn.execute(
            delete(t_statement)
            .where(t_statement.c.entity_id == entity_id)
            .where(t_statement.c.collection_id.in_(owned))
        ).rowcount
        own_scopes = [
            scope_id for scope_id, scope in all_scopes(conn) if scope.collections <= set(owned)
        ]
        findings = conn.execute(
            delete(t_finding).where(
                or_(t_finding.c.subject_id == entity_id, t_finding.c.related_id == entity_id),
                or_(
                    and_(t_finding.c.agency == actor.agency, t_finding.c.country == actor.country),
                    and_(t_finding.c.agency.is_(None), t_finding.c.scope_id.in_(own_scopes)),
                ),
            )
        ).rowcount
        left = conn.execute(
            select(t_statement.c.id).where(t_statement.c.entity_id == entity_id).limit(1)
        ).first()
        if left is None:
            conn.execute(
                update(t_merge)
                .where(t_merge.c.entity_id == entity_id)
                .where(t_merge.c.deleted_at.is_(None))
                .values(deleted_at=datetime.now(UTC), deleted_by=actor.user)
            )
        counts = {"values": int(values), "findings": int(findings), **extra}
        record(
            conn,
            actor,
            "person.erase",
            target_type="entity",
            target_id=entity_id,
            result_count=counts["values"],
            detail={"reason": reason.strip(), **counts},
        )
    return counts

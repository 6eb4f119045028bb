"""Reading entities (with merges resolved and provenance attached) and merging them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.exc import NotFound
from threadline.governance import SYSTEM, Actor, require_purpose
from threadline.governance.access import Access
from threadline.governance.audit import append, record
from threadline.governance.shield import redact_entity
from threadline.store import Store
from threadline.store.merges import canonical_of, members_of, merge_entities, split_entity
from threadline.store.statements import (
    SourcedValue,
    assemble,
    sourced_values,
    tidy_entity_fields,
)


@dataclass
class EntityView:
    """One (possibly merged) entity: its FtM form, its members and every sourced value."""

    id: str
    entity: EntityProxy
    members: list[str]
    values: list[SourcedValue]

    def to_dict(self) -> dict[str, Any]:
        data = self.entity.to_dict()
        data["id"] = self.id
        data["members"] = self.members
        data["values"] = [v.to_dict() for v in self.values]
        return data


def _combine(canonical: str, parts: list[EntityProxy]) -> EntityProxy:
    combined = parts[0].clone()
    for part in parts[1:]:
        try:
            combined = combined.merge(part)
        except Exception:  # noqa: BLE001 - incompatible schemata: fall back to Thing
            merged = model.make_entity("Thing")
            merged.id = canonical
            for item in (combined, part):
                for prop, value in item.itervalues():
                    if merged.schema.get(prop.name) is not None:
                        merged.unsafe_add(prop, value, cleaned=True)
            combined = merged
    combined.id = canonical
    tidy_entity_fields(combined.context)  # FtM's merge lists every context value
    return combined


def get_entity(store: Store, entity_id: str, actor: Actor = SYSTEM) -> EntityView:
    """An entity by any of its ids, merges resolved, with every value's source.

    A person-revealing read: it needs a purpose and is audited (committed before the
    result is returned). Only values from collections the actor may see are used; an
    entity the actor may not see, or one tied to a victim whose identity the actor may
    not see, is reported exactly like one that does not exist. Identifying values of
    hidden victims written in this entity (a phone, a holder's id) are withheld.
    """
    require_purpose(actor)
    if "\x00" in entity_id:
        raise NotFound(f"no entity with id {entity_id!r}")
    with store.connect() as conn:
        access = Access(conn, actor)
        canonical = canonical_of(conn, entity_id)
        members = members_of(conn, canonical)  # a merged id stands for its members
        shield = access.shield
        hidden = any(shield.hides(i) for i in {entity_id, canonical, *members})
        visible = None if actor.system else access.collection_ids
        values = [] if hidden else sourced_values(conn, members, visible)
    parts = assemble(values)  # the values come ordered by entity, as statements do
    append(
        store,
        actor,
        "entity.read",
        target_type="entity",
        target_id=entity_id,
        result_count=len(parts),
        outcome="success" if parts else "not_found",
    )
    if not parts:
        raise NotFound(f"no entity with id {entity_id!r}")
    combined = redact_entity(_combine(canonical, parts), shield)
    shown = [replace(v, value=shield.redactor.text(v.value)) for v in values]
    return EntityView(canonical, combined, members, shown)


def merge(
    store: Store, entity_ids: list[str], *, actor: Actor = SYSTEM, reason: str | None = None
) -> str:
    """Merge entities into one canonical entity (reversible); returns its id."""
    with store.begin() as conn:
        canonical = merge_entities(conn, entity_ids, user=actor.user, reason=reason)
        record(
            conn,
            actor,
            "entity.merge",
            target_type="entity",
            target_id=canonical,
            detail={"members": sorted(set(entity_ids)), "reason": reason},
        )
        return canonical


def split(store: Store, entity_id: str, *, actor: Actor = SYSTEM) -> list[str]:
    """Undo a merge for one entity (or a whole canonical id)."""
    with store.begin() as conn:
        remaining = split_entity(conn, entity_id, user=actor.user)
        record(conn, actor, "entity.split", target_type="entity", target_id=entity_id)
        return remaining

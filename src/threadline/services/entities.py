"""Reading entities (with merges resolved and provenance attached) and merging them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.exc import NotFound
from threadline.store import Store
from threadline.store.merges import canonical_of, members_of, merge_entities, split_entity
from threadline.store.statements import SourcedValue, get_entities, sourced_values


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
    return combined


def get_entity(store: Store, entity_id: str) -> EntityView:
    """An entity by any of its ids, merges resolved, with every value's source."""
    with store.connect() as conn:
        canonical = canonical_of(conn, entity_id)
        members = members_of(conn, canonical) if canonical != entity_id else [entity_id]
        parts = get_entities(conn, members)
        values = sourced_values(conn, members)
    if not parts:
        raise NotFound(f"no entity with id {entity_id!r}")
    return EntityView(canonical, _combine(canonical, parts), members, values)


def merge(store: Store, entity_ids: list[str], *, user: str, reason: str | None = None) -> str:
    """Merge entities into one canonical entity (reversible); returns its id."""
    with store.begin() as conn:
        return merge_entities(conn, entity_ids, user=user, reason=reason)


def split(store: Store, entity_id: str, *, user: str) -> list[str]:
    """Undo a merge for one entity (or a whole canonical id)."""
    with store.begin() as conn:
        return split_entity(conn, entity_id, user=user)

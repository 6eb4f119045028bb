"""Around one entity: the entities linked to it, its timeline and the places it touches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from followthemoney import model
from sqlalchemy import select

from threadline.governance import SYSTEM, Actor
from threadline.governance.access import Access
from threadline.governance.shield import redact_entity
from threadline.store import Store
from threadline.store.statements import get_entities
from threadline.store.tables import statement as t_statement

LINK_LIMIT = 200


@dataclass(frozen=True)
class Link:
    """Another entity that points at this one (or that this one points at), and how."""

    entity_id: str
    schema: str
    caption: str
    prop: str  # the property that makes the link, e.g. "holder" or "owner"
    direction: str  # "in": the other entity names this one; "out": this one names it

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    entity_id: str
    caption: str
    prop: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class EntityContext:
    links: list[Link]
    timeline: list[TimelineEvent]
    countries: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "links": [link.to_dict() for link in self.links],
            "timeline": [event.to_dict() for event in self.timeline],
            "countries": self.countries,
        }


def entity_context(store: Store, members: list[str], actor: Actor = SYSTEM) -> EntityContext:
    """Links, dated events and countries for an entity (given all its member ids)."""
    with store.connect() as conn:
        access = Access(conn, actor)
        shield = access.shield
        visible = None if actor.system else access.collection_ids
        incoming = select(t_statement.c.entity_id, t_statement.c.prop).where(
            t_statement.c.prop_type == "entity", t_statement.c.value.in_(members)
        )
        outgoing = select(t_statement.c.value, t_statement.c.prop).where(
            t_statement.c.prop_type == "entity", t_statement.c.entity_id.in_(members)
        )
        if visible is not None:
            incoming = incoming.where(t_statement.c.collection_id.in_(visible))
            outgoing = outgoing.where(t_statement.c.collection_id.in_(visible))
        pairs = [(row[0], row[1], "in") for row in conn.execute(incoming.limit(LINK_LIMIT))]
        pairs += [(row[0], row[1], "out") for row in conn.execute(outgoing.limit(LINK_LIMIT))]
        others = sorted({p[0] for p in pairs} - set(members))
        # What ties the entity to a victim the actor may not see is not shown at all.
        entities = {
            e.id: redact_entity(e, shield)
            for e in get_entities(conn, others, visible)
            if not shield.hides(str(e.id))
        }
        own = [redact_entity(e, shield) for e in get_entities(conn, members, visible)]
    links = [
        Link(other, entities[other].schema.label, entities[other].caption, prop, direction)
        for other, prop, direction in sorted(set(pairs))
        if other in entities
    ]
    timeline: list[TimelineEvent] = []
    countries: set[str] = set()
    for entity in [*own, *entities.values()]:
        countries.update(c.upper() for c in entity.countries if len(c) == 2)
        for prop, value in entity.itervalues():
            if prop.type.name == "date" and prop.name not in ("modifiedAt", "retrievedAt"):
                timeline.append(TimelineEvent(value, str(entity.id), entity.caption, prop.label))
    timeline.sort(key=lambda e: (e.date, e.entity_id))
    return EntityContext(links, timeline, sorted(countries))


def schema_label(name: str) -> str:
    schema = model.get(name)
    return schema.label if schema else name

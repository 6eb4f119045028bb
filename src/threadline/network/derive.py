"""Edges from statements and findings (no I/O: rows in, edge rows out).

Edge schemata (Family, Associate, Payment, ...) become one edge from their source
to their target; entity-typed properties (Passport.holder, Trip.involved) an
edge from the entity to the one it names; pivot values an edge from the entity
to a selector node. Entity-resolution clusters and personas, stored as findings
by other analyses, add ``same_as`` and ``persona`` edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model

from threadline.network.nodes import persona_key, selector_key, selector_kind

DATE_PROPS = ("startDate", "date", "endDate")
PAYMENT_SCHEMATA = frozenset({"Payment"})
FINDING_EDGE_KINDS = ("same_as", "persona")


@dataclass(frozen=True)
class EdgeRow:
    """One derived edge, as stored in ``network_edge``."""

    owner: str
    source: str
    target: str
    kind: str
    label: str
    collection_id: int | None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "label": self.label,
            "collection_id": self.collection_id,
            "date": self.date,
        }


@dataclass
class EntityValues:
    """The statements of one entity within one collection."""

    entity_id: str
    schema: str
    collection_id: int
    values: list[tuple[str, str, str]] = field(default_factory=list)  # (prop, prop_type, value)

    def get(self, prop: str) -> list[str]:
        return [value for name, _type, value in self.values if name == prop]


def group_rows(rows: Iterable[Any]) -> Iterator[EntityValues]:
    """Group rows (entity_id, schema, prop, prop_type, value, collection_id) ordered by entity."""
    current: dict[int, EntityValues] = {}
    current_id: str | None = None
    for row in rows:
        if row.entity_id != current_id:
            yield from current.values()
            current, current_id = {}, row.entity_id
        group = current.get(row.collection_id)
        if group is None:
            group = current[row.collection_id] = EntityValues(
                row.entity_id, row.schema, row.collection_id
            )
        if row.prop != "id":
            group.values.append((row.prop, row.prop_type, row.value))
    yield from current.values()


def entity_edges(group: EntityValues) -> list[EdgeRow]:
    """Every edge one entity's statements (in one collection) give rise to."""
    schema = model.get(group.schema)
    if schema is None:
        return []
    dates = sorted(v for p in DATE_PROPS for v in group.get(p))
    date = dates[0] if dates else None

    def edge(source: str, target: str, kind: str, label: str) -> EdgeRow:
        return EdgeRow(group.entity_id, source, target, kind, label, group.collection_id, date)

    edges: list[EdgeRow] = []
    endpoints: set[str] = set()
    if schema.edge and schema.source_prop is not None and schema.target_prop is not None:
        edge_kind = "payment" if schema.is_a("Payment") else "relation"
        source_prop, target_prop = schema.source_prop.name, schema.target_prop.name
        endpoints = {source_prop, target_prop}
        for source in group.get(source_prop):
            for target in group.get(target_prop):
                if source != target:
                    edges.append(edge(source, target, edge_kind, schema.name))
    for prop, prop_type, value in group.values:
        if prop in endpoints:
            continue
        if prop_type == "entity":
            if value != group.entity_id:
                edges.append(edge(group.entity_id, value, "property", prop))
            continue
        pivot = selector_kind(group.schema, prop, prop_type)
        if pivot is not None and value.strip():
            edges.append(edge(group.entity_id, selector_key(pivot, value), "selector", prop))
    return edges


def finding_edges(
    kind: str, key: str, collection_id: int | None, data: dict[str, Any]
) -> list[EdgeRow]:
    """Edges from a stored finding: a resolution cluster or a persona with its ads."""
    owner = f"finding:{kind}:{key}"
    if kind == "link_cluster":
        members = sorted({str(m) for m in data.get("members") or []})
        return [
            EdgeRow(owner, members[0], other, "same_as", "link_cluster", collection_id)
            for other in members[1:]
        ]
    if kind == "persona":
        node = persona_key(key)
        ads = sorted({str(a) for a in data.get("ad_ids") or []})
        return [EdgeRow(owner, node, ad, "persona", "persona", collection_id) for ad in ads]
    return []

"""Edges from statements and findings (no I/O: rows in, edge rows out).

Edge schemata (Family, Associate, Payment, ...) become one edge from their source
to their target; entity-typed properties (Passport.holder, Trip.involved) an
edge from the entity to the one it names; pivot values an edge from the entity
to a selector node. Entity-resolution clusters and personas, stored as findings
by other analyses, add ``same_as`` and ``persona`` edges (a persona to its ads and
to the selectors its ads carry).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
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
    seen: set[tuple[str, str, str, str]] = set()

    def add(source: str, target: str, kind: str, label: str) -> None:
        # An entity restated by many source records (an airport named on every manifest
        # line) says each link once: repeats would read as many links in degrees and hubs.
        if (source, target, kind, label) not in seen:
            seen.add((source, target, kind, label))
            edges.append(edge(source, target, kind, label))

    endpoints: set[str] = set()
    if schema.edge and schema.source_prop is not None and schema.target_prop is not None:
        edge_kind = "payment" if schema.is_a("Payment") else "relation"
        source_prop, target_prop = schema.source_prop.name, schema.target_prop.name
        endpoints = {source_prop, target_prop}
        for source in group.get(source_prop):
            for target in group.get(target_prop):
                if source != target:
                    add(source, target, edge_kind, schema.name)
    for prop, prop_type, value in group.values:
        if prop in endpoints:
            continue
        if prop_type == "entity":
            if value != group.entity_id:
                add(group.entity_id, value, "property", prop)
            continue
        pivot = selector_kind(group.schema, prop, prop_type)
        if pivot is not None and value.strip():
            add(group.entity_id, selector_key(pivot, value), "selector", prop)
    return edges


# Selector kinds of the ads analysis (threadline.ads) as graph selector kinds. A handle is
# written ``service:handle`` and an account ``platform:handle``; the graph keeps one node
# per handle whatever the service, as it does for ``UserAccount.username``.
PERSONA_SELECTOR_KINDS = {
    "phone": "phone",
    "email": "email",
    "wallet": "wallet",
    "handle": "handle",
    "account": "handle",
}


def persona_selector(kind: str, value: str) -> str | None:
    """The graph node of one selector a persona's ads carry (None for a kind that links nothing)."""
    graph_kind = PERSONA_SELECTOR_KINDS.get(kind)
    if graph_kind is None:
        return None
    if graph_kind == "handle" and ":" in value:
        value = value.split(":", 1)[1]
    if not value.strip():
        return None
    return selector_key(graph_kind, value)


def finding_edges(
    kind: str,
    key: str,
    collection_id: int | None,
    data: dict[str, Any],
    ad_entities: Mapping[str, str] | None = None,
) -> list[EdgeRow]:
    """Edges from a stored finding: a resolution cluster or a persona with its ads.

    A persona names its ads by their source ids (the ad's ``messageId``);
    ``ad_entities`` maps those to the ads' entity ids within the persona's
    collection (an id that is not in it is taken as an entity id). A persona also
    links to the selectors its ads carry (phones, e-mails, wallets, handles), except
    those the ads analysis found to be hubs: that is how an ad's phone meets the
    same phone in a case file or on a booking.
    """
    owner = f"finding:{kind}:{key}"
    if kind == "link_cluster":
        members = sorted({str(m) for m in data.get("members") or []})
        return [
            EdgeRow(owner, members[0], other, "same_as", "link_cluster", collection_id)
            for other in members[1:]
        ]
    if kind == "persona":
        node = persona_key(key)
        resolve = ad_entities or {}
        ads = sorted({resolve.get(str(a), str(a)) for a in data.get("ad_ids") or []})
        edges = [EdgeRow(owner, node, ad, "persona", "persona", collection_id) for ad in ads]
        selectors: set[str] = set()
        for item in data.get("selectors") or []:
            if not isinstance(item, dict) or item.get("hub"):
                continue
            target = persona_selector(str(item.get("kind", "")), str(item.get("value", "")))
            if target is not None and target not in selectors:
                selectors.add(target)
                edges.append(EdgeRow(owner, node, target, "persona", "selector", collection_id))
        return edges
    return []

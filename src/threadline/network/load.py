"""The graph one actor may see, loaded from the persisted edges.

Only collections the actor may see are read (through the governed access
layer). An entity is a node when it has statements in one of them; an edge
counts when its own collection is visible (an edge derived from a finding: when
the actor may see that finding) and both ends are visible nodes (selector and
persona nodes exist only through visible edges). So a hidden record never shows
up as a node, a neighbour, a count or a step of a path. A resolution edge
(``same_as``) that would tie a victim the actor may not see to another record is
withheld: it would say who she is.

Some nodes are blocked: they stay in the graph (shown, exported) but link
nothing, so no network, path or expansion passes through them. They are hubs
(a selector or an address shared by more distinct entities than the cut) and
localities (an address, as a selector or an Address entity, with no number: a
city or an airport, not premises).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Connection, and_, or_, select

from threadline.governance import Actor
from threadline.governance.access import Access
from threadline.governance.shield import NO_SHIELD, VictimShield
from threadline.network.graph import BoolArray, Graph, hub_mask
from threadline.network.nodes import is_entity, is_locality, node_kind, node_value
from threadline.network.tables import network_edge as t_edge
from threadline.store import Store
from threadline.store.findings import FindingFilter
from threadline.store.tables import entity_merge as t_merge
from threadline.store.tables import statement as t_statement

HUB_MAX_DEGREE = 25
HUB_PERCENTILE = 99.5
PLACE_SCHEMATA = ("Address",)
# Properties of an Address whose number makes it premises rather than a locality.
PREMISES_PROPS = ("full", "street", "street2", "postalCode", "postOfficeBox")


@dataclass
class VisibleGraph:
    """The graph within an actor's sight, with what the analyses need about its nodes."""

    graph: Graph
    collections: list[int]
    schema: dict[str, str]  # entity id -> schema
    countries: dict[str, set[str]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)  # merged member -> canonical id
    hubs: list[str] = field(default_factory=list)
    localities: list[str] = field(default_factory=list)  # places that link nothing
    seen: FindingFilter = field(default_factory=lambda: FindingFilter(frozenset()))
    shield: VictimShield = NO_SHIELD  # the actor's victim shield over this graph

    def resolve(self, entity_id: str) -> str:
        return self.canonical.get(entity_id, entity_id)


def _merges(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        select(t_merge.c.entity_id, t_merge.c.canonical_id).where(t_merge.c.deleted_at.is_(None))
    )
    return {row.entity_id: row.canonical_id for row in rows}


def _visible_edges(access: Access) -> Any:
    """Edges of visible collections, and edges of findings the actor may see."""
    seen = access.finding_filter
    from_findings: ColumnElement[bool] = t_edge.c.collection_id.is_(None)
    if seen.scope_ids is not None:
        from_findings = and_(from_findings, t_edge.c.scope_id.in_(sorted(seen.scope_ids)))
    if seen.agency is not None:
        own = and_(t_edge.c.agency == seen.agency, t_edge.c.country == seen.country)
        from_findings = and_(from_findings, or_(t_edge.c.agency.is_(None), own))
    elif not access.actor.system:
        from_findings = and_(from_findings, t_edge.c.agency.is_(None))
    if access.actor.system:
        return or_(t_edge.c.collection_id.is_not(None), from_findings)
    return or_(t_edge.c.collection_id.in_(access.collection_ids), from_findings)


def load_visible(
    store: Store,
    actor: Actor,
    *,
    hub_max_degree: int = HUB_MAX_DEGREE,
    hub_percentile: float = HUB_PERCENTILE,
) -> VisibleGraph:
    """Read the persisted edges and node facts that the actor may see."""
    with store.connect() as conn:
        access = Access(conn, actor)
        visible = access.collection_ids
        canonical = _merges(conn)
        schema: dict[str, str] = {}
        for row in conn.execute(
            select(t_statement.c.entity_id, t_statement.c.schema)
            .where(t_statement.c.prop == "id")
            .where(t_statement.c.collection_id.in_(visible))
        ):
            schema.setdefault(canonical.get(row.entity_id, row.entity_id), row.schema)
        countries: dict[str, set[str]] = defaultdict(set)
        for row in conn.execute(
            select(t_statement.c.entity_id, t_statement.c.value)
            .where(t_statement.c.prop_type == "country")
            .where(t_statement.c.collection_id.in_(visible))
        ):
            countries[canonical.get(row.entity_id, row.entity_id)].add(row.value.upper())
        premises: set[str] = set()
        for row in conn.execute(
            select(t_statement.c.entity_id, t_statement.c.value)
            .where(t_statement.c.schema.in_(PLACE_SCHEMATA))
            .where(t_statement.c.prop.in_(PREMISES_PROPS))
            .where(t_statement.c.collection_id.in_(visible))
        ):
            if not is_locality(row.value):
                premises.add(canonical.get(row.entity_id, row.entity_id))
        rows = conn.execute(
            select(t_edge.c.source, t_edge.c.target, t_edge.c.kind, t_edge.c.label, t_edge.c.date)
            .where(_visible_edges(access))
            .order_by(t_edge.c.id)
        ).all()
        shield = access.shield
        seen = access.finding_filter
    index: dict[str, int] = {}
    keys: list[str] = []
    src: list[int] = []
    dst: list[int] = []
    kinds: list[str] = []
    labels: list[str] = []
    dates: list[str | None] = []

    def node(key: str) -> int | None:
        if is_entity(key):
            key = canonical.get(key, key)
            if key not in schema:
                return None  # unknown or hidden: no trace of it
        found = index.get(key)
        if found is None:
            found = index[key] = len(keys)
            keys.append(key)
        return found

    for source, target, kind, label, date in rows:
        if kind == "same_as" and shield.tie_withheld(source, target):
            continue
        a, b = node(source), node(target)
        if a is None or b is None or a == b:
            continue
        src.append(a)
        dst.append(b)
        kinds.append(kind)
        labels.append(label)
        dates.append(date)
    graph = Graph(
        keys=keys,
        src=np.asarray(src, dtype=np.int64),
        dst=np.asarray(dst, dtype=np.int64),
        kind=kinds,
        label=labels,
        date=dates,
    )
    graph._index = index
    hub, locality, place = _blocked(graph, schema, premises, hub_max_degree, hub_percentile)
    graph.blocked = hub | locality
    _place_countries(graph, graph.blocked & place, countries)
    hubs = sorted(keys[i] for i in np.flatnonzero(hub))
    localities = sorted(keys[i] for i in np.flatnonzero(locality & ~hub))
    return VisibleGraph(
        graph, visible, schema, dict(countries), canonical, hubs, localities, seen, shield
    )


def _blocked(
    graph: Graph,
    schema: dict[str, str],
    premises: set[str],
    max_degree: int,
    percentile: float,
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Hubs, localities, and which nodes are places held as entities."""
    keys = graph.keys
    kinds = [node_kind(k) for k in keys]
    place = np.array([schema.get(k) in PLACE_SCHEMATA for k in keys], dtype=np.bool_)
    # Hub candidates: selectors, and addresses held as entities (the same thing as an
    # address selector in entity form: an airport every manifest's trips start from).
    candidates = np.array([k not in ("entity", "persona") for k in kinds], dtype=np.bool_)
    candidates |= place
    degree = graph.neighbour_count()
    hub = hub_mask(degree, candidates, max_degree=max_degree, percentile=percentile)
    locality = np.array(
        [
            kind == "address" and is_locality(node_value(key))
            for key, kind in zip(keys, kinds, strict=True)
        ],
        dtype=np.bool_,
    )
    locality |= place & np.array([k not in premises for k in keys], dtype=np.bool_)
    return hub, locality, place


def _place_countries(graph: Graph, places: BoolArray, countries: dict[str, set[str]]) -> None:
    """A place that links nothing still says where things happened.

    An entity tied to it (a trip to its airports, a person to their town) takes on
    its countries, so a network still spans the countries its trips pass through.
    """
    if not places.any():
        return
    keys = graph.keys
    for ends in ((graph.src, graph.dst), (graph.dst, graph.src)):
        at, other = ends
        mask = places[at] & ~places[other]
        for p, o in zip(at[mask].tolist(), other[mask].tolist(), strict=True):
            found = countries.get(keys[p])
            if found and is_entity(keys[o]):
                countries.setdefault(keys[o], set()).update(found)

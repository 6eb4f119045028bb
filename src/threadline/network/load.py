"""The graph one actor may see, loaded from the persisted edges.

Only collections the actor may see are read. An entity is a node when it has
statements in one of them; an edge counts when its own collection is visible
and both ends are visible nodes (selector and persona nodes exist only through
visible edges). So a hidden record never shows up as a node, a neighbour, a
count or a step of a path.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, or_, select

from threadline.governance import Actor, visible_collection_ids
from threadline.network.graph import Graph, hub_mask
from threadline.network.nodes import is_entity, node_kind
from threadline.network.tables import network_edge as t_edge
from threadline.store import Store
from threadline.store.tables import entity_merge as t_merge
from threadline.store.tables import statement as t_statement

HUB_MAX_DEGREE = 25
HUB_PERCENTILE = 99.5


@dataclass
class VisibleGraph:
    """The graph within an actor's sight, with what the analyses need about its nodes."""

    graph: Graph
    collections: list[int]
    schema: dict[str, str]  # entity id -> schema
    countries: dict[str, set[str]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)  # merged member -> canonical id
    hubs: list[str] = field(default_factory=list)

    def resolve(self, entity_id: str) -> str:
        return self.canonical.get(entity_id, entity_id)


def _merges(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        select(t_merge.c.entity_id, t_merge.c.canonical_id).where(t_merge.c.deleted_at.is_(None))
    )
    return {row.entity_id: row.canonical_id for row in rows}


def load_visible(
    store: Store,
    actor: Actor,
    *,
    hub_max_degree: int = HUB_MAX_DEGREE,
    hub_percentile: float = HUB_PERCENTILE,
) -> VisibleGraph:
    """Read the persisted edges and node facts that the actor may see."""
    with store.connect() as conn:
        visible = visible_collection_ids(conn, actor)
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
        rows = conn.execute(
            select(t_edge.c.source, t_edge.c.target, t_edge.c.kind, t_edge.c.label, t_edge.c.date)
            .where(or_(t_edge.c.collection_id.in_(visible), t_edge.c.collection_id.is_(None)))
            .order_by(t_edge.c.id)
        ).all()
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
    selectors = np.array(
        [not is_entity(k) and node_kind(k) != "persona" for k in keys], dtype=np.bool_
    )
    graph.blocked = hub_mask(
        graph.degree(), selectors, max_degree=hub_max_degree, percentile=hub_percentile
    )
    hubs = sorted(keys[i] for i in np.flatnonzero(graph.blocked))
    return VisibleGraph(graph, visible, schema, dict(countries), canonical, hubs)

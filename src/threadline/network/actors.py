"""Key actors of a network: who holds it together, with why as data.

Three measures, each normalised to 0..1 within the network and weighted:
degree (how many direct links), betweenness (how many shortest paths run
through the node; approximated above a size) and cross-border brokerage (how
many countries the node's neighbours are in, counting neighbours reached
through a shared selector or persona as direct).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from followthemoney import model

from threadline.network.graph import threads_for, to_networkit
from threadline.network.load import VisibleGraph
from threadline.network.networks import Network
from threadline.network.nodes import is_entity, node_kind

WEIGHTS = {"degree": 0.35, "betweenness": 0.45, "brokerage": 0.20}
EXACT_BETWEENNESS_UP_TO = 3000


@dataclass
class Contribution:
    """One measure's share of a score."""

    measure: str
    value: float
    normalised: float
    weight: float
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def points(self) -> float:
        return round(self.normalised * self.weight, 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "value": self.value,
            "normalised": round(self.normalised, 4),
            "weight": self.weight,
            "points": self.points,
            "evidence": self.evidence,
        }


@dataclass
class KeyActor:
    entity_id: str
    schema: str
    score: float
    explanation: list[Contribution]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "schema": self.schema,
            "score": self.score,
            "explanation": [c.to_dict() for c in self.explanation],
        }


def _betweenness(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, str]:
    import networkit as nk

    graph = to_networkit(n, src, dst)
    if n <= EXACT_BETWEENNESS_UP_TO:
        algo: Any = nk.centrality.Betweenness(graph, normalized=True)
        method = "exact"
    else:
        algo = nk.centrality.ApproxBetweenness(graph, epsilon=0.05, delta=0.1)
        method = "approximate (epsilon 0.05)"
    with threads_for(graph.numberOfEdges()):
        algo.run()
    return np.asarray(algo.scores(), dtype=np.float64), method


def key_actors(
    view: VisibleGraph, item: Network, *, top: int = 10, victims: Set[str] = frozenset()
) -> list[KeyActor]:
    """The network's people and organisations, ranked by degree, betweenness and brokerage.

    ``victims`` are never ranked (non-punishment: a possible victim is not a
    suspect), although their links still count for everyone else's measures.
    """
    graph = view.graph
    nodes = item.nodes.tolist()
    local = {node: i for i, node in enumerate(nodes)}
    open_mask = graph.open_edges()
    inside = np.isin(graph.src, item.nodes) & np.isin(graph.dst, item.nodes) & open_mask
    edge_ids = np.flatnonzero(inside)
    src = np.asarray([local[int(s)] for s in graph.src[edge_ids]], dtype=np.int64)
    dst = np.asarray([local[int(d)] for d in graph.dst[edge_ids]], dtype=np.int64)
    degree = np.bincount(np.concatenate([src, dst]), minlength=len(nodes))
    between, method = _betweenness(len(nodes), src, dst)
    adjacency: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for e, a, b in zip(edge_ids.tolist(), src.tolist(), dst.tolist(), strict=True):
        adjacency[a].append((b, e))
        adjacency[b].append((a, e))
    keys = [graph.keys[n] for n in nodes]
    broker = {i: _neighbour_countries(view, keys, adjacency, i) for i in range(len(nodes))}
    max_degree = max(int(degree.max()) if len(degree) else 0, 1)
    max_between = max(float(between.max()) if len(between) else 0.0, 1e-12)
    max_broker = max([len(c) for c in broker.values()] + [1])
    actors: list[KeyActor] = []
    for i, key in enumerate(keys):
        if not is_entity(key) or key in victims or not _is_actor(view.schema.get(key)):
            continue
        links = adjacency.get(i, [])
        by_kind: dict[str, int] = defaultdict(int)
        for _other, e in links:
            by_kind[f"{graph.kind[e]}:{graph.label[e]}"] += 1
        countries = broker[i]
        parts = [
            Contribution(
                "degree",
                float(degree[i]),
                degree[i] / max_degree,
                WEIGHTS["degree"],
                {"links": dict(sorted(by_kind.items()))},
            ),
            Contribution(
                "betweenness",
                round(float(between[i]), 6),
                float(between[i]) / max_between,
                WEIGHTS["betweenness"],
                {"method": method},
            ),
            Contribution(
                "brokerage",
                float(len(countries) if len(countries) >= 2 else 0),
                (len(countries) / max_broker) if len(countries) >= 2 else 0.0,
                WEIGHTS["brokerage"],
                {"neighbour_countries": {c: sorted(m)[:10] for c, m in sorted(countries.items())}},
            ),
        ]
        score = round(sum(p.points for p in parts), 4)
        actors.append(KeyActor(key, view.schema.get(key, ""), score, parts))
    actors.sort(key=lambda a: (-a.score, a.entity_id))
    return actors[:top]


def _is_actor(schema_name: str | None) -> bool:
    """People and organisations act; documents, trips and ads do not."""
    schema = model.get(schema_name) if schema_name else None
    return schema is not None and schema.is_a("LegalEntity")


def _neighbour_countries(
    view: VisibleGraph,
    keys: list[str],
    adjacency: dict[int, list[tuple[int, int]]],
    node: int,
) -> dict[str, set[str]]:
    """Countries of the entities next to a node (through a selector or persona as well)."""
    found: dict[str, set[str]] = defaultdict(set)
    for other, _e in adjacency.get(node, []):
        reached = [other]
        if node_kind(keys[other]) != "entity":
            reached = [o for o, _ in adjacency.get(other, []) if o != node]
        for entity in reached:
            for country in view.countries.get(keys[entity], ()):
                found[country].add(keys[entity])
    return found

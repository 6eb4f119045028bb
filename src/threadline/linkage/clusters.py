"""Clusters: connected components of links at a threshold, with judgements applied.

The model's links at or above the threshold are the edges; a "different"
judgement removes its edge and a "same" judgement adds one. Splink's connected
components do the grouping on the run's backend. When two entities judged
different still end up together through other links, the weakest links that
separate them (a minimum cut weighted by match probability, judged-same links
uncuttable) are cut, so a judgement always wins.

Cluster ids are stable between runs (:func:`assign_ids`): a cluster that only grew keeps
its id, a merge keeps the id of the largest cluster merged, and of a split the part
holding most of the earlier members keeps it. A new id is derived from the cluster's
smallest member and never repeats an id the agency's clusters hold or record, except
that an id merged away comes back when the record it was made from splits off again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyarrow as pa  # type: ignore[import-untyped]

from threadline.linkage.judgements import Judgement
from threadline.linkage.predict import CLUSTER, pair_key
from threadline.primitives import lineage
from threadline.primitives.lineage import CHANGES, Identity, Previous
from threadline.store.findings import Finding

__all__ = [
    "CHANGES",
    "Cluster",
    "Edge",
    "Identity",
    "Previous",
    "assign_ids",
    "build_clusters",
    "cluster_id",
    "effective_edges",
]


@dataclass(frozen=True)
class Edge:
    left: str
    right: str
    score: float
    via: str  # "model" or "judgement"


@dataclass
class Cluster:
    """Entities resolved to one person or organisation, and the links that hold them."""

    cluster_id: str
    members: list[str]
    edges: list[Edge] = field(default_factory=list)
    cuts: list[Edge] = field(default_factory=list)
    identity: Identity | None = None  # how its id follows the previous run's clusters

    def finding(self, records: dict[str, dict[str, Any]]) -> Finding:
        weakest = min((e.score for e in self.edges), default=1.0)
        return Finding(
            kind=CLUSTER,
            key=self.cluster_id,
            subject_id=self.cluster_id,
            score=weakest,
            explanation=[
                *(
                    {"left": e.left, "right": e.right, "score": e.score, "via": e.via}
                    for e in self.edges
                ),
                *(
                    {
                        "left": e.left,
                        "right": e.right,
                        "score": e.score,
                        "via": "cut: judged different",
                    }
                    for e in self.cuts
                ),
            ],
            data={
                "members": self.members,
                "records": [{"entity_id": m, **records.get(m, {})} for m in self.members],
                **(self.identity.to_data() if self.identity is not None else {}),
            },
        )


def cluster_id(members: Sequence[str], attempt: int = 0) -> str:
    """A new cluster's id, derived from its smallest member (``attempt`` > 0: the next
    candidate when that id is taken)."""
    seed = min(members) if attempt == 0 else f"{min(members)}\x1f{attempt}"
    return "lc-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:16]


def assign_ids(
    clusters: Sequence[Sequence[str]], previous: Iterable[Previous], run_id: int
) -> list[Identity]:
    """Ids for the new clusters following the agency's previous ones
    (:func:`threadline.primitives.lineage.assign_ids`, new ids from :func:`cluster_id`)."""
    return lineage.assign_ids(clusters, previous, run_id, cluster_id)


def effective_edges(
    links: Iterable[tuple[str, str, float]], judgements: Iterable[Judgement], threshold: float
) -> tuple[list[Edge], set[str]]:
    """Model links at the threshold minus judged-different pairs, plus judged-same pairs."""
    verdicts = {pair_key(j.left_id, j.right_id): j.judgement for j in judgements}
    edges: dict[str, Edge] = {}
    for left, right, score in links:
        key = pair_key(left, right)
        if score >= threshold and verdicts.get(key) != "different":
            edges[key] = Edge(left, right, score, "model")
    for key, verdict in verdicts.items():
        if verdict == "same":
            left, right = key.split("|", 1)
            edges[key] = Edge(left, right, 1.0, "judgement")
    different = {k for k, v in verdicts.items() if v == "different"}
    return list(edges.values()), different


def connected_components(db_api: Any, edges: Sequence[Edge]) -> dict[str, str]:
    """Node -> component representative, computed by Splink on its backend."""
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    if not edges:
        return {}
    nodes = sorted({e.left for e in edges} | {e.right for e in edges})
    table = cluster_pairwise_predictions_at_threshold(
        pa.table({"unique_id": pa.array(nodes, pa.string())}),
        pa.table(
            {
                "unique_id_l": pa.array([e.left for e in edges], pa.string()),
                "unique_id_r": pa.array([e.right for e in edges], pa.string()),
                "match_probability": pa.array([1.0] * len(edges), pa.float64()),
            }
        ),
        db_api=db_api,
        node_id_column_name="unique_id",
    )
    found = table.as_pyarrow_table()  # type: ignore[no-untyped-call]
    table.drop_table_from_database_and_remove_from_cache()
    ids = found.column("unique_id").to_pylist()
    groups = found.column("cluster_id").to_pylist()
    return {str(n): str(g) for n, g in zip(ids, groups, strict=True)}


def build_clusters(db_api: Any, edges: Sequence[Edge], different: set[str]) -> list[Cluster]:
    """Clusters of two or more members, with judged-different pairs separated."""
    component = connected_components(db_api, edges)
    groups: dict[str, list[str]] = {}
    for node, comp in component.items():
        groups.setdefault(comp, []).append(node)
    by_comp: dict[str, list[Edge]] = {}
    for edge in edges:
        by_comp.setdefault(component[edge.left], []).append(edge)
    clusters: list[Cluster] = []
    for comp, members in groups.items():
        clusters.extend(_split(members, by_comp.get(comp, []), different))
    return sorted(clusters, key=lambda c: c.cluster_id)


def _split(members: list[str], edges: list[Edge], different: set[str]) -> list[Cluster]:
    conflicts = (
        [(a, b) for a in members for b in members if a < b and pair_key(a, b) in different]
        if different
        else []
    )
    if not conflicts:
        return [_cluster(members, edges)] if len(members) > 1 else []
    graph = nx.Graph()
    for edge in edges:
        capacity = float("inf") if edge.via == "judgement" else edge.score
        graph.add_edge(edge.left, edge.right, capacity=capacity, edge=edge)
    cuts: list[Edge] = []
    for a, b in conflicts:
        if a not in graph or b not in graph or not nx.has_path(graph, a, b):
            continue
        try:
            _value, (side, _other) = nx.minimum_cut(graph, a, b)
        except nx.NetworkXUnbounded:  # joined only by judged-same links: analysts disagree
            continue
        for u, v in list(graph.edges()):
            if (u in side) != (v in side):
                cuts.append(graph.edges[u, v]["edge"])
                graph.remove_edge(u, v)
    out: list[Cluster] = []
    for part in nx.connected_components(graph):
        if len(part) > 1:
            kept = [e for e in edges if e.left in part and e.right in part and e not in cuts]
            cluster = _cluster(sorted(part), kept)
            cluster.cuts = [e for e in cuts if e.left in part or e.right in part]
            out.append(cluster)
    return out


def _cluster(members: Sequence[str], edges: list[Edge]) -> Cluster:
    ordered = sorted(members)
    return Cluster(cluster_id(ordered), ordered, sorted(edges, key=lambda e: (e.left, e.right)))

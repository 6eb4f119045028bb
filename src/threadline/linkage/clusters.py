"""Clusters: connected components of links at a threshold, with judgements applied.

The model's links at or above the threshold are the edges; a "different"
judgement removes its edge and a "same" judgement adds one. Splink's connected
components do the grouping on the run's backend. When two entities judged
different still end up together through other links, the weakest links that
separate them (a minimum cut weighted by match probability, judged-same links
uncuttable) are cut, so a judgement always wins. Two records whose full birth dates
say they are two people (:func:`threadline.primitives.dates.dates_apart`: no pair equal or
one typing slip apart) and sharing no identity number are kept apart the same way when
other links join them (a notice
that knows only the birth year, linked to two namesakes born months apart). A direct
link between them holds only where identifying evidence (a document, phone, e-mail or
address) agreed as well: names, sex and nationality alone cannot outweigh two full dates.
A group an analyst judged one person is left as it is (two identities may carry two birth
dates).

Cluster ids are stable between runs (:func:`assign_ids`): a cluster that only grew keeps
its id, a merge keeps the id of the largest cluster merged, and of a split the part
holding most of the earlier members keeps it. A new id is derived from the cluster's
smallest member and never repeats an id the agency's clusters hold or record, except
that an id merged away comes back when the record it was made from splits off again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
import pyarrow as pa  # type: ignore[import-untyped]

from threadline.linkage.judgements import Judgement
from threadline.linkage.predict import CLUSTER, pair_key
from threadline.primitives import lineage
from threadline.primitives.dates import PartialDate, dates_apart, same_or_slip
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
    # False for a model link that only names, birth date, sex and nationality support (no
    # document, phone, e-mail or address agreed): it cannot hold two birth dates together
    corroborated: bool = True


@dataclass
class Cluster:
    """Entities resolved to one person or organisation, and the links that hold them."""

    cluster_id: str
    members: list[str]
    edges: list[Edge] = field(default_factory=list)
    cuts: list[Edge] = field(default_factory=list)
    identity: Identity | None = None  # how its id follows the previous run's clusters
    cut_reasons: dict[str, str] = field(default_factory=dict)  # pair key -> why it was cut

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
                        "via": "cut: "
                        + self.cut_reasons.get(pair_key(e.left, e.right), JUDGED_DIFFERENT),
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
    links: Iterable[tuple[str, str, float, bool]],
    judgements: Iterable[Judgement],
    threshold: float,
) -> tuple[list[Edge], set[str]]:
    """Model links (left, right, score, corroborated) at the threshold minus judged-different
    pairs, plus judged-same pairs."""
    verdicts = {pair_key(j.left_id, j.right_id): j.judgement for j in judgements}
    edges: dict[str, Edge] = {}
    for left, right, score, corroborated in links:
        key = pair_key(left, right)
        if score >= threshold and verdicts.get(key) != "different":
            edges[key] = Edge(left, right, score, "model", corroborated)
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


JUDGED_DIFFERENT = "judged different"
# Members dated to the day are compared pairwise in a component of up to this many of
# them; a larger component is left as it is (that large, it is a finding of its own).
MAX_DATED = 300


@dataclass(frozen=True)
class Facts:
    """What a member's record says that can tell two people apart."""

    births: tuple[PartialDate, ...] = ()
    identifiers: frozenset[str] = frozenset()  # document and other identity numbers


MemberFacts = Mapping[str, Facts]


def build_clusters(
    db_api: Any,
    edges: Sequence[Edge],
    different: set[str],
    facts: MemberFacts | Callable[[Sequence[str]], MemberFacts] | None = None,
) -> list[Cluster]:
    """Clusters of two or more members, with judged-different pairs separated, and pairs
    whose full birth dates say two people and who share no identity number. ``facts``
    gives each member's birth dates and identity numbers, or is called once with the
    members of every component that the dates can split (three or more members, or a
    link of names alone) and returns theirs."""
    component = connected_components(db_api, edges)
    groups: dict[str, list[str]] = {}
    for node, comp in component.items():
        groups.setdefault(comp, []).append(node)
    by_comp: dict[str, list[Edge]] = {}
    for edge in edges:
        by_comp.setdefault(component[edge.left], []).append(edge)
    if callable(facts):
        facts = facts(sorted(m for comp, members in groups.items() if _checked(members,
                             by_comp.get(comp, [])) for m in members))  # fmt: skip
    clusters: list[Cluster] = []
    for comp, members in groups.items():
        clusters.extend(_split(members, by_comp.get(comp, []), different, facts or {}))
    return sorted(clusters, key=lambda c: c.cluster_id)


def _checked(members: list[str], edges: list[Edge]) -> bool:
    """Whether a component's birth dates can split it: three or more members (another may
    join two), or a link that names alone support."""
    return len(members) >= 3 or not all(e.corroborated for e in edges)


def _conflicts(
    members: list[str], edges: list[Edge], different: set[str], facts: MemberFacts
) -> list[tuple[str, str, str]]:
    """Pairs of members that must not stay in one cluster, with the reason."""
    out = (
        [(a, b, JUDGED_DIFFERENT) for a, b in combinations(sorted(members), 2)
         if pair_key(a, b) in different]
        if different
        else []
    )  # fmt: skip
    if not facts or not _checked(members, edges) or any(e.via == "judgement" for e in edges):
        return out  # an analyst judged two of them one person: their identities may differ
    dated = [m for m in sorted(members) if any(d.day is not None for d in _births(facts, m))]
    if len(dated) < 2 or len(dated) > MAX_DATED:
        return out
    groups = _date_groups(dated, facts)
    if len(groups) < 2:
        return out
    linked = {pair_key(e.left, e.right): e.corroborated for e in edges}
    for left, right in combinations(groups, 2):
        left_numbers = frozenset().union(*(facts[m].identifiers for m in left))
        if any(not left_numbers.isdisjoint(facts[m].identifiers) for m in right):
            continue  # a number in common says one person, whatever the dates
        direct = [linked[k] for x in left for y in right if (k := pair_key(x, y)) in linked]
        if any(direct):
            continue  # the model weighed the two dates against identifying evidence
        apart = dates_apart(
            [d for m in left for d in facts[m].births], [d for m in right for d in facts[m].births]
        )
        if apart is not None:
            reason = f"birth dates {apart[0]} and {apart[1]} differ beyond a typing slip"
            if direct:
                reason += ", and nothing but name, sex and nationality links them"
            out.append((left[0], right[0], reason))
    return out


def _births(facts: MemberFacts, member: str) -> tuple[PartialDate, ...]:
    known = facts.get(member)
    return known.births if known is not None else ()


def _date_groups(dated: list[str], facts: MemberFacts) -> list[list[str]]:
    """Members grouped by their full birth dates, two dates in one group when they are
    equal or one typing slip apart, and so on through the chain: records a slip from a
    third record's date may each be that person with one slip (FEBRL's corrupted copies).
    """
    full = {m: [d for d in _births(facts, m) if d.day is not None] for m in dated}
    graph = nx.Graph()
    graph.add_nodes_from(dated)
    graph.add_edges_from(
        (a, b)
        for a, b in combinations(dated, 2)
        if any(same_or_slip(x, y) for x in full[a] for y in full[b])
    )
    return [sorted(part) for part in nx.connected_components(graph)]


def _split(
    members: list[str], edges: list[Edge], different: set[str], facts: MemberFacts
) -> list[Cluster]:
    conflicts = _conflicts(members, edges, different, facts)
    if not conflicts:
        return [_cluster(members, edges)] if len(members) > 1 else []
    graph = nx.Graph()
    for edge in edges:
        capacity = float("inf") if edge.via == "judgement" else edge.score
        graph.add_edge(edge.left, edge.right, capacity=capacity, edge=edge)
    cuts: list[Edge] = []
    reasons: dict[str, str] = {}
    for a, b, reason in conflicts:
        if a not in graph or b not in graph or not nx.has_path(graph, a, b):
            continue
        try:
            _value, (side, _other) = nx.minimum_cut(graph, a, b)
        except nx.NetworkXUnbounded:  # joined only by judged-same links: analysts disagree
            continue
        for u, v in list(graph.edges()):
            if (u in side) != (v in side):
                cuts.append(graph.edges[u, v]["edge"])
                reasons[pair_key(u, v)] = reason
                graph.remove_edge(u, v)
    out: list[Cluster] = []
    for part in nx.connected_components(graph):
        if len(part) > 1:
            kept = [e for e in edges if e.left in part and e.right in part and e not in cuts]
            cluster = _cluster(sorted(part), kept)
            cluster.cuts = [e for e in cuts if e.left in part or e.right in part]
            cluster.cut_reasons = {
                pair_key(e.left, e.right): reasons[pair_key(e.left, e.right)] for e in cluster.cuts
            }
            out.append(cluster)
    return out


def _cluster(members: Sequence[str], edges: list[Edge]) -> Cluster:
    ordered = sorted(members)
    return Cluster(cluster_id(ordered), ordered, sorted(edges, key=lambda e: (e.left, e.right)))

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
from typing import Any, NamedTuple

import networkx as nx
import pyarrow as pa  # type: ignore[import-untyped]

from threadline.linkage.judgements import Judgement
from threadline.linkage.predict import CLUSTER, pair_key
from threadline.store.findings import Finding


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


# What happened to a cluster since the previous run (``Identity.change``).
CHANGES = ("new", "unchanged", "grew", "shrank", "changed", "merged", "split")


class Previous(NamedTuple):
    """A cluster of the agency's previous run, as stored: its id, members and lineage."""

    cluster_id: str
    members: Sequence[str]
    since_run: int | None = None  # the run that first gave the id (None: not recorded)
    merged_from: Sequence[str] = ()
    split_from: Sequence[str] = ()
    split_into: Sequence[str] = ()


class Identity(NamedTuple):
    """A cluster's id and lineage: what happened to it since the previous run (``change``),
    the run that first gave the id, the ids merged into it, the clusters it split from and
    the ids that split off it (at this run or an earlier one, for as long as it keeps its
    id)."""

    cluster_id: str
    change: str
    since_run: int | None
    merged_from: tuple[str, ...] = ()
    split_from: tuple[str, ...] = ()
    split_into: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """The finding-data fields (the lineage lists only where not empty)."""
        out: dict[str, Any] = {"change": self.change, "since_run": self.since_run}
        if self.merged_from:
            out["merged_from"] = list(self.merged_from)
        if self.split_from:
            out["split_from"] = list(self.split_from)
        if self.split_into:
            out["split_into"] = list(self.split_into)
        return out


def assign_ids(
    clusters: Sequence[Sequence[str]], previous: Iterable[Previous], run_id: int
) -> list[Identity]:
    """Ids for the new clusters (member lists), following the agency's previous ones.

    Each previous cluster passes its id to its heir: the new cluster holding most of its
    members (ties: the one holding the member the id was derived from, then the one whose
    smallest member sorts first). A new cluster that is the heir of one previous cluster
    keeps its id, whatever ids its new members have (it grew, shrank or is unchanged).
    The heir of several (a merge) keeps the id of the largest of them (ties: the one
    given first, then the smallest id) and records the others in ``merged_from``. Any
    other part of a previous cluster (a split) records ``split_from`` and gets a new id,
    or takes back the id its smallest member gave it before it was merged away (a merge
    undone gives both sides their ids back); the part that kept the id records the ids of
    the parts in ``split_into``. A cluster with no earlier member is new. New ids are
    derived from the smallest member (:func:`cluster_id`) and never repeat an id the
    previous clusters hold or name in their lineage, nor one given in this run.

    One pass over the members with a dict of member -> previous id: linear in the members.
    """
    prev = {p.cluster_id: p for p in previous}
    owner = {m: p.cluster_id for p in prev.values() for m in p.members}
    find = owner.get
    same: dict[int, str] = {}  # new cluster -> the previous cluster it equals
    overlaps: dict[int, dict[str, int]] = {}  # any other -> previous id -> members held
    heir_count: dict[str, int] = {}  # previous id -> most of its members in one new cluster
    heir: dict[str, int] = {}  # previous id -> that new cluster
    ties: dict[str, list[int]] = {}  # previous id -> new clusters holding as many
    for index, members in enumerate(clusters):
        first = find(members[0])
        if first is not None and prev[first].members == members:  # most clusters, unchanged
            same[index] = first
            heir[first] = index
            continue
        counts: dict[str, int] = {}
        for member in members:
            pid = find(member)
            if pid is not None:
                counts[pid] = counts.get(pid, 0) + 1
        overlaps[index] = counts
        for pid, count in counts.items():
            best = heir_count.get(pid, 0)
            if count > best:
                heir_count[pid] = count
                heir[pid] = index
                ties.pop(pid, None)
            elif count == best:
                ties.setdefault(pid, [heir[pid]]).append(index)
    for pid, tied in ties.items():
        heir[pid] = _heir(pid, tied, clusters)
    claims: dict[int, list[str]] = {}
    for pid, index in heir.items():
        claims.setdefault(index, []).append(pid)

    def seniority(pid: str) -> tuple[int, int, str]:
        p = prev[pid]
        return (-len(p.members), p.since_run or 0, pid)

    ids: list[str] = [""] * len(clusters)
    for index, pids in claims.items():
        ids[index] = pids[0] if len(pids) == 1 else min(pids, key=seniority)
    live = {ids[index] for index in claims}  # the previous ids kept
    taken = set(prev) | {i for p in prev.values() for i in (*p.merged_from, *p.split_from)}
    taken.update(i for p in prev.values() for i in p.split_into)
    revived: set[str] = set()
    split_off: dict[str, list[str]] = {}  # previous id -> ids of the parts split off it
    for index in sorted((i for i in overlaps if i not in claims), key=lambda i: clusters[i][0]):
        ids[index] = given = _new_id(clusters[index], overlaps[index], prev, live, taken, revived)
        for pid in overlaps[index]:
            split_off.setdefault(pid, []).append(given)
    out: list[Identity] = []
    for index, given in enumerate(ids):
        kept = prev.get(given) if index in claims else None
        if (
            kept is not None
            and len(claims[index]) == 1
            and given not in split_off
            and not (kept.merged_from or kept.split_from or kept.split_into)
        ):  # the common case: one earlier cluster continued, with no lineage
            if index in same:
                out.append(Identity(given, "unchanged", kept.since_run))
                continue
            n = overlaps[index][given]
            change = _change(len(kept.members) - n, len(clusters[index]) - n)
            out.append(Identity(given, change, kept.since_run))
        else:
            counts = overlaps[index] if index in overlaps else {given: len(clusters[index])}
            out.append(_identity(given, index, clusters, counts, claims, prev, split_off,
                                 revived, run_id))  # fmt: skip
    return out


def _heir(pid: str, tied: list[int], clusters: Sequence[Sequence[str]]) -> int:
    """Of new clusters holding equally many of a previous cluster's members, the one
    holding the member its id was derived from, else the one with the smallest member."""
    source = [i for i in tied if any(cluster_id((m,)) == pid for m in clusters[i])]
    return min(source or tied, key=lambda i: min(clusters[i]))


def _new_id(
    members: Sequence[str],
    counts: dict[str, int],
    prev: dict[str, Previous],
    live: set[str],
    taken: set[str],
    revived: set[str],
) -> str:
    """A split part takes back the id its smallest member gave it before it was merged
    away; any other new cluster gets the first id derived from it that is not taken."""
    derived = cluster_id(members)
    if (
        derived not in revived
        and derived not in live
        and any(derived in prev[pid].merged_from for pid in counts)
    ):
        revived.add(derived)
        return derived
    attempt = 0
    while (fresh := cluster_id(members, attempt)) in taken:
        attempt += 1
    taken.add(fresh)
    return fresh


def _change(lost: int, gained: int) -> str:
    """What happened to a cluster that kept its id and took in no other."""
    if not lost:
        return "grew" if gained else "unchanged"
    return "changed" if gained else "shrank"


def _identity(
    given: str,
    index: int,
    clusters: Sequence[Sequence[str]],
    counts: dict[str, int],
    claims: dict[int, list[str]],
    prev: dict[str, Previous],
    split_off: dict[str, list[str]],
    revived: set[str],
    run_id: int,
) -> Identity:
    if index not in claims:
        if not counts:
            return Identity(given, "new", run_id)
        return Identity(given, "split", run_id, split_from=tuple(sorted(counts)))
    kept = prev[given]
    merged = [pid for pid in claims[index] if pid != given]
    lineage = set(kept.merged_from)
    for pid in merged:
        lineage.update((pid, *prev[pid].merged_from))
    split_into = (*kept.split_into, *sorted(split_off.get(given, ())))
    if merged:
        change = "merged"
    elif given in split_off:
        change = "split"
    else:
        change = _change(len(kept.members) - counts[given], len(clusters[index]) - counts[given])
    return Identity(
        given,
        change,
        kept.since_run,
        merged_from=tuple(sorted(lineage - revived)),
        split_from=tuple(kept.split_from),
        split_into=split_into,
    )


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

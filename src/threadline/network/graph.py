"""The in-memory graph: compact integer nodes, numpy edge arrays and a CSR index.

Node ``i`` stands for ``keys[i]``; edge ``j`` joins ``src[j]`` and ``dst[j]``.
Traversals (expansion, paths) walk the CSR arrays; whole-graph analytics
(components, communities, betweenness) hand the same arrays to networkit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import networkit as nk

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def csr(n: int, src: IntArray, dst: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Undirected adjacency: ``indptr``, neighbour per slot, and the edge id per slot."""
    ends = np.concatenate([src, dst])
    others = np.concatenate([dst, src])
    edge_ids = np.concatenate([np.arange(len(src)), np.arange(len(src))])
    order = np.argsort(ends, kind="stable")
    counts = np.bincount(ends, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, others[order].astype(np.int64), edge_ids[order].astype(np.int64)


@dataclass
class Graph:
    """Nodes by integer id with their keys; edges as parallel arrays."""

    keys: list[str]
    src: IntArray
    dst: IntArray
    kind: list[str] = field(default_factory=list)  # per edge
    label: list[str] = field(default_factory=list)
    date: list[str | None] = field(default_factory=list)
    blocked: BoolArray | None = None  # nodes no traversal passes through (hubs)
    _index: dict[str, int] | None = None
    _csr: tuple[IntArray, IntArray, IntArray] | None = None

    @property
    def n(self) -> int:
        return len(self.keys)

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {key: i for i, key in enumerate(self.keys)}
        return self._index

    @property
    def adjacency(self) -> tuple[IntArray, IntArray, IntArray]:
        if self._csr is None:
            self._csr = csr(self.n, self.src, self.dst)
        return self._csr

    def degree(self) -> IntArray:
        return np.bincount(np.concatenate([self.src, self.dst]), minlength=self.n).astype(np.int64)

    def neighbour_count(self) -> IntArray:
        """Distinct neighbours per node: two links between the same pair count once."""
        return distinct_degree(self.n, self.src, self.dst)

    def neighbours(self, node: int) -> list[tuple[int, int]]:
        """(neighbour, edge id) pairs of one node."""
        indptr, others, edge_ids = self.adjacency
        lo, hi = int(indptr[node]), int(indptr[node + 1])
        return list(zip(others[lo:hi].tolist(), edge_ids[lo:hi].tolist(), strict=True))

    def open_edges(self) -> BoolArray:
        """Edges that touch no blocked node."""
        if self.blocked is None:
            return np.ones(len(self.src), dtype=np.bool_)
        return ~(self.blocked[self.src] | self.blocked[self.dst])

    def edge_dict(self, edge: int) -> dict[str, Any]:
        return {
            "source": self.keys[int(self.src[edge])],
            "target": self.keys[int(self.dst[edge])],
            "kind": self.kind[edge] if self.kind else "edge",
            "label": self.label[edge] if self.label else "",
            "date": self.date[edge] if self.date else None,
        }


def to_networkit(n: int, src: IntArray, dst: IntArray) -> nk.Graph:
    """An undirected networkit graph from edge arrays (no Python loop per edge)."""
    import networkit as nk

    graph = nk.GraphFromCoo((src.astype(np.uint64), dst.astype(np.uint64)), n=n, directed=False)
    graph.removeMultiEdges()
    graph.removeSelfLoops()
    return graph


def components(n: int, src: IntArray, dst: IntArray) -> IntArray:
    """Connected component id per node."""
    import networkit as nk

    graph = to_networkit(n, src, dst)  # keep a reference: networkit does not
    finder = nk.components.ConnectedComponents(graph)
    with threads_for(graph.numberOfEdges()):
        finder.run()
    return np.asarray(finder.getPartition().getVector(), dtype=np.int64)


EDGES_PER_RESOLUTION = 20_000


def resolution_for(edges: int) -> float:
    """Modularity resolution that keeps small groups apart in a big graph.

    Plain modularity (resolution 1) cannot see groups much smaller than the
    square root of the edge count and merges them; criminal networks are small
    next to everything a platform holds. Scaling the resolution with the edge
    count keeps the bar for merging two groups at a few links between them.
    """
    return max(1.0, edges / EDGES_PER_RESOLUTION)


SINGLE_THREAD_BELOW = 20_000  # edges


@contextmanager
def threads_for(edges: int) -> Iterator[None]:
    """One networkit thread for small graphs: starting a thread team costs more than it saves.

    (PLM on a five-edge graph took 0.3 s with the default thread count, under 0.1 ms on one.)
    """
    import networkit as nk

    if edges >= SINGLE_THREAD_BELOW:
        yield
        return
    before = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(1)
    try:
        yield
    finally:
        nk.setNumberOfThreads(before)


def communities(graph: nk.Graph, *, seed: int = 7, resolution: float | None = None) -> IntArray:
    """Community id per node (networkit PLM, Louvain with refinement)."""
    import networkit as nk

    nk.engineering.setSeed(seed, True)
    gamma = resolution if resolution is not None else resolution_for(graph.numberOfEdges())
    with threads_for(graph.numberOfEdges()):
        detector = nk.community.PLM(graph, refine=True, gamma=gamma)
        detector.run()
    return np.asarray(detector.getPartition().getVector(), dtype=np.int64)


def distinct_degree(n: int, src: IntArray, dst: IntArray) -> IntArray:
    """Distinct neighbours per node (parallel edges and self-loops ignored)."""
    if len(src) == 0:
        return np.zeros(n, dtype=np.int64)
    low, high = np.minimum(src, dst), np.maximum(src, dst)
    pairs = np.unique(low[low != high] * np.int64(n) + high[low != high])
    ends = np.concatenate([pairs // n, pairs % n])
    return np.bincount(ends, minlength=n).astype(np.int64)


def hub_mask(
    degree: IntArray, candidates: BoolArray, *, max_degree: int, percentile: float
) -> BoolArray:
    """Selector nodes so widely shared (a platform's support number) that they link nothing.

    ``degree`` should count distinct neighbours (:func:`distinct_degree`), so a
    value restated by many records of one entity is not taken for a shared one.
    A candidate is a hub when its degree is above ``max_degree`` or above the
    given percentile of candidate degrees (whichever is higher, so small graphs
    are not pruned by percentile alone).
    """
    if not candidates.any():
        return np.zeros_like(candidates)
    cut = max(float(max_degree), float(np.percentile(degree[candidates], percentile)))
    return candidates & (degree > cut)


def group_members(labels: IntArray, keep: BoolArray) -> list[IntArray]:
    """Node ids per label, among kept nodes, biggest group first."""
    nodes = np.flatnonzero(keep)
    if len(nodes) == 0:
        return []
    order = np.argsort(labels[nodes], kind="stable")
    sorted_nodes, sorted_labels = nodes[order], labels[nodes][order]
    cuts = np.flatnonzero(np.diff(sorted_labels)) + 1
    groups = np.split(sorted_nodes, cuts)
    return sorted(groups, key=lambda g: (-len(g), int(g[0])))


def subgraph_edges(graph: Graph, nodes: Sequence[int] | IntArray) -> IntArray:
    """Open edges with both ends among the nodes."""
    inside = np.zeros(graph.n, dtype=np.bool_)
    inside[np.asarray(nodes, dtype=np.int64)] = True
    mask = inside[graph.src] & inside[graph.dst] & graph.open_edges()
    return np.flatnonzero(mask).astype(np.int64)

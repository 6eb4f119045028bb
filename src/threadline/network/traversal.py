"""Walking the graph: neighbourhood expansion with a cap, and shortest paths.

Hub selectors are never passed through (they would make everything one hop
from everything). A time-ordered path only takes dated edges in date order:
each step's date is on or after the previous dated step's.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from threadline.network.graph import Graph


@dataclass
class Neighbourhood:
    """What lies within some hops of a node, cut at a node limit."""

    center: int
    nodes: list[int]
    hops: dict[int, int]
    edges: list[int]
    truncated: bool
    skipped_hubs: list[int] = field(default_factory=list)


def expand(graph: Graph, center: int, *, hops: int, limit: int) -> Neighbourhood:
    """Breadth-first to ``hops`` hops, stopping once ``limit`` nodes are reached."""
    blocked = graph.blocked
    depth = {center: 0}
    order = [center]
    queue = deque([center])
    truncated = False
    skipped: set[int] = set()
    edges: set[int] = set()
    while queue and not truncated:
        node = queue.popleft()
        if depth[node] >= hops:
            continue
        for other, edge in graph.neighbours(node):
            if blocked is not None and blocked[other]:
                skipped.add(other)
                continue
            if other not in depth:
                if len(order) >= limit:
                    truncated = True
                    break
                depth[other] = depth[node] + 1
                order.append(other)
                queue.append(other)
            edges.add(edge)
    return Neighbourhood(center, order, depth, sorted(edges), truncated, sorted(skipped))


def shortest_path(
    graph: Graph, start: int, goal: int, *, time_ordered: bool = False
) -> list[int] | None:
    """Edge ids of a shortest path (fewest hops), or None when there is none."""
    if start == goal:
        return []
    blocked = graph.blocked
    dates = graph.date
    # A state is (node, date of the last dated step); plain paths ignore dates.
    first: tuple[int, str] = (start, "")
    parent: dict[tuple[int, str], tuple[tuple[int, str], int] | None] = {first: None}
    best: dict[int, str] = {start: ""}  # earliest arrival date per node: later arrivals add nothing
    queue = deque([first])
    while queue:
        state = queue.popleft()
        node, when = state
        for other, edge in graph.neighbours(node):
            if blocked is not None and blocked[other] and other != goal:
                continue
            step = when
            if time_ordered:
                date = dates[edge] if dates else None
                if date is not None:
                    if date < when:
                        continue
                    step = date
            seen = best.get(other)
            if seen is not None and (not time_ordered or seen <= step):
                continue
            best[other] = step
            nxt = (other, step)
            parent[nxt] = (state, edge)
            if other == goal:
                return _unwind(parent, nxt)
            queue.append(nxt)
    return None


def _unwind(
    parent: dict[tuple[int, str], tuple[tuple[int, str], int] | None], state: tuple[int, str]
) -> list[int]:
    path: list[int] = []
    link = parent[state]
    while link is not None:
        state, edge = link
        path.append(edge)
        link = parent[state]
    return path[::-1]


def path_nodes(graph: Graph, start: int, edges: list[int]) -> list[int]:
    nodes = [start]
    for edge in edges:
        a, b = int(graph.src[edge]), int(graph.dst[edge])
        nodes.append(b if a == nodes[-1] else a)
    return nodes


def describe_edges(graph: Graph, edges: list[int]) -> list[dict[str, Any]]:
    return [graph.edge_dict(e) for e in edges]

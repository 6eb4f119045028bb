"""Networks: connected groups of entities once hub selectors are pruned.

A component of the pruned graph is one network. A component larger than
``split_above`` nodes is split along its communities (networkit PLM), because
a giant component usually means two groups joined by a weak, shared link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from threadline.network.graph import (
    IntArray,
    communities,
    components,
    group_members,
    to_networkit,
)
from threadline.network.load import VisibleGraph
from threadline.network.nodes import is_entity

SPLIT_ABOVE = 2000


@dataclass
class Network:
    """A group of linked entities (and the selectors and personas that link them)."""

    id: str
    nodes: IntArray  # node ids in the visible graph
    members: list[str]  # entity ids
    community: dict[str, int] = field(default_factory=dict)  # member -> community within

    @property
    def size(self) -> int:
        return len(self.members)


def network_id(members: list[str]) -> str:
    """Stable id: derived from the smallest member id, which survives most growth."""
    digest = hashlib.sha1(min(members).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"net-{digest[:10]}"


def find_networks(view: VisibleGraph, *, split_above: int = SPLIT_ABOVE) -> list[Network]:
    """Every network of two or more entities in the actor's view, biggest first."""
    graph = view.graph
    if graph.n == 0:
        return []
    open_mask = graph.open_edges()
    src, dst = graph.src[open_mask], graph.dst[open_mask]
    keep = np.ones(graph.n, dtype=np.bool_)
    if graph.blocked is not None:
        keep &= ~graph.blocked
    comp = components(graph.n, src, dst)
    community: IntArray | None = None
    networks: list[Network] = []
    for nodes in group_members(comp, keep):
        parts = [nodes]
        if len(nodes) > split_above:
            if community is None:
                community = communities(to_networkit(graph.n, src, dst))
            parts = group_members(community, np.isin(np.arange(graph.n), nodes))
        for part in parts:
            members = sorted(graph.keys[i] for i in part.tolist() if is_entity(graph.keys[i]))
            if len(members) >= 2:
                networks.append(Network(network_id(members), part, members))
    networks.sort(key=lambda n: (-n.size, n.id))
    return networks


def annotate_communities(view: VisibleGraph, item: Network) -> None:
    """Communities inside one network (PLM on its subgraph)."""
    graph = view.graph
    local = {int(node): i for i, node in enumerate(item.nodes.tolist())}
    open_mask = graph.open_edges()
    inside = np.isin(graph.src, item.nodes) & np.isin(graph.dst, item.nodes) & open_mask
    src = np.asarray([local[int(s)] for s in graph.src[inside]], dtype=np.int64)
    dst = np.asarray([local[int(d)] for d in graph.dst[inside]], dtype=np.int64)
    labels = communities(to_networkit(len(local), src, dst))
    item.community = {
        graph.keys[node]: int(labels[i]) for node, i in local.items() if is_entity(graph.keys[node])
    }


def find_network(view: VisibleGraph, ident: str) -> Network:
    """One network by id, as this actor sees it."""
    from threadline.exc import NotFound

    for item in find_networks(view):
        if item.id == ident:
            return item
    raise NotFound(f"no network with id {ident!r} (see 'threadline network list')")


def describe_brief(view: VisibleGraph, item: Network) -> dict[str, Any]:
    countries = sorted({c for m in item.members for c in view.countries.get(m, ())})
    return {"id": item.id, "size": item.size, "countries": countries, "members": item.members}

"""The network capability's public functions: one per thing a user asks.

Each takes the store and an ``Actor`` and works on the graph that actor may
see; the CLI and the API call these and only render what they return.
"""

from __future__ import annotations

from typing import Any

from threadline.exc import InputError, NotFound
from threadline.governance import Actor
from threadline.network.actors import key_actors
from threadline.network.load import HUB_MAX_DEGREE, VisibleGraph, load_visible
from threadline.network.networks import (
    annotate_communities,
    describe_brief,
    find_network,
    find_networks,
)
from threadline.network.summary import caption, describe_network, gather_risk_inputs, risk
from threadline.network.traversal import describe_edges, expand, path_nodes, shortest_path
from threadline.network.victims import NO_VICTIMS, VictimPolicy
from threadline.store import Store
from threadline.store.statements import get_entities

MAX_HOPS = 6
MAX_LIMIT = 10_000


def list_networks(
    store: Store,
    actor: Actor,
    *,
    victims: VictimPolicy = NO_VICTIMS,
    hub_max_degree: int = HUB_MAX_DEGREE,
) -> list[dict[str, Any]]:
    """Every network the actor can see: id, size, countries, members and risk."""
    view = load_visible(store, actor, hub_max_degree=hub_max_degree)
    networks = find_networks(view)
    with store.connect() as conn:
        inputs = gather_risk_inputs(conn, view, [m for n in networks for m in n.members], victims)
    result = []
    for item in networks:
        brief = describe_brief(view, item)
        brief["risk"], brief["risk_explanation"] = risk(view, item, inputs)
        result.append(brief)
    return result


def show_network(
    store: Store,
    actor: Actor,
    network_id: str,
    *,
    victims: VictimPolicy = NO_VICTIMS,
    hub_max_degree: int = HUB_MAX_DEGREE,
) -> dict[str, Any]:
    """One network in full: summary, communities, key actors with explanations, routes."""
    view = load_visible(store, actor, hub_max_degree=hub_max_degree)
    item = find_network(view, network_id)
    annotate_communities(view, item)
    with store.connect() as conn:
        data = describe_network(conn, view, item, actor, victims)
    data["communities"] = len(set(item.community.values()))
    data["key_actors"] = [a.to_dict() for a in key_actors(view, item)]
    return data


def _node(view: VisibleGraph, entity_id: str) -> int | None:
    """The node of a visible entity (None when it has no edges); unknown ids are an error."""
    resolved = view.resolve(entity_id)
    if resolved not in view.schema:
        raise NotFound(f"no entity with id {entity_id!r}")
    return view.graph.index.get(resolved)


def _labels(
    store: Store, view: VisibleGraph, actor: Actor, keys: list[str], victims: VictimPolicy
) -> list[dict[str, Any]]:
    entity_ids = [k for k in keys if k in view.schema]
    with store.connect() as conn:
        entities = {e.id: e for e in get_entities(conn, entity_ids, view.collections)}
    return [
        {
            "id": key,
            "schema": view.schema.get(key),
            "label": caption(entities.get(key), key, actor, victims)
            if key in view.schema
            else key.lstrip("~"),
            "countries": sorted(view.countries.get(key, ())),
        }
        for key in keys
    ]


def find_path(
    store: Store,
    actor: Actor,
    start: str,
    goal: str,
    *,
    time_ordered: bool = False,
    victims: VictimPolicy = NO_VICTIMS,
) -> dict[str, Any]:
    """The shortest chain of links between two entities (optionally in date order)."""
    view = load_visible(store, actor)
    a, b = _node(view, start), _node(view, goal)
    edges = (
        None
        if a is None or b is None
        else shortest_path(view.graph, a, b, time_ordered=time_ordered)
    )
    result: dict[str, Any] = {
        "from": view.resolve(start),
        "to": view.resolve(goal),
        "time_ordered": time_ordered,
        "found": edges is not None,
        "hops": len(edges) if edges is not None else None,
        "nodes": [],
        "edges": [],
    }
    if edges is not None and a is not None:
        keys = [view.graph.keys[n] for n in path_nodes(view.graph, a, edges)]
        result["nodes"] = _labels(store, view, actor, keys, victims)
        result["edges"] = describe_edges(view.graph, edges)
    return result


def expand_entity(
    store: Store,
    actor: Actor,
    entity_id: str,
    *,
    hops: int = 2,
    limit: int = 200,
    victims: VictimPolicy = NO_VICTIMS,
) -> dict[str, Any]:
    """The neighbourhood of an entity, within ``hops`` hops and at most ``limit`` nodes."""
    if not 1 <= hops <= MAX_HOPS:
        raise InputError(f"--hops must be between 1 and {MAX_HOPS}, not {hops}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}")
    view = load_visible(store, actor)
    node = _node(view, entity_id)
    resolved = view.resolve(entity_id)
    if node is None:
        return {
            "id": resolved,
            "hops": hops,
            "limit": limit,
            "truncated": False,
            "nodes": [{**n, "hop": 0} for n in _labels(store, view, actor, [resolved], victims)],
            "edges": [],
            "hubs_skipped": [],
        }
    found = expand(view.graph, node, hops=hops, limit=limit)
    keys = [view.graph.keys[n] for n in found.nodes]
    nodes = _labels(store, view, actor, keys, victims)
    for entry, n in zip(nodes, found.nodes, strict=True):
        entry["hop"] = found.hops[n]
    return {
        "id": resolved,
        "hops": hops,
        "limit": limit,
        "truncated": found.truncated,
        "nodes": nodes,
        "edges": describe_edges(view.graph, found.edges),
        "hubs_skipped": [view.graph.keys[n] for n in found.skipped_hubs],
    }


def build_networks(store: Store, *, full: bool = False, user: str = "system") -> dict[str, Any]:
    """Update the persisted graph, then record the platform-wide networks as findings.

    The ``network`` findings are the platform's own view (every collection) for
    audit and evaluation; people are always shown networks computed on the
    graph they may see (``list_networks``), never these rows.
    """
    from threadline.governance import SYSTEM
    from threadline.network.build import build_graph
    from threadline.store.findings import Finding, finish_run, replace_findings, start_run

    report = build_graph(store, full=full, user=user)
    networks = list_networks(store, SYSTEM)
    with store.begin() as conn:
        run_id = start_run(conn, "network", scope={"full": report.full}, user=user)
        stored = replace_findings(
            conn,
            run_id,
            ["network"],
            (
                Finding(
                    kind="network",
                    key=n["id"],
                    score=n["risk"],
                    explanation=n["risk_explanation"],
                    data={"size": n["size"], "countries": n["countries"], "members": n["members"]},
                )
                for n in networks
            ),
        )
        finish_run(conn, run_id, counts={**report.to_dict(), "networks": stored})
    return {**report.to_dict(), "networks": stored}

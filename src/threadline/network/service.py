"""The network capability's public functions: one per thing a user asks.

Each takes the store and an ``Actor`` and works on the graph that actor may
see; the CLI and the API call these and only render what they return.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from threadline.exc import InputError, NotFound
from threadline.governance import Actor, require_purpose
from threadline.governance.access import producer
from threadline.governance.audit import record
from threadline.governance.shield import victim_shield
from threadline.network.actors import key_actors
from threadline.network.disclosure import Disclosure, disclosure_for
from threadline.network.load import HUB_MAX_DEGREE, VisibleGraph, load_visible
from threadline.network.networks import (
    Network,
    annotate_communities,
    describe_brief,
    find_network,
    find_networks,
)
from threadline.network.nodes import node_kind
from threadline.network.summary import describe_network, gather_risk_inputs, risk
from threadline.network.traversal import describe_edges, expand, path_nodes, shortest_path
from threadline.network.victims import VictimPolicy, records_policy
from threadline.store import Store
from threadline.store.statements import get_entities

MAX_HOPS = 6
MAX_LIMIT = 10_000


def policy_for(conn: Connection, view: VisibleGraph, victims: VictimPolicy | None) -> VictimPolicy:
    """The caller's policy, else the one the victim records imply (the default everywhere)."""
    return victims if victims is not None else records_policy(conn, view.canonical)


def audit(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    component: str,
    target_type: str,
    target_id: str | None,
    result_count: int,
    detail: dict[str, Any],
) -> None:
    """One audit event per read of person data: ids and counts, never names or values."""
    record(
        conn,
        actor,
        f"network.{action}",
        component=component,
        target_type=target_type,
        target_id=target_id,
        result_count=result_count,
        detail=detail,
    )


def _briefs(
    conn: Connection, view: VisibleGraph, networks: list[Network], policy: VictimPolicy
) -> list[dict[str, Any]]:
    inputs = gather_risk_inputs(conn, view, [m for n in networks for m in n.members], policy)
    result = []
    for item in networks:
        brief = describe_brief(view, item)
        brief["risk"], brief["risk_explanation"] = risk(view, item, inputs)
        brief["possible_victims"] = sum(m in inputs.victims for m in item.members)
        result.append(brief)
    return result


def list_networks(
    store: Store,
    actor: Actor,
    *,
    victims: VictimPolicy | None = None,
    hub_max_degree: int = HUB_MAX_DEGREE,
    component: str = "cli",
    min_size: int = 1,
    min_risk: float = 0.0,
) -> list[dict[str, Any]]:
    """The networks the actor can see with at least ``min_size`` members and a risk of at
    least ``min_risk``: id, size, countries, members and risk, riskiest first (then biggest).

    Computed on the graph of the actor's visible collections, never read from
    the platform-wide ``network`` findings (those span every agency's data).
    """
    require_purpose(actor)
    if min_size < 1 or not 0.0 <= min_risk <= 1.0:
        raise InputError("min_size is at least 1 and min_risk between 0 and 1")
    view = load_visible(store, actor, hub_max_degree=hub_max_degree)
    networks = [n for n in find_networks(view) if n.size >= min_size]
    with store.begin() as conn:
        briefs = _briefs(conn, view, networks, policy_for(conn, view, victims))
        result = sorted(
            (b for b in briefs if b["risk"] >= min_risk),
            key=lambda b: (-b["risk"], -b["size"], b["id"]),
        )
        audit(
            conn,
            actor,
            "list",
            component=component,
            target_type="network",
            target_id=None,
            result_count=len(result),
            detail={"members": sum(n.size for n in networks)},
        )
        shown: list[dict[str, Any]] = victim_shield(conn, actor).redact(result)
    return shown


def show_network(
    store: Store,
    actor: Actor,
    network_id: str,
    *,
    victims: VictimPolicy | None = None,
    hub_max_degree: int = HUB_MAX_DEGREE,
    include_graph: bool = False,
    component: str = "cli",
) -> dict[str, Any]:
    """One network in full: summary, communities, key actors with explanations, routes.

    Possible victims are never ranked as key actors; ``victims_not_ranked``
    says how many were left out. ``include_graph`` adds ``graph``: every node
    (``id``, ``schema``, ``label``, ``countries``, ``victim``, ``kind``) and link.
    """
    require_purpose(actor)
    view = load_visible(store, actor, hub_max_degree=hub_max_degree)
    item = find_network(view, network_id)
    annotate_communities(view, item)
    with store.begin() as conn:
        policy = policy_for(conn, view, victims)
        shown = disclosure_for(view, actor, policy)
        data = describe_network(conn, view, item, shown)
        victim_ids = {m["entity_id"] for m in data["members"] if m["victim"]}
        captions = {m["entity_id"]: m["caption"] for m in data["members"]}
        data["communities"] = len(set(item.community.values()))
        data["key_actors"] = [
            {**a.to_dict(), "caption": captions.get(a.entity_id, a.entity_id)}
            for a in key_actors(view, item, victims=victim_ids)
        ]
        data["victims_not_ranked"] = len(victim_ids)
        if include_graph:
            data["graph"] = _graph(conn, view, shown, item)
        audit(
            conn,
            actor,
            "show",
            component=component,
            target_type="network",
            target_id=item.id,
            result_count=item.size,
            detail={"pseudonymised": sum(shown.shields(m) for m in item.members)},
        )
        redacted: dict[str, Any] = victim_shield(conn, actor).redact(data)
    return redacted


def _named(view: VisibleGraph, shown: Disclosure, entity_id: str) -> str:
    """The graph key an id names: a visible entity's own id (or its canonical id), or the
    stand-in shown for a hidden victim or what identifies her, so her node can be opened
    from the view without anyone learning her entity id. Raw hidden ids name nothing."""
    wanted = entity_id.strip()
    for key in sorted(shown.hidden | set(shown.owned_by)):
        if shown.key(key) == wanted:
            return key
    resolved = view.resolve(wanted)
    if resolved not in view.schema or view.shield.hides(resolved) or view.shield.hides(wanted):
        raise NotFound(f"no entity with id {entity_id!r}")
    return resolved


def _labels(
    conn: Connection, view: VisibleGraph, shown: Disclosure, keys: list[str]
) -> list[dict[str, Any]]:
    entity_ids = [k for k in keys if k in view.schema]
    entities = {e.id: e for e in get_entities(conn, entity_ids, view.collections)}
    return [
        {
            "id": shown.key(key),
            "schema": view.schema.get(key),
            "label": shown.label(key, entities.get(key), view.schema.get(key)),
            "countries": sorted(view.countries.get(key, ())),
            "victim": shown.is_victim(key),
            "kind": node_kind(key),
        }
        for key in keys
    ]


def _edges(view: VisibleGraph, shown: Disclosure, edges: list[int]) -> list[dict[str, Any]]:
    described = describe_edges(view.graph, edges)
    for edge in described:
        edge["source"], edge["target"] = shown.key(edge["source"]), shown.key(edge["target"])
    return described


def _graph(
    conn: Connection, view: VisibleGraph, shown: Disclosure, item: Network
) -> dict[str, Any]:
    from threadline.network.graph import subgraph_edges

    keys = [view.graph.keys[n] for n in item.nodes.tolist()]
    nodes = _labels(conn, view, shown, keys)
    for entry, key in zip(nodes, keys, strict=True):
        entry["community"] = item.community.get(key)
    edges = _edges(view, shown, subgraph_edges(view.graph, item.nodes).tolist())
    return {"nodes": nodes, "edges": edges}


def find_path(
    store: Store,
    actor: Actor,
    start: str,
    goal: str,
    *,
    time_ordered: bool = False,
    victims: VictimPolicy | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """The shortest chain of links between two entities (optionally in date order)."""
    require_purpose(actor)
    view = load_visible(store, actor)
    with store.connect() as conn:
        shown = disclosure_for(view, actor, policy_for(conn, view, victims))
    start_key, goal_key = _named(view, shown, start), _named(view, shown, goal)
    a, b = view.graph.index.get(start_key), view.graph.index.get(goal_key)
    edges = (
        None
        if a is None or b is None
        else shortest_path(view.graph, a, b, time_ordered=time_ordered)
    )
    result: dict[str, Any] = {
        "from": shown.key(start_key),
        "to": shown.key(goal_key),
        "time_ordered": time_ordered,
        "found": edges is not None,
        "hops": len(edges) if edges is not None else None,
        "nodes": [],
        "edges": [],
    }
    with store.begin() as conn:
        if edges is not None and a is not None:
            keys = [view.graph.keys[n] for n in path_nodes(view.graph, a, edges)]
            result["nodes"] = _labels(conn, view, shown, keys)
            result["edges"] = _edges(view, shown, edges)
        audit(
            conn,
            actor,
            "path",
            component=component,
            target_type="entity",
            target_id=f"{result['from']} {result['to']}",
            result_count=len(result["nodes"]),
            detail={"time_ordered": time_ordered, "found": result["found"]},
        )
        redacted: dict[str, Any] = victim_shield(conn, actor).redact(result)
    return redacted


def expand_entity(
    store: Store,
    actor: Actor,
    entity_id: str,
    *,
    hops: int = 2,
    limit: int = 200,
    victims: VictimPolicy | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """The neighbourhood of an entity, within ``hops`` hops and at most ``limit`` nodes."""
    if not 1 <= hops <= MAX_HOPS:
        raise InputError(f"--hops must be between 1 and {MAX_HOPS}, not {hops}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}")
    require_purpose(actor)
    view = load_visible(store, actor)
    with store.connect() as conn:
        shown = disclosure_for(view, actor, policy_for(conn, view, victims))
    resolved = _named(view, shown, entity_id)
    node = view.graph.index.get(resolved)
    found = expand(view.graph, node, hops=hops, limit=limit) if node is not None else None
    with store.begin() as conn:
        if found is None:
            nodes = [{**n, "hop": 0} for n in _labels(conn, view, shown, [resolved])]
            edges: list[dict[str, Any]] = []
            skipped: list[str] = []
        else:
            nodes = _labels(conn, view, shown, [view.graph.keys[n] for n in found.nodes])
            for entry, n in zip(nodes, found.nodes, strict=True):
                entry["hop"] = found.hops[n]
            edges = _edges(view, shown, found.edges)
            skipped = [shown.key(view.graph.keys[n]) for n in found.skipped_hubs]
        audit(
            conn,
            actor,
            "expand",
            component=component,
            target_type="entity",
            target_id=resolved,
            result_count=len(nodes),
            detail={"hops": hops, "limit": limit, "truncated": bool(found and found.truncated)},
        )
        redacted: dict[str, Any] = victim_shield(conn, actor).redact(
            {
                "id": shown.key(resolved),
                "hops": hops,
                "limit": limit,
                "truncated": bool(found and found.truncated),
                "nodes": nodes,
                "edges": edges,
                "hubs_skipped": skipped,
            }
        )
    return redacted


def build_networks(
    store: Store,
    *,
    full: bool = False,
    user: str = "system",
    actor: Actor | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """Update the persisted graph, then record the platform-wide networks as findings.

    The ``network`` findings are the platform's own view (every collection) for
    audit and evaluation; people are always shown networks computed on the
    graph they may see (``list_networks``), never these rows, and the build's
    answer is counts only. With an ``actor`` the build is audited as theirs.
    """
    from threadline.governance import SYSTEM
    from threadline.network.build import build_graph
    from threadline.store.findings import Finding, finish_run, replace_findings, start_run

    report = build_graph(store, full=full, user=user)
    view = load_visible(store, SYSTEM)
    with store.begin() as conn:
        networks = _briefs(conn, view, find_networks(view), policy_for(conn, view, None))
        every = tuple(view.collections)
        run_id = start_run(
            conn,
            "network",
            scope={"full": report.full},
            user=user,
            **(producer(actor) if actor is not None else {}),
        )
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
                    sources=every,  # computed on the whole graph: derived from every collection
                )
                for n in networks
            ),
        )
        finish_run(conn, run_id, counts={**report.to_dict(), "networks": stored})
        if actor is not None:
            audit(
                conn,
                actor,
                "build",
                component=component,
                target_type="network",
                target_id=None,
                result_count=stored,
                detail={"full": report.full},
            )
    return {**report.to_dict(), "networks": stored}

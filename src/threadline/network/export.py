"""Exporting one network: GraphML, GEXF 1.3 (see :mod:`.graph_files`), FtM JSON lines, CSV.

Victims the actor may not identify appear under their pseudonym in every format;
in FtM they are reduced to a Person with that pseudonym as name (and their
countries), and their documents and accounts to the bare schema with its links,
so a re-import carries no identity. Every export is audited (ids and counts).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
from followthemoney import model, registry
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.governance import Actor, require_purpose
from threadline.governance.shield import redact_entity, victim_shield
from threadline.network.disclosure import Disclosure, disclosure_for
from threadline.network.graph_files import write_gexf, write_graphml
from threadline.network.load import load_visible
from threadline.network.networks import find_network
from threadline.network.nodes import is_entity, node_kind
from threadline.network.victims import VictimPolicy
from threadline.store import Store
from threadline.store.statements import get_entities

FORMATS = ("graphml", "gexf", "ftm", "csv")


def _masked(entity: EntityProxy, shown: Disclosure) -> EntityProxy:
    assert entity.id is not None
    if not shown.shields(entity.id):
        return entity
    if entity.id not in shown.hidden:
        # A victim's passport or account: keep what it is and what it links, not its values.
        bare = model.make_entity(entity.schema.name)
        bare.id = shown.key(entity.id)
        for prop, value in entity.itervalues():
            if prop.type == registry.entity:
                bare.add(prop, shown.key(value))
        return bare
    masked = model.make_entity("Person")
    masked.id = shown.key(entity.id)
    masked.add("name", shown.label(entity.id))
    for country in entity.get_type_values(registry.country):
        masked.add("country", country)
    return masked


def export_network(
    store: Store,
    actor: Actor,
    network_id: str,
    fmt: str,
    *,
    victims: VictimPolicy | None = None,
    component: str = "cli",
) -> dict[str, str]:
    """The network as files: name suffix -> text (CSV gives ``nodes`` and ``edges``)."""
    from threadline.network.service import audit, policy_for

    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    require_purpose(actor)
    view = load_visible(store, actor)
    item = find_network(view, network_id)
    graph = view.graph
    with store.begin() as conn:
        shown = disclosure_for(view, actor, policy_for(conn, view, victims))
        originals = get_entities(conn, item.members, view.collections)
        shield = victim_shield(conn, actor)
        entities = {e.id: redact_entity(_masked(e, shown), shield) for e in originals}
        audit(
            conn,
            actor,
            "export",
            component=component,
            target_type="network",
            target_id=item.id,
            result_count=item.size,
            detail={"format": fmt, "pseudonymised": sum(shown.shields(m) for m in item.members)},
        )
    if fmt == "ftm":
        lines = [
            orjson.dumps(entities[m].to_dict()).decode() for m in item.members if m in entities
        ]
        return {"": "\n".join(lines) + "\n"}
    nodes: list[dict[str, Any]] = []
    for node in item.nodes.tolist():
        key = graph.keys[node]
        entity = entities.get(key)
        nodes.append(
            {
                "id": shown.key(key),
                "label": shown.label(key, entity, view.schema.get(key)),
                "kind": node_kind(key),
                "schema": view.schema.get(key, "") if is_entity(key) else "",
                "countries": ";".join(sorted(view.countries.get(key, ()))),
            }
        )
    from threadline.network.graph import subgraph_edges

    edges = [graph.edge_dict(e) for e in subgraph_edges(graph, item.nodes.tolist()).tolist()]
    for edge in edges:
        edge["date"] = edge["date"] or ""
        edge["source"], edge["target"] = shown.key(edge["source"]), shown.key(edge["target"])
    nodes, edges = shield.redact(nodes), shield.redact(edges)
    if fmt == "csv":
        return {"nodes": _csv(nodes, list(nodes[0])), "edges": _csv(edges, list(edges[0]))}
    writer = write_graphml if fmt == "graphml" else write_gexf
    return {"": writer(nodes, edges)}


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()

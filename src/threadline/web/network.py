"""Network pages: the list of networks and one network with its interactive graph.

The page renders everything as HTML first (key actors, routes, a table of every
node and link, the dated events, the path form), so it works from the keyboard and
with a screen reader; ``network.js`` draws the same nodes and links with
Cytoscape.js, expands a node on click (through the API's JSON endpoint) and saves
the layout. The routes map and the activity timeline are inline SVG drawn on the
server from the same view (``web.maps``, ``web.charts``), each beside its table. The
network package governs what is shown and audits every read.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from threadline.exc import InputError, NotFound
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
Field = Annotated[str, Query(max_length=255)]
FORMATS = (
    ("graphml", "GraphML"),
    ("gexf", "GEXF (Gephi)"),
    ("ftm", "FtM JSON lines"),
    ("csv", "CSV"),
)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/networks", response_class=HTMLResponse)
def networks(request: Request, user: User) -> Response:
    from threadline.network import list_networks

    items = list_networks(_store(request), user.actor, component="web")
    return page(request, "networks.html", user=user, networks=items)


def node_type(node: dict[str, Any]) -> str:
    """What the type filter calls a node: its schema, or the selector kind."""
    return str(node["schema"] or node["kind"])


def filter_graph(
    graph: dict[str, Any], kind: str, country: str, since: str, until: str
) -> dict[str, Any]:
    """Nodes of a type and country, and the links between them dated within the range.

    Undated links stay (their date is unknown, not outside). Selectors and
    personas have no country: without a type filter they stay while a kept link
    still reaches them.
    """
    kept = {
        n["id"]
        for n in graph["nodes"]
        if (not kind or node_type(n) == kind)
        and (not country or country in n["countries"] or n["kind"] != "entity")
    }
    edges = [
        e
        for e in graph["edges"]
        if e["source"] in kept
        and e["target"] in kept
        and (
            not e["date"]
            or ((not since or e["date"] >= since) and (not until or e["date"] <= until))
        )
    ]
    linked = {e["source"] for e in edges} | {e["target"] for e in edges}
    # A type filter shows every node of that type, linked or not; otherwise a
    # selector stays only while a kept link still reaches it.
    nodes = [
        n
        for n in graph["nodes"]
        if n["id"] in kept and (kind or n["kind"] == "entity" or n["id"] in linked)
    ]
    return {"nodes": nodes, "edges": edges}


def _words(prop: str) -> str:
    """``startDate`` → ``start date``: a property name as the timeline says it."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", prop).lower()


def timeline_rows(
    events: list[dict[str, Any]], labels: dict[str, str], schemas: dict[str, str]
) -> list[dict[str, str]]:
    """The network's dated events as table rows (date, what, who): a member's dated
    property, or a dated payment or relationship between two members. Names come from
    the graph's labels, which already show possible victims by pseudonym."""
    rows = []
    for event in events:
        ends = event.get("link") or []
        if ends:
            who = " – ".join(labels.get(end, end) for end in ends)
        else:
            member = event["entity_id"] or ""
            who = labels.get(member, member)
            if schemas.get(member):
                who = f"{who} ({schemas[member]})"
        rows.append({"date": str(event["date"]), "what": _words(str(event["prop"])), "who": who})
    return rows


@router.get("/networks/{network_id}", response_class=HTMLResponse)
def network(
    request: Request,
    user: User,
    network_id: str,
    kind: Field = "",
    country: Field = "",
    since: Field = "",
    until: Field = "",
    source: Annotated[str, Query(alias="from", max_length=255)] = "",
    target: Annotated[str, Query(alias="to", max_length=255)] = "",
    time_ordered: str = "",
) -> Response:
    from threadline.network import find_path, show_network
    from threadline.network.layouts import load_layout
    from threadline.web.charts import timeline
    from threadline.web.maps import route_map

    store = _store(request)
    data = show_network(store, user.actor, network_id, include_graph=True, component="web")
    graph = data.pop("graph")
    types = sorted({node_type(n) for n in graph["nodes"]})
    shown = filter_graph(graph, kind, country.upper(), since, until)
    path: dict[str, Any] | None = None
    path_error = None
    if source and target:
        try:
            path = find_path(
                store, user.actor, source, target, time_ordered=bool(time_ordered), component="web"
            )
        except (InputError, NotFound) as exc:  # a bad id in the form: say so on the page
            path_error = str(exc)
    with store.connect() as conn:
        layout = load_layout(conn, user.actor, data["id"])
    labels = {n["id"]: n["label"] for n in graph["nodes"]}
    schemas = {n["id"]: n["schema"] for n in graph["nodes"] if n["schema"]}
    events = timeline_rows(data["timeline"]["events"], labels, schemas)
    return page(
        request,
        "network.html",
        user=user,
        n=data,
        graph=shown,
        labels=labels,
        types=types,
        filters={"kind": kind, "country": country.upper(), "since": since, "until": until},
        filtered=len(shown["nodes"]) < len(graph["nodes"]),
        path=path,
        path_error=path_error,
        path_query={"from": source, "to": target, "time_ordered": bool(time_ordered)},
        entities=[n for n in graph["nodes"] if n["kind"] == "entity"],
        client={
            "network": data["id"],
            "nodes": shown["nodes"],
            "edges": shown["edges"],
            "layout": layout,
            "path": [p["id"] for p in path["nodes"]] if path else [],
        },
        formats=FORMATS,
        routes_map=route_map(data["routes"], map_id="routes-map"),
        events=events,
        activity=timeline(
            [(e["date"], f"{e['what']}: {e['who']}") for e in events],
            chart_id="activity-timeline",
            label="Activity of the network over time",
        ),
    )


@router.post("/networks/{network_id}/layout")
async def save(request: Request, user: User, network_id: str) -> Response:
    """Store the user's node positions (JSON body; the CSRF token in ``X-CSRF-Token``)."""
    from threadline.network.layouts import clear_layout, save_layout

    check_csrf(user, request.headers.get("x-csrf-token"))
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise InputError('send the layout as a JSON object: {"positions": {id: {x, y}}}')
    with _store(request).begin() as conn:
        if body.get("reset"):
            clear_layout(conn, user.actor, network_id)
            return JSONResponse({"saved": 0})
        count = save_layout(conn, user.actor, network_id, body.get("positions"))
    return JSONResponse({"saved": count})

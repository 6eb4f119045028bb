"""Networks: list, show, neighbourhoods, paths, exports, and rebuilding the graph.

Each read works on the graph of the caller's visible collections, shows victims
by pseudonym unless the caller may see their identity, and is audited in the
network package (ids and counts) before the answer is returned.
"""

from __future__ import annotations

import io
import zipfile
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from threadline.api.deps import PageDep, PurposeActor, StoreDep, paginated, require_role
from threadline.governance import Actor, Role
from threadline.network import (
    build_networks,
    expand_entity,
    export_network,
    find_path,
    list_networks,
    show_network,
)
from threadline.network.service import MAX_HOPS, MAX_LIMIT

router = APIRouter(tags=["networks"])
Builder = Annotated[Actor, require_role(Role.ANALYST, Role.ADMINISTRATOR)]
HubDegree = Annotated[
    int,
    Query(ge=1, le=100_000, description="Selectors linking more entities than this are hubs."),
]
MEDIA = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "ftm": "application/x-ndjson",
    "csv": "application/zip",
}
SUFFIX = {"graphml": "graphml", "gexf": "gexf", "ftm": "ftm.jsonl", "csv": "csv.zip"}


class BuildIn(BaseModel):
    full: bool = False


@router.get("/networks")
def networks(
    store: StoreDep,
    actor: PurposeActor,
    p: PageDep,
    hub_degree: HubDegree = 25,
    min_size: Annotated[int, Query(ge=1, le=2**31)] = 1,
    min_risk: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
) -> dict[str, Any]:
    """Networks the caller may see with at least ``min_size`` members and ``min_risk`` risk,
    riskiest first, then biggest (members are entity ids)."""
    items = list_networks(
        store,
        actor,
        hub_max_degree=hub_degree,
        component="api",
        min_size=min_size,
        min_risk=min_risk,
    )
    window = items[p.offset : p.offset + p.limit + 1]
    return paginated(window, p, len(items))


@router.get("/networks/{network_id}")
def network(
    network_id: str, store: StoreDep, actor: PurposeActor, hub_degree: HubDegree = 25
) -> dict[str, Any]:
    """One network: members, risk with contributions, key actors with why, routes, timeline."""
    return show_network(store, actor, network_id, hub_max_degree=hub_degree, component="api")


@router.get("/networks/{network_id}/export")
def export(
    network_id: str,
    store: StoreDep,
    actor: PurposeActor,
    format: Annotated[Literal["graphml", "gexf", "ftm", "csv"], Query()] = "graphml",
) -> Response:
    """The network as a download; ``csv`` is a zip of ``nodes.csv`` and ``edges.csv``."""
    files = export_network(store, actor, network_id, format, component="api")
    if format == "csv":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, text in files.items():
                archive.writestr(f"{network_id}.{part}.csv", text)
        body = out.getvalue()
    else:
        body = files[""].encode("utf-8")
    name = f"{network_id}.{SUFFIX[format]}"
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/network/expand/{entity_id}")
def expand(
    entity_id: str,
    store: StoreDep,
    actor: PurposeActor,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 2,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
) -> dict[str, Any]:
    """An entity's neighbourhood within ``hops`` links, cut at ``limit`` nodes."""
    return expand_entity(store, actor, entity_id, hops=hops, limit=limit, component="api")


@router.get("/network/path")
def path(
    store: StoreDep,
    actor: PurposeActor,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=255)],
    target: Annotated[str, Query(alias="to", min_length=1, max_length=255)],
    time_ordered: bool = False,
) -> dict[str, Any]:
    """The shortest chain of links between two entities (optionally in date order)."""
    return find_path(store, actor, source, target, time_ordered=time_ordered, component="api")


@router.post("/network/build")
def build(body: BuildIn, store: StoreDep, actor: Builder) -> dict[str, Any]:
    """Bring the graph up to date (analysts and administrators); returns the build's counts."""
    return build_networks(store, full=body.full, user=actor.user, actor=actor, component="api")

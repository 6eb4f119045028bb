"""``threadline network``: build the graph, list and show networks, paths, exports.

Every command acts as the command line's user (``--user``, else the console
operator of the configured agency), sees only the collections that user may
see, shows victims by their record's pseudonym unless that user may see their
identity, and is recorded in the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION
from threadline.cli.output import console, counted, err_console, minute, print_json

if TYPE_CHECKING:
    from threadline.governance import Actor
    from threadline.store import Store

app = typer.Typer(
    no_args_is_help=True,
    help="Criminal networks: who is central, which countries, which routes.",
)

HUB_HELP = "Selectors linking more entities than this are hubs and link nothing."


def _session(purpose: str | None = None, reference: str | None = None) -> tuple[Store, Actor]:
    """The store and who acts (``--user``/THREADLINE_USER, else the console operator), for
    the purpose given (network views read person data)."""
    from threadline.cli.context import actor, store

    db = store()
    return db, actor(db, purpose, reference)


@app.command("build")
def build(
    full: bool = typer.Option(False, "--full", help="Derive every edge again."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Bring the graph up to date with the store (only what is new, unless --full)."""
    from threadline.network import build_networks

    db, who = _session()
    report = build_networks(db, full=full, user=who.user, actor=who)
    if json:
        print_json(report)
        return
    kind = "Full build" if report["full"] else "Incremental build"
    console.print(
        f"{kind}: {report['entities']:,} entities read, {report['edges_added']:,} edges added, "
        f"{report['edges_removed']:,} removed; {report['total_edges']:,} edges, "
        f"{report['networks']:,} networks."
    )


@app.command("list")
def list_(
    hub_degree: int = typer.Option(25, "--hub-degree", min=1, help=HUB_HELP),
    min_size: int = typer.Option(1, "--min-size", min=1, help="Only networks this big."),
    min_risk: float = typer.Option(
        0.0, "--min-risk", min=0.0, max=1.0, help="Only networks at least this risky (0-1)."
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Show at most this many."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List the networks you may see, riskiest first (then biggest)."""
    from rich.table import Table

    from threadline.network import list_networks

    found = list_networks(
        *_session(purpose, reference),
        hub_max_degree=hub_degree,
        min_size=min_size,
        min_risk=min_risk,
    )
    networks = found[:limit] if limit is not None else found
    if json:
        print_json(
            [{k: n[k] for k in ("id", "size", "countries", "members", "risk")} for n in networks]
        )
        return
    table = Table("network", "members", "countries", "risk")
    for n in networks:
        table.add_row(n["id"], str(n["size"]), " ".join(n["countries"]), f"{n['risk']:.2f}")
    console.print(table)
    if len(networks) < len(found):
        console.print(f"{len(networks):,} of {len(found):,} networks shown (--limit).")


@app.command("show")
def show(
    network_id: str = typer.Argument(..., help="Network id (from 'network list')."),
    hub_degree: int = typer.Option(25, "--hub-degree", min=1, help=HUB_HELP),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a network: members, countries, key actors, routes, selectors, findings."""
    from threadline.network import show_network

    data = show_network(*_session(purpose, reference), network_id, hub_max_degree=hub_degree)
    if json:
        print_json(data)
        return
    _render_network(data)


def _render_network(data: dict[str, Any]) -> None:
    """A network as an analyst reads it: why it is risky, who is in it by role, where it
    moves people, what ties it together and when it was active."""
    from rich.table import Table

    console.print(
        f"[bold]{data['id']}[/bold]: {counted(data['size'], 'member')}, "
        f"risk {data['risk']:.2f}, countries {' '.join(data['countries']) or '-'}, "
        f"{counted(data['possible_victims'], 'possible victim')}"
    )
    why = Table("risk indicator", "value", "points", title="Why this risk", title_justify="left")
    for part in data["risk_explanation"]:
        value = part["value"]
        shown_value = f"{value:.2f}" if isinstance(value, float) else f"{value:,}"
        why.add_row(part["indicator"].replace("_", " "), shown_value, f"{part['points']:.2f}")
    console.print(why)
    actors = Table(
        "key actor", "schema", "score", "degree", "betweenness", "countries", "id",
        title="Key actors (possible victims are never ranked)", title_justify="left",
    )  # fmt: skip
    for actor in data["key_actors"]:
        parts = {c["measure"]: c for c in actor["explanation"]}
        actors.add_row(
            actor["caption"],
            actor["schema"],
            f"{actor['score']:.2f}",
            f"{parts['degree']['value']:.0f}",
            f"{parts['betweenness']['value']:.3f}",
            " ".join(parts["brokerage"]["evidence"]["neighbour_countries"]),
            actor["entity_id"],
        )
    console.print(actors)
    _render_members(data)
    for route in data["routes"]:
        via = " → ".join([route["origin"], *route["transit"], route["destination"]])
        when = f", {route['first']} to {route['last']}" if route.get("first") else ""
        console.print(
            f"route {via}: {counted(route['trips'], 'trip')}, "
            f"{counted(route['travellers'], 'traveller')}{when}",
            markup=False,
        )
    for sel in data["selectors"][:20]:
        console.print(
            f"selector {sel['kind']} {sel['value']} ({counted(sel['links'], 'link')})",
            markup=False,
        )
    _render_timeline(data)
    hubs = data.get("hubs") or [
        {"label": h, "kind": "", "schema": None} for h in data["hubs_excluded"]
    ]
    if hubs:
        named = ", ".join(
            f"{h['label']} ({h['schema'] or h['kind']})" if h.get("kind") else h["label"]
            for h in hubs
        )
        console.print(f"hubs excluded (they link too much to mean anything): {named}", markup=False)


MEMBERS_SHOWN = 8


def _render_members(data: dict[str, Any]) -> None:
    """Members by role: key actors (above), possible victims, then the rest by schema."""
    ranked = {a["entity_id"] for a in data["key_actors"]}
    victims = [m for m in data["members"] if m["victim"]]
    if victims:
        names = ", ".join(m["caption"] for m in victims[:MEMBERS_SHOWN])
        more = f" and {len(victims) - MEMBERS_SHOWN} more" if len(victims) > MEMBERS_SHOWN else ""
        console.print(
            f"possible victims ({len(victims)}; never ranked as key actors): {names}{more}",
            markup=False,
        )
    others: dict[str, list[dict[str, Any]]] = {}
    for member in data["members"]:
        if member["victim"] or member["entity_id"] in ranked:
            continue
        others.setdefault(member["schema"], []).append(member)
    for schema, members in sorted(others.items(), key=lambda item: (-len(item[1]), item[0])):
        names = ", ".join(m["caption"] for m in members[:MEMBERS_SHOWN])
        more = f" and {len(members) - MEMBERS_SHOWN} more" if len(members) > MEMBERS_SHOWN else ""
        console.print(f"{schema} ({len(members)}): {names}{more}", markup=False)


TIMELINE_SHOWN = 12


def _when(value: str | None) -> str:
    return minute(value) or "-"


def _render_timeline(data: dict[str, Any]) -> None:
    timeline = data.get("timeline") or {}
    events = timeline.get("events") or []
    if not events:
        return
    console.print(
        f"active {_when(timeline['first'])} to {_when(timeline['last'])} "
        f"({counted(len(events), 'dated event')}{'+' if len(events) >= 200 else ''}):",
        markup=False,
    )
    captions = {m["entity_id"]: m["caption"] for m in data["members"]}
    for event in events[:TIMELINE_SHOWN]:
        if event.get("entity_id"):
            what = f"{captions.get(event['entity_id'], event['entity_id'])}: {event['prop']}"
        else:
            ends = " and ".join(captions.get(k, k) for k in event.get("link", []))
            what = f"{event['prop']} between {ends}"
        console.print(f"  {_when(event['date']):<16}  {what}", markup=False)
    if len(events) > TIMELINE_SHOWN:
        console.print(f"  … {len(events) - TIMELINE_SHOWN} more (--json for all)", markup=False)


@app.command("path")
def path(
    start: str = typer.Argument(..., help="Entity id to start from."),
    goal: str = typer.Argument(..., help="Entity id to reach."),
    time_ordered: bool = typer.Option(
        False, "--time-ordered", help="Only follow dated links in date order."
    ),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The shortest chain of links between two entities."""
    from threadline.network import find_path

    result = find_path(*_session(purpose, reference), start, goal, time_ordered=time_ordered)
    if json:
        print_json(result)
        return
    if not result["found"]:
        console.print(f"No path from {result['from']} to {result['to']}.")
        return
    labels = {n["id"]: n["label"] for n in result["nodes"]}
    console.print(f"{result['hops']} hops:")
    for edge in result["edges"]:
        when = f" ({edge['date']})" if edge["date"] else ""
        console.print(
            f"  {labels[edge['source']]} -[{edge['label']}]- {labels[edge['target']]}{when}"
        )


@app.command("expand")
def expand(
    entity_id: str = typer.Argument(..., help="Entity id to expand from."),
    hops: int = typer.Option(2, "--hops", help="How many links away (1-6)."),
    limit: int = typer.Option(200, "--limit", help="Stop after this many nodes."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The neighbourhood of an entity, capped."""
    from threadline.network import expand_entity

    result = expand_entity(*_session(purpose, reference), entity_id, hops=hops, limit=limit)
    if json:
        print_json(result)
        return
    for node in result["nodes"]:
        console.print(f"{node['hop']}  {node['id']}  {node['label']}")
    if result["truncated"]:
        err_console.print(f"Stopped at {limit} nodes; raise --limit to see more.")


@app.command("export")
def export(
    network_id: str = typer.Argument(..., help="Network id (from 'network list')."),
    format: str = typer.Option(..., "--format", "-f", help="graphml, gexf, ftm or csv."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="File to write (CSV: <name>.nodes.csv and <name>.edges.csv)."
    ),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
) -> None:
    """Export a network for Gephi, networkx, FtM tools or a spreadsheet."""
    import sys

    from threadline.exc import InputError
    from threadline.network import export_network

    if out is not None and out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")
    files = export_network(*_session(purpose, reference), network_id, format)
    if out is None:
        for suffix, text in files.items():
            if suffix:
                sys.stdout.write(f"# {suffix}\n")
            sys.stdout.write(text)
        return
    for suffix, text in files.items():
        target = out.with_suffix(f".{suffix}.csv") if suffix else out
        target.write_text(text, encoding="utf-8")
        err_console.print(f"Wrote {target}.")

"""What a network is: members, countries, timeline, selectors, ads, hits, victims, risk.

Everything is read through the actor's visible collections; findings count
only where the actor may see them (the graph carries the actor's finding filter).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from threadline.model.collections import CollectionKind
from threadline.model.missing import MARKED_PROPS, marks_missing
from threadline.network.disclosure import Disclosure
from threadline.network.graph import subgraph_edges
from threadline.network.load import VisibleGraph
from threadline.network.networks import Network
from threadline.network.nodes import is_entity, node_kind
from threadline.network.routes import summarise_routes
from threadline.network.victims import VictimPolicy
from threadline.store.collections import list_collections
from threadline.store.findings import visible_clause
from threadline.store.statements import get_entities
from threadline.store.tables import finding as t_finding
from threadline.store.tables import statement as t_statement

AD_SCHEMATA = frozenset({"HyperText", "Document", "Page", "PlainText"})
LINKED_FINDINGS = ("ad_risk", "screening_hit", "trace_lead")
CHUNK = 500


@dataclass
class RiskInputs:
    """The findings and victims that bear on networks' risk."""

    findings: dict[str, dict[str, list[dict[str, Any]]]]  # kind -> subject -> findings
    victims: set[str]


def gather_risk_inputs(
    conn: Connection, view: VisibleGraph, members: Sequence[str], victims: VictimPolicy
) -> RiskInputs:
    """Set-based reads of the findings about any of the members."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {
        k: defaultdict(list) for k in LINKED_FINDINGS
    }
    ids = sorted(set(members))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = (
            select(t_finding)
            .where(t_finding.c.kind.in_(LINKED_FINDINGS))
            .where(or_(t_finding.c.subject_id.in_(chunk), t_finding.c.related_id.in_(chunk)))
        )
        clause = visible_clause(view.seen)
        if clause is not None:
            query = query.where(clause)
        for row in conn.execute(query):
            subject = row.subject_id if row.subject_id in chunk else row.related_id
            found[row.kind][subject].append(
                {
                    "key": row.key,
                    "subject_id": row.subject_id,
                    "related_id": row.related_id,
                    "score": row.score,
                    "decision": row.decision,
                }
            )
    # A member screened as (possibly) the subject of a missing-person report is that
    # missing person sighted: a possible victim, whichever side of the hit it is on.
    flagged = [
        (hit["subject_id"], hit["related_id"])
        for hits in found["screening_hit"].values()
        for hit in hits
        if hit["decision"] in ("match", "possible") and hit["subject_id"] and hit["related_id"]
    ]
    member_ids = set(ids)
    asked = sorted(member_ids | {i for pair in flagged for i in pair})
    reports = missing_reports(conn, view, asked)
    possible = {m for m in ids if victims.is_victim(m)} | (reports & member_ids)
    for left, right in flagged:
        for member, other in ((left, right), (right, left)):
            if member in member_ids and view.resolve(other) in reports:
                possible.add(member)
    return RiskInputs(found, possible)


def missing_reports(conn: Connection, view: VisibleGraph, members: Sequence[str]) -> set[str]:
    """The members that are (or merge) a missing-person report in a collection the actor
    may see (:mod:`threadline.model.missing`): the person a report is about is a possible
    victim, counted as one and never ranked as a key actor."""
    visible = set(view.collections)
    kinds = {
        c.id: c.kind
        for c in list_collections(conn)
        if c.id in visible and c.kind in (CollectionKind.NOTICES, CollectionKind.MISSING_PERSONS)
    }
    if not kinds:
        return set()
    wanted = set(members)
    sources = sorted(wanted | {e for e, c in view.canonical.items() if c in wanted})
    values: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    people: set[tuple[str, int]] = set()
    for start in range(0, len(sources), CHUNK):
        query = select(
            t_statement.c.entity_id, t_statement.c.collection_id, t_statement.c.schema,
            t_statement.c.prop, t_statement.c.value,
        ).where(
            t_statement.c.entity_id.in_(sources[start : start + CHUNK]),
            t_statement.c.collection_id.in_(sorted(kinds)),
            or_(t_statement.c.prop.in_(MARKED_PROPS), t_statement.c.prop == "name"),
        )  # fmt: skip
        for entity_id, collection_id, schema, prop, value in conn.execute(query):
            if schema != "Person":
                continue
            people.add((entity_id, collection_id))
            values[(entity_id, collection_id)][prop].append(value)
    reports = {
        view.resolve(entity_id)
        for entity_id, collection_id in people
        if kinds[collection_id] == CollectionKind.MISSING_PERSONS
        or marks_missing(values[(entity_id, collection_id)])
    }
    return reports & wanted


def risk(
    view: VisibleGraph, item: Network, inputs: RiskInputs
) -> tuple[float, list[dict[str, Any]]]:
    """A 0..1 risk score for a network and its contributions."""
    countries = {c for m in item.members for c in view.countries.get(m, ())}
    victims = [m for m in item.members if m in inputs.victims]
    ad_scores = [
        _unit(f["score"]) for m in item.members for f in inputs.findings["ad_risk"].get(m, [])
    ]
    hits = [f for m in item.members for f in inputs.findings["screening_hit"].get(m, [])]
    leads = [f for m in item.members for f in inputs.findings["trace_lead"].get(m, [])]
    parts = [
        (
            "cross_border",
            len(countries),
            min(max(len(countries) - 1, 0) * 0.1, 0.3),
            {"countries": sorted(countries)},
        ),
        ("possible_victims", len(victims), min(len(victims) * 0.1, 0.3), {}),
        (
            "ad_risk",
            max(ad_scores, default=0.0),
            max(ad_scores, default=0.0) * 0.2,
            {"ads_scored": len(ad_scores)},
        ),
        (
            "screening_hits",
            len(hits),
            min(len(hits) * 0.05, 0.15),
            {"keys": sorted({h["key"] for h in hits})[:20]},
        ),
        (
            "tracing_leads",
            len(leads),
            min(len(leads) * 0.05, 0.1),
            {"keys": sorted({h["key"] for h in leads})[:20]},
        ),
        ("size", item.size, min(item.size / 50, 1.0) * 0.1, {}),
    ]
    explanation: list[dict[str, Any]] = [
        {"indicator": name, "value": value, "points": round(points, 4), "evidence": evidence}
        for name, value, points, evidence in parts
    ]
    total = sum(float(points) for _name, _value, points, _evidence in parts)
    return round(min(total, 1.0), 4), explanation


def _unit(score: float | None) -> float:
    value = float(score or 0.0)
    return value / 100 if value > 1 else value


# Dates that say when someone was born or a document lapses, not when the network acted.
PERSONAL_DATES = frozenset({"birthDate", "deathDate", "dissolutionDate"})


def _not_activity(schema: Any, prop: str) -> bool:
    """Whether a date property is no event of the network's activity: birth and death
    dates, a document's expiry (an Identification's ``endDate``)."""
    return prop in PERSONAL_DATES or (prop == "endDate" and schema.is_a("Identification"))


def describe_network(
    conn: Connection,
    view: VisibleGraph,
    item: Network,
    shown: Disclosure,
) -> dict[str, Any]:
    """The full picture of one network, as the actor may see it."""
    graph = view.graph
    entities = {e.id: e for e in get_entities(conn, item.members, view.collections)}
    inputs = gather_risk_inputs(conn, view, item.members, shown.policy)
    score, explanation = risk(view, item, inputs)
    by_schema = Counter(view.schema.get(m, "?") for m in item.members)
    selectors: list[dict[str, Any]] = []
    personas: list[dict[str, Any]] = []
    degree = graph.degree()
    for node in item.nodes.tolist():
        key = graph.keys[node]
        if is_entity(key):
            continue
        entry = {"kind": node_kind(key), "value": shown.label(key), "links": int(degree[node])}
        (personas if entry["kind"] == "persona" else selectors).append(entry)
    timeline: list[dict[str, Any]] = []
    for member in item.members:
        entity = entities.get(member)
        if entity is None or shown.shields(member):
            continue
        for prop, value in entity.itervalues():
            if prop.type.name == "date" and not _not_activity(entity.schema, prop.name):
                timeline.append({"date": value, "entity_id": member, "prop": prop.name})
    links: Counter[str] = Counter()
    for edge in subgraph_edges(graph, item.nodes).tolist():
        links[f"{graph.kind[edge]}:{graph.label[edge]}"] += 1
        if graph.date[edge] and graph.kind[edge] in ("payment", "relation"):
            # Payments and relationships are edges, not members: their dates count too.
            timeline.append(
                {
                    "date": graph.date[edge],
                    "entity_id": None,
                    "prop": graph.label[edge],
                    "link": [
                        shown.key(graph.keys[int(graph.src[edge])]),
                        shown.key(graph.keys[int(graph.dst[edge])]),
                    ],
                }
            )
    timeline.sort(key=lambda t: (t["date"], t["entity_id"] or ""))
    trips = [e for e in entities.values() if e.schema.is_a("Trip")]
    hub_ids = [h for h in view.hubs if is_entity(h)]
    hub_entities = {str(e.id): e for e in get_entities(conn, hub_ids, view.collections)}
    return {
        "id": item.id,
        "size": item.size,
        "risk": score,
        "risk_explanation": explanation,
        "countries": sorted({c for m in item.members for c in view.countries.get(m, ())}),
        "members_by_schema": dict(sorted(by_schema.items())),
        "links_by_kind": dict(sorted(links.items())),
        "members": [
            {
                "entity_id": m,
                "schema": view.schema.get(m, "?"),
                "caption": shown.label(m, entities.get(m), view.schema.get(m)),
                "countries": sorted(view.countries.get(m, ())),
                "community": item.community.get(m),
                "victim": m in inputs.victims,
            }
            for m in item.members
        ],
        "selectors": sorted(selectors, key=lambda s: (-s["links"], s["kind"], s["value"])),
        "hubs_excluded": view.hubs,
        "hubs": [
            {
                "key": shown.key(h),
                "kind": node_kind(h),
                "schema": view.schema.get(h),
                "label": shown.label(h, hub_entities.get(h), view.schema.get(h)),
            }
            for h in view.hubs
        ],
        "ads": sorted(m for m in item.members if view.schema.get(m) in AD_SCHEMATA),
        "personas": sorted(p["value"] for p in personas),
        "screening_hits": _flat(inputs, "screening_hit"),
        "tracing_leads": _flat(inputs, "trace_lead"),
        "possible_victims": len(inputs.victims),
        "timeline": {
            "first": timeline[0]["date"] if timeline else None,
            "last": timeline[-1]["date"] if timeline else None,
            "events": timeline[:200],
        },
        "routes": summarise_routes(trips, view.countries),
    }


def _flat(inputs: RiskInputs, kind: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for items in inputs.findings[kind].values():
        for found in items:
            seen[found["key"]] = found
    return [seen[k] for k in sorted(seen)]

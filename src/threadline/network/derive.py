"""Edges from statements and findings (no I/O: rows in, edge rows out).

Edge schemata (Family, Associate, Payment, ...) become one edge from their source
to their target; entity-typed properties (Passport.holder, Trip.involved) an
edge from the entity to the one it names; pivot values an edge from the entity
to a selector node. Entity-resolution clusters and personas, stored as findings
by other analyses, add ``same_as`` and ``persona`` edges (a persona to its ads and
to the selectors its ads carry).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model

from threadline.network.nodes import persona_key, selector_key, selector_kind

DATE_PROPS = ("startDate", "date", "endDate")
PAYMENT_SCHEMATA = frozenset({"Payment"})
FINDING_EDGE_KINDS = ("same_as", "persona")


@dataclass(frozen=True)
class EdgeRow:
    """One derived edge, as stored in ``network_edge``."""

    owner: str
    source: str
    target: str
    kind: str
    label: str
    collection_id: int | None
    date: str | None = None
    # An edge from a finding: the finding's scope and producing agency (None: the platform).
    scope_id: int | None = None
    agency: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "label": self.label,
            "collection_id": self.collection_id,
            "date": self.date,
            "scope_id": self.scope_id,
            "agency": self.agency,
            "country": self.country,
        }


@dataclass
class EntityValues:
    """The statements of one entity within one collection."""

    entity_id: str
    schema: str
    collection_id: int
    values: list[tuple[str, str, str]] = field(default_factory=list)  # (prop, prop_type, value)

    def get(self, prop: str) -> list[str]:
        return [value for name, _type, value in self.values if name == prop]


def group_rows(rows: Iterable[Any]) -> Iterator[EntityValues]:
    """Group rows (entity_id, schema, prop, prop_type, value, collection_id) ordered by entity."""
    current: dict[int, EntityValues] = {}
    current_id: str | None = None
    for row in rows:
        if row.entity_id != current_id:
            yield from current.values()
            current, current_id = {}, row.entity_id
        group = current.get(row.collection_id)
        if group is None:
            group = current[row.collection_id] = EntityValues(
                row.entity_id, row.schema, row.collection_id
            )
        if row.prop != "id":
            group.values.append((row.prop, row.prop_type, row.value))
    yield from current.values()


def entity_edges(group: EntityValues) -> list[EdgeRow]:
    """Every edge one entity's statements (in one collection) give rise to."""
    schema = model.get(group.schema)
    if schema is None:
        return []
    dates = sorted(v for p in DATE_PROPS for v in group.get(p))
    date = dates[0] if dates else None

    def edge(source: str, target: str, kind: str, label: str) -> EdgeRow:
        return EdgeRow(group.entity_id, source, target, kind, label, group.collection_id, date)

    edges: list[EdgeRow] = []
    seen: set[tuple[str, str, str, str]] = set()

    def add(source: str, target: str, kind: str, label: str) -> None:
        # An entity restated by many source records (an airport named on every manifest
        # line) says each link once: repeats would read as many links in degrees and hubs.
        if (source, target, kind, label) not in seen:
            seen.add((source, target, kind, label))
            edges.append(edge(source, target, kind, label))

    endpoints: set[str] = set()
    if schema.edge and schema.source_prop is not None and schema.target_prop is not None:
        edge_kind = "payment" if schema.is_a("Payment") else "relation"
        source_prop, target_prop = schema.source_prop.name, schema.target_prop.name
        endpoints = {source_prop, target_prop}
        for source in group.get(source_prop):
            for target in group.get(target_prop):
                if source != target:
                    add(source, target, edge_kind, schema.name)
    for prop, prop_type, value in group.values:
        if prop in endpoints:
            continue
        if prop_type == "entity":
            if value != group.entity_id:
                add(group.entity_id, value, "property", prop)
            continue
        pivot = selector_kind(group.schema, prop, prop_type)
        if pivot is not None and value.strip():
            add(group.entity_id, selector_key(pivot, value), "selector", prop)
    return edges


# Selector kinds of the ads analysis (threadline.ads) as graph selector kinds. A poster
# account is written ``platform:handle``; the graph keeps one node per handle whatever the
# platform, as it does for ``UserAccount.username``. Messaging handles read from an ad's
# free text (``handle``: ``whatsapp:zero75``) are not taken: an obfuscated phone number
# ("WhatsApp zero75 55five...") reads as one, and the same misreading in two networks' ads
# would join them. The ads analysis still groups ads by them into personas.
PERSONA_SELECTOR_KINDS = {
    "phone": "phone",
    "email": "email",
    "wallet": "wallet",
    "account": "handle",
}
# A pair of cluster members the linkage model scored below this is more likely two people
# than one: the cluster joined them only through others (a missing-person notice matching
# two namesakes), and the graph does not carry that chain.
CONTESTED_BELOW = 0.5


def persona_selector(kind: str, value: str) -> str | None:
    """The graph node of one selector a persona's ads carry (None for a kind that links nothing)."""
    graph_kind = PERSONA_SELECTOR_KINDS.get(kind)
    if graph_kind is None:
        return None
    if graph_kind == "handle" and ":" in value:
        value = value.split(":", 1)[1]
    if not value.strip():
        return None
    return selector_key(graph_kind, value)


def cluster_links(
    members: list[str],
    explanation: list[Any],
    scores: Mapping[frozenset[str], float],
) -> list[tuple[str, str]]:
    """The pairs of a linkage cluster the graph joins by ``same_as``.

    These are the cluster's own links (the model's matches and analysts' "same"
    judgements, from its explanation; a star from the smallest member when it
    lists none). When the model scored two members as more likely different people
    (``scores`` below :data:`CONTESTED_BELOW`, and no analyst judged them the same),
    the weakest model links that separate them are left out, as the linkage does
    for a pair judged different: the rest of the cluster still links.
    """
    edges: dict[frozenset[str], tuple[str, str, float]] = {}
    for item in explanation:
        if not isinstance(item, dict) or item.get("via") not in ("model", "judgement"):
            continue
        left, right = str(item.get("left", "")), str(item.get("right", ""))
        if left and right and left != right:
            weight = float("inf") if item["via"] == "judgement" else float(item.get("score") or 0)
            edges[frozenset((left, right))] = (left, right, weight)
    if not edges:
        return [(members[0], other) for other in members[1:]]
    judged = {pair for pair, (_l, _r, w) in edges.items() if w == float("inf")}
    contested = [
        (a, b)
        for i, a in enumerate(members)
        for b in members[i + 1 :]
        if scores.get(frozenset((a, b)), 1.0) < CONTESTED_BELOW and frozenset((a, b)) not in judged
    ]
    if not contested:
        return [(left, right) for left, right, _w in edges.values()]
    import networkx as nx

    graph = nx.Graph()
    for left, right, weight in edges.values():
        graph.add_edge(left, right, capacity=weight)
    for a, b in contested:
        if a not in graph or b not in graph or not nx.has_path(graph, a, b):
            continue
        try:
            _value, (side, _other) = nx.minimum_cut(graph, a, b)
        except nx.NetworkXUnbounded:  # held together by analysts' judgements: keep
            continue
        cut = [(u, v) for u, v in list(graph.edges()) if (u in side) != (v in side)]
        graph.remove_edges_from(cut)
    return sorted((min(u, v), max(u, v)) for u, v in graph.edges())


@dataclass(frozen=True)
class FindingOrigin:
    """Where a finding's edges come from: its scope and the agency that produced it."""

    scope_id: int | None = None
    agency: str | None = None
    country: str | None = None


def finding_edges(
    kind: str,
    key: str,
    collection_id: int | None,
    data: dict[str, Any],
    ad_entities: Mapping[str, str] | None = None,
    explanation: list[Any] | None = None,
    link_scores: Mapping[frozenset[str], float] | None = None,
    origin: FindingOrigin | None = None,
) -> list[EdgeRow]:
    """Edges from a stored finding: a resolution cluster or a persona with its ads.

    A cluster links the pairs :func:`cluster_links` keeps (``explanation`` is the
    cluster finding's, ``link_scores`` the model's scores of member pairs). A
    persona names its ads by their source ids (the ad's ``messageId``);
    ``ad_entities`` maps those to the ads' entity ids within the persona's
    collection (an id that is not in it is taken as an entity id). A persona also
    links to the phones, e-mails, wallets and poster accounts its ads carry, except
    those the ads analysis found to be hubs: that is how an ad's phone meets the
    same phone in a case file or on a booking.
    """
    origin = origin or FindingOrigin()
    owner = f"finding:{kind}:{key}:{origin.agency or ''}:{origin.country or ''}"
    tail = (origin.scope_id, origin.agency, origin.country)
    if kind == "link_cluster":
        members = sorted({str(m) for m in data.get("members") or []})
        if len(members) < 2:
            return []
        pairs = cluster_links(members, explanation or [], link_scores or {})
        return [
            EdgeRow(owner, a, b, "same_as", "link_cluster", collection_id, None, *tail)
            for a, b in pairs
        ]
    if kind == "persona":
        node = persona_key(key)
        resolve = ad_entities or {}
        ads = sorted({resolve.get(str(a), str(a)) for a in data.get("ad_ids") or []})
        edges = [
            EdgeRow(owner, node, ad, "persona", "persona", collection_id, None, *tail) for ad in ads
        ]
        selectors: set[str] = set()
        for item in data.get("selectors") or []:
            if not isinstance(item, dict) or item.get("hub"):
                continue
            target = persona_selector(str(item.get("kind", "")), str(item.get("value", "")))
            if target is not None and target not in selectors:
                selectors.add(target)
                label = str(item.get("kind"))
                edges.append(
                    EdgeRow(owner, node, target, "persona", label, collection_id, None, *tail)
                )
        return edges
    return []

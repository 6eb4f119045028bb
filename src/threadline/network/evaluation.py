"""Scoring recovered networks against the simulator's ground truth.

``truth`` is the parsed ``truth.json`` (docs/formats.md). A true network's items
are the entity ids the simulator wrote for it (its members' ``case_entity_ids``),
its ads (``ad_ids``: the entity whose ``messageId`` is that id) and its members'
travel records (``record_ids``: the traveller a passenger manifest's record
became, the ``Person`` whose statements carry that record id as their source).
Only items that the store holds are scored, so a partial ingest is not punished
for files it did not load. Pairwise scores: a pair of items is positive when both
are in the same network; precision and recall are over those pairs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from threadline.governance import SYSTEM
from threadline.network.load import load_visible
from threadline.network.networks import find_networks
from threadline.store import Store
from threadline.store.tables import statement as t_statement

SOURCE_ID_PROPS = ("messageId", "recordId")
TRAVELLER_SCHEMA = "Person"
CHUNK = 500


def true_networks(truth: dict[str, Any]) -> dict[str, set[str]]:
    """Entity ids and source record ids (ads, manifest records) per true network id."""
    found: dict[str, set[str]] = {}
    for network in truth.get("networks") or []:
        items = {str(a) for a in network.get("ad_ids") or []}
        for member in network.get("members") or []:
            items.update(str(e) for e in member.get("case_entity_ids") or [])
            items.update(str(r) for r in member.get("record_ids") or [])
        found[str(network["network_id"])] = items
    return found


def _record_ids(truth: dict[str, Any]) -> set[str]:
    return {
        str(r)
        for network in truth.get("networks") or []
        for member in network.get("members") or []
        for r in member.get("record_ids") or []
    }


def _by_source_id(store: Store, records: set[str] | None = None) -> dict[str, set[str]]:
    """Entity ids per source id: an ad's own id, a manifest record's traveller."""
    found: dict[str, set[str]] = {}
    with store.connect() as conn:
        rows = conn.execute(
            select(t_statement.c.value, t_statement.c.entity_id).where(
                t_statement.c.prop.in_(SOURCE_ID_PROPS)
            )
        )
        for value, entity_id in rows:
            found.setdefault(str(value), set()).add(str(entity_id))
        wanted = sorted(records or ())
        for start in range(0, len(wanted), CHUNK):
            rows = conn.execute(
                select(t_statement.c.source_id, t_statement.c.entity_id)
                .where(t_statement.c.source_id.in_(wanted[start : start + CHUNK]))
                .where(t_statement.c.schema == TRAVELLER_SCHEMA)
                .where(t_statement.c.prop == "id")
            )
            for source_id, entity_id in rows:
                found.setdefault(str(source_id), set()).add(str(entity_id))
    return found


def _pairs(sizes: Any) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise_scores(truth: dict[str, set[str]], predicted: list[set[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of predicted groups against true groups."""
    label = {item: name for name, items in truth.items() for item in items}
    cells: Counter[tuple[str, int]] = Counter()
    predicted_sizes: list[int] = []
    for index, group in enumerate(predicted):
        inside = [label[i] for i in group if i in label]
        predicted_sizes.append(len(inside))
        cells.update((name, index) for name in inside)
    true_pairs = _pairs(len(items) for items in truth.values())
    predicted_pairs = _pairs(predicted_sizes)
    both = _pairs(cells.values())
    precision = both / predicted_pairs if predicted_pairs else 0.0
    recall = both / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate_networks(store: Store, truth: dict[str, Any]) -> dict[str, Any]:
    """Pairwise F1 of the networks found in the store (platform view) against the truth."""
    from threadline.exc import NotMeasured
    from threadline.store.findings import list_runs

    with store.connect() as conn:
        if not list_runs(conn, kind="network"):
            raise NotMeasured("no network build on this store: run 'threadline network build'")
    view = load_visible(store, SYSTEM)
    known = set(view.schema)
    sources = _by_source_id(store, _record_ids(truth))
    expected = {
        name: {view.resolve(e) for i in items for e in sources.get(i, {i})} & known
        for name, items in true_networks(truth).items()
    }
    expected = {name: items for name, items in expected.items() if items}
    predicted = [set(n.members) for n in find_networks(view)]
    scores = pairwise_scores(expected, predicted)
    return {
        **scores,
        "true_networks": len(expected),
        "recovered_networks": len(predicted),
        "items_scored": sum(len(items) for items in expected.values()),
        "hubs_excluded": len(view.hubs),
    }

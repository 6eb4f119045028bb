"""What links two entities into one network, and what must not.

Each case is the smallest store that shows one rule: a persona joins the ads it
names by their source ids and meets a case file through a phone its ads carry; a
selector the ads analysis called a hub links nothing; a locality (a city, an
airport) links nobody while premises with a number do; a value restated by many
records is one link; a manifest record counts in the evaluation as its traveller.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from followthemoney import model

from threadline.governance import SYSTEM
from threadline.network import build_networks, list_networks
from threadline.network.derive import (
    EntityValues,
    cluster_links,
    entity_edges,
    persona_selector,
)
from threadline.network.evaluation import evaluate_networks
from threadline.network.graph import distinct_degree
from threadline.network.load import load_visible
from threadline.network.nodes import is_locality
from threadline.store import Store
from threadline.store.findings import Finding, add_findings, start_run
from threadline.store.statements import entity_rows, insert_rows

from .world import UNIT, collection_id


def _put(
    store: Store,
    collection: str,
    schema: str,
    entity_id: str,
    props: dict[str, Any],
    source_id: str | None = None,
) -> None:
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, values in props.items():
        cleaned = entity.schema.properties[prop].type.name == "phone"
        for value in [values] if isinstance(values, str) else values:
            entity.add(prop, value, cleaned=cleaned)
    with store.begin() as conn:
        rows = entity_rows(
            entity,
            collection=collection,
            collection_id=collection_id(conn, collection),
            job_id=None,
            source_id=source_id or entity_id,
            seen=datetime.now(UTC),
        )
        insert_rows(conn, rows)


def _members(store: Store) -> list[set[str]]:
    return [set(n["members"]) for n in list_networks(store, UNIT)]


def test_a_value_restated_by_many_records_is_one_link() -> None:
    group = EntityValues("airport", "Address", 1)
    group.values += [("full", "address", "DSS airport")] * 40
    trip = EntityValues("trip", "Trip", 1)
    trip.values += [("involved", "entity", "p1")] * 3 + [("startLocation", "entity", "airport")]
    assert [(e.target, e.label) for e in entity_edges(group)] == [("~address:dss airport", "full")]
    assert sorted(e.label for e in entity_edges(trip)) == ["involved", "startLocation"]


def test_hub_degree_counts_distinct_neighbours() -> None:
    src = np.asarray([0, 0, 0, 1, 2], dtype=np.int64)
    dst = np.asarray([1, 1, 2, 0, 2], dtype=np.int64)  # a repeat, a reversed repeat, a loop
    assert distinct_degree(3, src, dst).tolist() == [2, 1, 1]


@pytest.mark.parametrize(
    ("kind", "value", "node"),
    [
        ("phone", "+447700900123", "~phone:+447700900123"),
        ("account", "jobs.example:Sweet.949", "~handle:sweet.949"),
        ("handle", "whatsapp:zero75", None),  # read from free text: links nothing
        ("wallet", "TQ1ab", "~wallet:TQ1ab"),
        ("image", "b04d49360ff10fcb", None),
        ("phone", "  ", None),
    ],
)
def test_persona_selectors_map_to_graph_nodes(kind: str, value: str, node: str | None) -> None:
    assert persona_selector(kind, value) == node


def _model(left: str, right: str, score: float) -> dict[str, Any]:
    return {"left": left, "right": right, "score": score, "via": "model"}


def test_a_cluster_links_its_own_links() -> None:
    explanation = [_model("a", "b", 0.97), _model("b", "c", 0.93)]
    assert cluster_links(["a", "b", "c"], explanation, {}) == [("a", "b"), ("b", "c")]
    assert cluster_links(["a", "b", "c"], [], {}) == [("a", "b"), ("a", "c")]  # no links listed


def test_a_chain_through_a_notice_does_not_join_two_namesakes() -> None:
    # Two travellers each match a missing-person notice, the model scored them apart (0.11):
    # the weaker link of the chain is left out, the stronger one still links.
    explanation = [_model("notice", "t1", 0.95), _model("notice", "t2", 0.92)]
    scores = {frozenset(("t1", "t2")): 0.11}
    assert cluster_links(["notice", "t1", "t2"], explanation, scores) == [("notice", "t1")]
    # An analyst's judgement that they are the same person wins over the model.
    judged = [*explanation, {"left": "t1", "right": "t2", "score": 0.11, "via": "judgement"}]
    assert len(cluster_links(["notice", "t1", "t2"], judged, scores)) == 3


def _ads_world(store: Store) -> None:
    _put(store, "cases", "Person", "suspect", {"name": "Ana Pop", "phone": "+447700900201"})
    _put(store, "cases", "Person", "bystander", {"name": "Ion Dan", "phone": "+447700900999"})
    for n in (1, 2):
        _put(store, "ads", "HyperText", f"ad-entity-{n}", {"title": "Work abroad"}, f"ad-{n}")
    with store.begin() as conn:
        ads = collection_id(conn, "ads")
        run = start_run(conn, "ads", scope={}, user="test")
        persona = {
            "ad_ids": ["ad-1", "ad-2"],
            "selectors": [
                {"kind": "phone", "value": "+447700900201", "hub": False},
                {"kind": "phone", "value": "+447700900999", "hub": True},
            ],
        }
        add_findings(
            conn,
            run,
            [
                Finding(kind="persona", key="P-1", collection_id=ads, data=persona),
                *[
                    Finding(
                        kind="ad_risk",
                        key=f"ad-{n}",
                        subject_id=f"ad-entity-{n}",
                        collection_id=ads,
                        score=0.5,
                    )
                    for n in (1, 2)
                ],
            ],
        )


def test_a_persona_joins_its_ads_and_the_case_that_shares_their_phone(store: Store) -> None:
    _ads_world(store)
    build_networks(store, full=True)
    # The hub phone the ads analysis set aside does not pull the bystander in.
    assert _members(store) == [{"ad-entity-1", "ad-entity-2", "suspect"}]


def test_a_locality_links_nobody_and_premises_do(store: Store) -> None:
    _put(store, "cases", "Address", "stockholm", {"full": "Stockholm", "country": "se"})
    _put(store, "cases", "Person", "p1", {"name": "Eva Lind", "addressEntity": "stockholm"})
    _put(store, "cases", "Person", "p2", {"name": "Olof Berg", "addressEntity": "stockholm"})
    flat = "Storgatan 12, 111 22 Stockholm"
    _put(store, "cases", "Person", "p3", {"name": "Karl Ek", "address": flat})
    _put(store, "cases", "Person", "p4", {"name": "Lena Ek", "address": flat})
    _put(store, "ads", "HyperText", "ad-a", {"title": "Massage", "address": "London, GB"})
    _put(store, "ads", "HyperText", "ad-b", {"title": "Cleaner", "address": "London, GB"})
    build_networks(store, full=True)
    assert _members(store) == [{"p3", "p4"}]
    view = load_visible(store, SYSTEM)
    assert {"stockholm", "~address:london, gb"} <= set(view.localities)
    assert "SE" in view.countries["p1"]  # the town still says where p1 is


@pytest.mark.parametrize(
    ("address", "locality"),
    [
        ("London, GB", True),
        ("DSS airport", True),
        ("Storgatan 12, Stockholm", False),
        ("SW1A 1AA", False),
    ],
)
def test_is_locality(address: str, locality: bool) -> None:
    assert is_locality(address) is locality


def test_evaluation_counts_a_manifest_record_as_its_traveller(store: Store) -> None:
    _put(store, "cases", "Person", "c1", {"name": "Ana Pop", "passportNumber": "RO7654321"})
    _put(store, "cases", "Person", "c2", {"name": "Ion Pop", "passportNumber": "RO7654321"})
    _put(
        store,
        "manifests",
        "Person",
        "traveller-1",
        {"name": "POP ANA", "passportNumber": "RO7654321"},
        source_id="R000000001",
    )
    _put(store, "manifests", "Person", "other", {"name": "X Y"}, source_id="R000000002")
    build_networks(store, full=True)
    truth = {
        "networks": [
            {
                "network_id": "N1",
                "members": [
                    {"case_entity_ids": ["c1"], "record_ids": ["R000000001"]},
                    {"case_entity_ids": ["c2"], "record_ids": ["R000000002"]},
                ],
                "ad_ids": [],
            }
        ]
    }
    result = evaluate_networks(store, truth)
    assert result["items_scored"] == 4
    assert result["precision"] == pytest.approx(1.0)
    assert result["recall"] == pytest.approx(3 / 6)  # 'other' shares nothing with them


def test_a_contested_cluster_does_not_fuse_two_networks(store: Store) -> None:
    _put(store, "cases", "Person", "pA", {"name": "Ana Pop", "phone": "+447700900301"})
    _put(store, "cases", "Person", "t1", {"name": "Camila Gomes", "phone": "+447700900301"})
    _put(store, "cases", "Person", "pB", {"name": "Ion Dan", "phone": "+447700900302"})
    _put(store, "cases", "Person", "t2", {"name": "Camila Gomes", "phone": "+447700900302"})
    _put(store, "cases", "Person", "notice", {"name": "Camila Gomes"})
    with store.begin() as conn:
        run = start_run(conn, "linkage", scope={}, user="test")
        links = [("notice", "t1", 0.95), ("notice", "t2", 0.92), ("t1", "t2", 0.11)]
        add_findings(
            conn,
            run,
            [
                *[
                    Finding(kind="link", key=f"{a}|{b}", subject_id=a, related_id=b, score=p)
                    for a, b, p in links
                ],
                Finding(
                    kind="link_cluster",
                    key="lc-1",
                    subject_id="lc-1",
                    score=0.92,
                    explanation=[_model(a, b, p) for a, b, p in links[:2]],
                    data={"members": ["notice", "t1", "t2"]},
                ),
            ],
        )
    build_networks(store, full=True)
    assert sorted(_members(store), key=len) == [{"pB", "t2"}, {"notice", "pA", "t1"}]

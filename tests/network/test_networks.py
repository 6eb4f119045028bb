"""Networks from a hand-made world: hub pruning, routes, payments, key actors, paths, governance."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.exc import InputError, NotFound
from threadline.governance import SYSTEM, Actor
from threadline.network import (
    VictimPolicy,
    build_networks,
    expand_entity,
    find_path,
    list_networks,
    pseudonym,
    show_network,
)
from threadline.store import Store

from .world import A_MEMBERS, B_MEMBERS, HUB, OUTSIDER, UNIT, VICTIM, load_world, put


@pytest.fixture
def world(store: Store) -> Store:
    load_world(store)
    build_networks(store, full=True)
    return store


def _network_of(store: Store, actor: Actor, member: str) -> dict[str, Any]:
    return next(n for n in list_networks(store, actor) if member in n["members"])


def test_hub_phone_does_not_fuse_two_networks(world: Store) -> None:
    networks = list_networks(world, UNIT)
    assert [set(n["members"]) for n in networks] == [A_MEMBERS, B_MEMBERS]
    shown = show_network(world, UNIT, networks[1]["id"])
    assert f"~phone:{HUB}" in shown["hubs_excluded"]
    # Without pruning the support number joins everything: the test above can fail.
    fused = list_networks(world, UNIT, hub_max_degree=1000)
    assert set(fused[0]["members"]) >= A_MEMBERS | B_MEMBERS


def test_network_summary_has_route_payments_and_findings(world: Store) -> None:
    network = _network_of(world, UNIT, "pA1")
    data = show_network(world, UNIT, str(network["id"]))
    assert data["countries"] == ["DE", "HU", "RO", "SE"]
    assert data["routes"] == [
        {
            "origin": "RO",
            "transit": ["HU"],
            "destination": "SE",
            "travellers": 2,
            "trips": 2,
            "first": "2025-02-01",
            "last": "2025-02-03",
        }
    ]
    assert data["links_by_kind"]["payment:Payment"] == 3
    assert data["ads"] == ["ad1", "ad3"]
    assert data["personas"] == ["persona-1"]
    assert [h["key"] for h in data["screening_hits"]] == ["hit-1"]
    assert data["timeline"]["first"] == "2025-01-05"
    indicators = {c["indicator"]: c for c in data["risk_explanation"]}
    assert indicators["ad_risk"]["value"] == pytest.approx(0.8)
    assert data["risk"] == pytest.approx(sum(c["points"] for c in data["risk_explanation"]))
    assert {m["community"] is not None for m in data["members"]} == {True}
    assert data["communities"] >= 2


def test_key_actors_are_explained(world: Store) -> None:
    network = _network_of(world, UNIT, "pA1")
    actors = show_network(world, UNIT, str(network["id"]))["key_actors"]
    top = actors[0]
    assert top["entity_id"] == "pA3"  # the transporter: trips, passport, ad phone, payments
    assert {a["schema"] for a in actors} <= {"Person", "Company"}
    measures = {c["measure"]: c for c in top["explanation"]}
    assert set(measures) == {"degree", "betweenness", "brokerage"}
    assert top["score"] == pytest.approx(sum(c["points"] for c in top["explanation"]), abs=1e-3)
    assert measures["degree"]["evidence"]["links"]["property:involved"] == 2
    assert set(measures["brokerage"]["evidence"]["neighbour_countries"]) >= {"RO", "SE"}


@pytest.mark.parametrize(
    ("time_ordered", "labels"),
    [(False, ["Payment", "Payment"]), (True, ["Payment", "UnknownLink", "Associate"])],
)
def test_path_plain_and_in_time_order(world: Store, time_ordered: bool, labels: list[str]) -> None:
    # Boris paid the company on 20 January, but the company paid Mihai on 5 January:
    # money cannot have flowed that way, so the time-ordered path goes round.
    path = find_path(world, UNIT, "pA2", "pA3", time_ordered=time_ordered)
    assert path["found"] is True
    assert [e["label"] for e in path["edges"]] == labels
    dates = [e["date"] for e in path["edges"] if e["date"]]
    assert (dates == sorted(dates)) or not time_ordered


def test_expansion_stops_at_the_cap(world: Store) -> None:
    capped = expand_entity(world, UNIT, "pA1", hops=3, limit=3)
    assert capped["truncated"] is True
    assert len(capped["nodes"]) == 3
    full = expand_entity(world, UNIT, "pA1", hops=1, limit=100)
    assert full["truncated"] is False
    assert {n["id"] for n in full["nodes"]} == {"pA1", "pA2", "pX", "~phone:+447700900101"}


def test_hidden_collection_does_not_leak(world: Store) -> None:
    # The platform sees the other agency's record joining Boris's phone and Claire.
    everything = _network_of(world, SYSTEM, "pH")
    assert {"pA1", "pB1"} <= set(everything["members"])
    assert find_path(world, SYSTEM, "pA1", "pB1")["found"] is True
    # The unit sees neither the record, nor the link, nor its count on the shared phone.
    visible = {m for n in list_networks(world, UNIT) for m in n["members"]}
    assert "pH" not in visible
    assert find_path(world, UNIT, "pA1", "pB1")["found"] is False
    with pytest.raises(NotFound, match="no entity with id 'pH'"):
        expand_entity(world, UNIT, "pH")
    shown = show_network(world, UNIT, str(_network_of(world, UNIT, "pA1")["id"]))
    phone = next(s for s in shown["selectors"] if s["value"] == "+447700900101")
    assert phone["links"] == 2
    # An agency with no access sees no network at all.
    assert list_networks(world, OUTSIDER) == []


def test_victims_are_pseudonymised(world: Store) -> None:
    policy = VictimPolicy(is_victim=lambda entity_id: entity_id == VICTIM)
    network = _network_of(world, UNIT, "pA1")
    data = show_network(world, UNIT, str(network["id"]), victims=policy)
    victim = next(m for m in data["members"] if m["entity_id"] == VICTIM)
    assert victim["caption"] == pseudonym(VICTIM)
    assert "Elena" not in str(data)
    assert data["possible_victims"] == 1
    revealed = VictimPolicy(is_victim=policy.is_victim, may_reveal=lambda actor, _id: True)
    data = show_network(world, UNIT, str(network["id"]), victims=revealed)
    assert "Elena Marin" in str(data)


def test_incremental_build_adds_only_what_is_new(world: Store) -> None:
    report = build_networks(world)
    assert (report["full"], report["entities"], report["edges_added"]) == (False, 0, 0)
    put(world, "cases", "Person", "pB3", {"name": "Hugo Lind", "phone": "+33639980001"})
    report = build_networks(world)
    assert (report["full"], report["entities"], report["edges_added"]) == (False, 1, 1)
    assert "pB3" in _network_of(world, UNIT, "pB1")["members"]
    assert build_networks(world, full=True)["total_edges"] == report["total_edges"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: show_network(s, UNIT, "net-nope"), NotFound, "no network with id 'net-nope'"),
        (lambda s: find_path(s, UNIT, "pA1", "ghost"), NotFound, "no entity with id 'ghost'"),
        (lambda s: expand_entity(s, UNIT, "pA1", hops=0), InputError, "--hops must be"),
        (lambda s: expand_entity(s, UNIT, "pA1", limit=0), InputError, "--limit must be"),
    ],
)
def test_bad_input_is_a_clear_error(
    world: Store, call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call(world)  # type: ignore[operator]


@pytest.mark.parametrize("kind", ["notices", "missing-persons"])
def test_a_missing_person_is_a_possible_victim_never_a_key_actor(store: Store, kind: str) -> None:
    """The subject of a yellow notice (or of a missing-person report) whose phone is the
    transporter's is in the network as a possible victim: counted, never ranked."""
    from threadline.model.collections import build_collection
    from threadline.store.collections import create_collection

    with store.begin() as conn:
        create_collection(
            conn, build_collection("reports", kind=kind, owner_agency="unit", owner_country="SE")
        )
    load_world(store)
    notes = "INTERPOL yellow notice 2025/4411" if kind == "notices" else "reported by her mother"
    put(
        store,
        "reports",
        "Person",
        "yN",
        {"name": "Ioana Dobre", "nationality": "ro", "notes": notes, "phone": "+447700900102"},
    )
    # A notice that says nothing of a missing person (a red notice) is no such report.
    put(store, "reports", "Person", "rN", {"name": "Radu Mare", "phone": "+447700900102"})
    build_networks(store, full=True)
    network = _network_of(store, UNIT, "pA1")
    assert {"yN", "rN"} <= set(network["members"])
    data = show_network(store, UNIT, str(network["id"]))
    ranked = {a["entity_id"] for a in data["key_actors"]}
    assert "yN" not in ranked
    members = {m["entity_id"]: m for m in data["members"]}
    assert members["yN"]["victim"] is True
    assert members["rN"]["victim"] is (kind == "missing-persons")
    assert data["possible_victims"] == network["possible_victims"] >= 1
    indicators = {c["indicator"]: c for c in data["risk_explanation"]}
    assert indicators["possible_victims"]["value"] == data["possible_victims"]

"""Victims in network views: pseudonyms from the victim records, never ranked as suspects.

Elena Marin (``v1``) is linked to a victim record of the unit. Her passport and
phone are in the world too. An analyst of the unit sees her only by the record's
pseudonym, with her documents and numbers shielded, in every view and export;
the unit's victim liaison officer sees her name. Every read is audited.

A liaison officer links a victim record only to records her own agency alone holds.
So when the record is another agency's (the bka's), Elena's own record and phone are
the bka's too, in a collection it shares with Sweden; the unit still holds her
passport and the trips.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from threadline.exc import NotFound
from threadline.governance import SYSTEM, Actor, Role
from threadline.governance.tables import audit_event
from threadline.model.collections import build_collection
from threadline.network import (
    NO_VICTIMS,
    build_networks,
    expand_entity,
    export_network,
    find_path,
    list_networks,
    show_network,
)
from threadline.store import Store
from threadline.store.collections import create_collection
from threadline.victims import build_intake, create_victim

from . import world as network_world
from .world import A_MEMBERS, UNIT, VICTIM, load_world, put

LIAISON = Actor(
    user="liaison", agency="unit", country="SE", roles=frozenset({Role.VICTIM_LIAISON})
).for_purpose("victim_identification")
DE_LIAISON = Actor(
    user="de-liaison", agency="bka", country="DE", roles=frozenset({Role.VICTIM_LIAISON})
).for_purpose("victim_identification")
SECRETS = ["Elena Marin", "RO7654321", "+40700000123"]


def _held_by_bka(store: Store, monkeypatch: pytest.MonkeyPatch) -> str:
    """Put Elena's own record in a collection of the bka shared with Sweden; its name."""
    name = "bka-identified"
    with store.begin() as conn:
        create_collection(
            conn,
            build_collection(
                name,
                kind="identified-persons",
                owner_agency="bka",
                owner_country="DE",
                sharing="countries",
                shared_countries=["SE"],
            ),
        )
    moved = [
        (name if entity_id == VICTIM else collection, schema, entity_id, props)
        for collection, schema, entity_id, props in network_world.ENTITIES
    ]
    monkeypatch.setattr(network_world, "ENTITIES", moved)
    return name


@pytest.fixture(params=[LIAISON, DE_LIAISON], ids=["own-record", "other-agencys-record"])
def world(
    store: Store, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> tuple[Store, str]:
    """The world with Elena's passport and phone, and a victim record linked to her."""
    holder = "cases" if request.param is LIAISON else _held_by_bka(store, monkeypatch)
    load_world(store)
    put(store, "cases", "Passport", "passV", {"holder": VICTIM, "number": "RO 7654321"})
    put(store, holder, "Person", VICTIM, {"phone": "+40700000123"})
    build_networks(store, full=True)
    intake = build_intake(
        identified_on="2025-03-01",
        identified_how="border",
        identified_country="SE",
        personal={"name": "Elena Marin"},
        entity_ids=[VICTIM],
    )
    with store.begin() as conn:
        view = create_victim(conn, request.param, intake)
    return store, view.pseudonym


def _owner(store: Store) -> str:
    from threadline.victims.tables import victim

    with store.connect() as conn:
        return str(conn.execute(select(victim.c.owner_agency)).scalar_one())


def _network_a(store: Store, actor: Actor) -> str:
    return str(next(n["id"] for n in list_networks(store, actor) if "pA1" in n["members"]))


@pytest.mark.parametrize("actor", [UNIT, LIAISON, SYSTEM], ids=["analyst", "liaison", "system"])
def test_who_sees_the_victims_name(world: tuple[Store, str], actor: Actor) -> None:
    store, pseudonym = world
    # Only the owning agency's liaison officer (and the platform itself) may.
    owner = _owner(store)
    sees_name = actor is SYSTEM or (actor is LIAISON and owner == "unit")
    network = _network_a(store, actor)
    views: list[Any] = [
        list_networks(store, actor),
        show_network(store, actor, network, include_graph=True),
        expand_entity(store, actor, "pA1", hops=3),
        *[export_network(store, actor, network, fmt) for fmt in ("graphml", "gexf", "ftm", "csv")],
    ]
    if sees_name:
        views += [find_path(store, actor, "pA1", VICTIM), expand_entity(store, actor, VICTIM)]
    else:
        # Her entity id is never shown, so asking by it answers as for a missing entity;
        # her node opens by the stand-in shown for it, the record's pseudonym.
        with pytest.raises(NotFound):
            find_path(store, actor, "pA1", VICTIM)
        with pytest.raises(NotFound):
            expand_entity(store, actor, VICTIM)
        path = find_path(store, actor, "pA1", pseudonym)
        near = expand_entity(store, actor, pseudonym)
        assert path["nodes"][-1]["id"] == pseudonym
        assert {n["id"] for n in near["nodes"]} >= {pseudonym, "pA3"}
        views += [path, near]
    text = str(views)
    for secret in [*SECRETS, VICTIM, "passV"]:
        assert (secret in text) is sees_name, secret
    assert (pseudonym in text) is not sees_name


def test_victim_is_labelled_by_the_records_pseudonym(world: tuple[Store, str]) -> None:
    store, pseudonym = world
    data = show_network(store, UNIT, _network_a(store, UNIT))
    members = {m["caption"]: m for m in data["members"]}
    assert members[pseudonym]["victim"] is True
    assert members[pseudonym]["entity_id"] == pseudonym  # a stand-in, never her entity id
    assert members[f"Passport of {pseudonym}"]["entity_id"].startswith(pseudonym)
    assert data["possible_victims"] == 1
    # Her phone is a selector under a stand-in, still linking what it links.
    phone = [s for s in data["selectors"] if s["value"] == f"phone of {pseudonym}"]
    assert phone and phone[0]["links"] == 1
    near = expand_entity(store, UNIT, "pA3", hops=4)
    victim = [{**n, "hop": 1} for n in near["nodes"] if n["label"] == pseudonym]
    assert victim == [
        {
            "id": pseudonym,
            "schema": "Person",
            "label": pseudonym,
            "countries": ["RO"],
            "victim": True,
            "kind": "entity",
            "hop": 1,
        }
    ]


@pytest.mark.parametrize("actor", [UNIT, LIAISON])
def test_victims_are_never_key_actors(world: tuple[Store, str], actor: Actor) -> None:
    store, pseudonym = world
    data = show_network(store, actor, _network_a(store, actor))
    ranked = {a["entity_id"] for a in data["key_actors"]}
    assert not ranked & {VICTIM, pseudonym}
    assert "pA3" in ranked
    assert data["victims_not_ranked"] == 1
    # Without the record she would be ranked: the exclusion is what keeps her out.
    unprotected = show_network(store, actor, _network_a(store, actor), victims=NO_VICTIMS)
    assert unprotected["victims_not_ranked"] == 0
    assert {a["entity_id"] for a in unprotected["key_actors"]} & {VICTIM, pseudonym}


def _events(store: Store) -> list[Any]:
    with store.connect() as conn:
        return list(
            conn.execute(
                select(audit_event).where(audit_event.c.action.like("network.%"))
            ).mappings()
        )


def test_every_read_is_audited_without_personal_values(world: tuple[Store, str]) -> None:
    store, _pseudonym = world
    network = _network_a(store, UNIT)
    show_network(store, UNIT, network, component="api")
    find_path(store, UNIT, "pA1", "pA3", time_ordered=True)
    expand_entity(store, UNIT, "pA1", hops=1)
    export_network(store, UNIT, network, "csv")
    events = [e for e in _events(store) if e["user"] == UNIT.user]
    assert [e["action"] for e in events] == [
        "network.list",
        "network.show",
        "network.path",
        "network.expand",
        "network.export",
    ]
    show = events[1]
    assert (show["component"], show["target_id"]) == ("api", network)
    assert show["result_count"] == len(A_MEMBERS) + 1  # and her passport
    assert show["detail"] == {"pseudonymised": 2}
    assert events[2]["target_id"] == "pA1 pA3"
    assert events[3]["result_count"] == 4
    assert events[4]["detail"]["format"] == "csv"
    assert not any(secret in str(events) for secret in [*SECRETS, "Anna Berg", "Mihai"])

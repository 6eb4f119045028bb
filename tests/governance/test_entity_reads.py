"""Entity reads through the governed path: merged ids, purposes, and the victim shield."""

from __future__ import annotations

import pytest

from support.population import add, person
from threadline.exc import NotFound
from threadline.governance import SYSTEM, AccessDenied, Actor, Role
from threadline.governance.identity import create_agency
from threadline.services.entities import get_entity, merge
from threadline.services.search import search_entities
from threadline.store import Store
from threadline.victims import build_intake, create_victim

UNIT = "NCB Stockholm"
ANALYST = Actor("analyst", UNIT, "SE", frozenset({Role.ANALYST})).for_purpose(
    "investigation", "CASE-1"
)
LIAISON = Actor("liaison", UNIT, "SE", frozenset({Role.VICTIM_LIAISON})).for_purpose(
    "victim_identification"
)


@pytest.fixture
def world(store: Store) -> Store:
    with store.begin() as conn:
        create_agency(conn, UNIT, "SE")
    her = person("v-1", "Quillon Marvendi", "2007-03-09", "female", phone="+46701740044")
    ad = person("ad-person", "Ad Poster", notes="Call 070-174 00 44 for Quillon Marvendi")
    add(store, "cases", [her, ad], agency=UNIT, country="SE", sharing="all")
    add(store, "others", [person("p-2", "Ola Berg"), person("p-3", "Ola Bergh")], agency=UNIT)
    return store


def test_a_merged_id_reads_as_its_members(world: Store) -> None:
    canonical = merge(world, ["p-2", "p-3"], actor=SYSTEM, reason="same person")
    view = get_entity(world, canonical, ANALYST)
    assert view.id == canonical
    assert set(view.members) == {"p-2", "p-3"}
    assert set(view.entity.get("name")) == {"Ola Berg", "Ola Bergh"}


def test_a_person_read_needs_a_purpose(world: Store) -> None:
    bare = Actor("analyst", UNIT, "SE", frozenset({Role.ANALYST}))
    with pytest.raises(AccessDenied, match="needs a purpose"):
        get_entity(world, "p-2", bare)
    with pytest.raises(AccessDenied, match="reference"):
        get_entity(world, "p-2", bare.for_purpose("investigation"))


def test_a_victim_is_missing_to_all_but_the_owning_liaison(world: Store) -> None:
    with world.begin() as conn:
        record = create_victim(
            conn,
            LIAISON,
            build_intake(
                identified_on="2025-05-01",
                identified_how="raid",
                identified_country="SE",
                personal={"name": "Quillon Marvendi"},
                entity_ids=["v-1"],
            ),
        )
    with pytest.raises(NotFound, match="no entity with id 'v-1'"):
        get_entity(world, "v-1", ANALYST)
    assert get_entity(world, "v-1", LIAISON).entity.get("name") == ["Quillon Marvendi"]
    # Her name and phone, written into another record, are withheld from the analyst.
    other = get_entity(world, "ad-person", ANALYST)
    text = str(other.to_dict())
    assert "Quillon Marvendi" not in text and "174 00 44" not in text
    assert record.pseudonym in text
    assert search_entities(world, ANALYST, "Marvendi") == []  # she is not found by name
    assert [r.id for r in search_entities(world, LIAISON, "Marvendi")] == ["v-1"]

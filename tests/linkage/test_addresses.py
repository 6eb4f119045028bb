"""Addresses written as a Person's plain ``address`` text link as linked Address entities do.

Many systems write FollowTheMoney with the address as one text. Its postcode and locality
are read out of it by a few documented rules (``records.address_parts``), so the locality
comparison and the postcode blocking rules work on it as on an Address entity's parts.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy

from support.population import add, background, person
from threadline.governance import SYSTEM
from threadline.linkage import list_clusters, run_linkage
from threadline.linkage.records import address_parts, prepare_records
from threadline.store import Store
from threadline.store.collections import list_collections

# (text, street, postcode, locality) as written; all synthetic.
WRITTEN = [
    # Australia, as FEBRL writes it and as people do
    ("42 smith street, apartment 3, kingsford, 2032, nsw", "42 smith street", "2032",
     "kingsford"),
    ("42 Smith Street, Apartment 3, Kingsford NSW 2032", "42 Smith Street", "2032", "Kingsford"),
    ("42 Smith Street Kingsford NSW 2032", "42 Smith Street", "2032", "Kingsford"),
    ("42 smith street, kingsford 2032 sa", "42 smith street", "2032", "kingsford"),
    ("8 stanley street, miami, winston hills, 4223, nsw", "8 stanley street", "4223",
     "winston hills"),
    ("3 Hill Street, Prospect, 5082, SA", "3 Hill Street", "5082", "Prospect"),
    # the postcode before the town
    ("Hauptstraße 5, 10115 Berlin, Germany", "Hauptstraße 5", "10115", "Berlin"),
    ("Hauptstraße 5 10115 Berlin", "Hauptstraße 5", "10115", "Berlin"),
    ("Hauptstraße 5 10115 Berlin, Germany", "Hauptstraße 5", "10115", "Berlin"),
    ("12 Rue de la Paix, 75002 Paris, France", "12 Rue de la Paix", "75002", "Paris"),
    ("Via Roma 12, 20121 Milano MI", "Via Roma 12", "20121", "Milano"),
    ("ul. Marszałkowska 10, 00-950 Warszawa", "ul. Marszałkowska 10", "00-950", "Warszawa"),
    ("Storgatan 3, 114 55 Stockholm", "Storgatan 3", "114 55", "Stockholm"),
    ("Damrak 1, 1012 LG Amsterdam", "Damrak 1", "1012 LG", "Amsterdam"),
    # letters and digits; a state or province between town and postcode
    ("7 Mill Lane, Leeds LS2 9QX", "7 Mill Lane", "LS2 9QX", "Leeds"),
    ("15 Maple Drive, Ottawa ON K1A 0B1, Canada", "15 Maple Drive", "K1A 0B1", "Ottawa"),
    ("123 Main St, Springfield, IL 62704-1234, USA", "123 Main St", "62704-1234",
     "Springfield"),
    # no postcode: the locality is the last part that is neither the street nor a region
    ("Damrak 1, Amsterdam", "Damrak 1", None, "Amsterdam"),
    ("Damrak 1, Amsterdam, Nederland", "Damrak 1", None, "Amsterdam"),
    ("8 stanley street, miami, winston hills, nsw", "8 stanley street", None, "winston hills"),
    # a house number is not a postcode; one part without a postcode has no locality
    ("1234 Main Street", "1234 Main Street", None, None),
    ("PO Box 1234, Springfield", "PO Box 1234", None, "Springfield"),
    ("Kingsford 2032", None, "2032", "Kingsford"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "street", "postcode", "locality"), WRITTEN)
def test_postcode_and_locality_are_read_out_of_the_text(
    text: str, street: str | None, postcode: str | None, locality: str | None
) -> None:
    parts = address_parts(text)
    assert (parts.street, parts.postcode, parts.locality) == (street, postcode, locality)


def _address(ident: str, **props: str) -> EntityProxy:
    entity = model.make_entity("Address")
    entity.id = ident
    for prop, value in props.items():
        entity.add(prop, value)
    return entity


def _prepared(store: Store) -> dict[str, dict[str, Any]]:
    with store.connect() as conn:
        ids = [c.id for c in list_collections(conn) if c.id is not None]
        table = prepare_records(conn, ids)
    return {row["unique_id"]: row for row in table.to_pylist()}


def _place(row: dict[str, Any]) -> tuple[Any, Any, Any]:
    return row["street"], row["postcode"], row["city"]


def test_an_address_text_gives_the_columns_an_address_entity_gives(store: Store) -> None:
    parts = _address(
        "e1-addr",
        street="42 Smith Street",
        street2="Apartment 3",
        city="Kingsford",
        postalCode="2032",
        region="NSW",
        full="42 Smith Street, Apartment 3, Kingsford, 2032, NSW",
    )
    in_parts = person("e1", "Ana Lopez", "1988-03-02", addressEntity="e1-addr")
    as_text = person("t1", "Ana Lopez", "1988-03-02", address="42 SMITH STREET, Apartment 3, "
                     "Kingsford NSW 2032")  # fmt: skip
    # an Address entity with only its full text is read the same way
    full_only = _address("f1-addr", full="42 smith street, apartment 3, kingsford, 2032, nsw")
    in_full = person("f1", "Ana Lopez", "1988-03-02", addressEntity="f1-addr")
    add(store, "a", [parts, in_parts, as_text, full_only, in_full])
    rows = _prepared(store)
    assert _place(rows["e1"]) == ("42 smith street", "2032", "kingsford")
    assert _place(rows["t1"]) == _place(rows["e1"])
    assert _place(rows["f1"]) == _place(rows["e1"])
    # the whole text stays among the addresses
    assert rows["t1"]["addresses"] == ["42 smith street apartment 3 kingsford nsw 2032"]


def test_an_address_entitys_own_parts_are_kept_as_they_are(store: Store) -> None:
    """Parts given are never replaced by what the full text would say."""
    address = _address(
        "e2-addr", street="Damrak 1", city="Amsterdam", full="Damrak 1, 1012 LG Amsterdam"
    )
    add(store, "a", [address, person("e2", "Jan Berg", "1970", addressEntity="e2-addr")])
    assert _place(_prepared(store)["e2"]) == ("damrak 1", None, "amsterdam")


def _together(store: Store, a: str, b: str) -> bool:
    return any(
        {a, b} <= {m["entity_id"] for m in cluster["members"]}
        for cluster in list_clusters(store, SYSTEM)
    )


STREETS = ["harbour road", "pacific highway", "king street", "george street", "beach road",
           "wattle avenue", "banksia parade", "ocean drive", "mill lane", "station street",
           "hill crescent", "river terrace"]  # fmt: skip
TOWNS = [("randwick", "2031"), ("maroubra", "2035"), ("bondi", "2026"), ("coogee", "2034"),
         ("penrith", "2750"), ("gosford", "2250"), ("orange", "2800"), ("dubbo", "2830"),
         ("bathurst", "2795"), ("tamworth", "2340")]  # fmt: skip


def _housed(people: list[EntityProxy], seed: int = 3) -> list[EntityProxy]:
    """The people each with an address of their own, written as text."""
    rnd = random.Random(seed)
    for number, entity in enumerate(people, start=100):
        town, code = rnd.choice(TOWNS)
        entity.add("address", f"{number} {rnd.choice(STREETS)}, {town} nsw {code}")
    return people


def test_people_whose_address_texts_are_written_differently_link(store: Store) -> None:
    """A woman registered under her birth name and found in a case file under her married
    name, with a year of birth only: only her address ties the two records, written once
    with the state before the postcode and once in FEBRL's comma-separated lower case. A
    namesake in the same state at another address stays apart."""
    add(
        store,
        "au-registry",
        [
            *_housed(background()),
            person("a1", "Maria Svensson", "1985-04-12", "female",
                   address="42 Smith Street, Apartment 3, Kingsford NSW 2032"),
        ],
    )  # fmt: skip
    add(
        store,
        "case-files",
        [
            person("c1", "Maria Okafor", "1985", "female",
                   address="42 smith street, apartment 3, kingsford, 2032, nsw"),
            person("c2", "Maria Svensson", "1985", "female",
                   address="9 harbour road, randwick, 2150, nsw"),
        ],
    )  # fmt: skip
    run_linkage(store, SYSTEM)
    assert _together(store, "a1", "c1")
    assert not _together(store, "a1", "c2")

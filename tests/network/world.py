"""A small hand-made FtM world with two networks, a hub phone and a hidden record.

Network A (SE, DE, RO, HU): Anna Berg and Boris Kell share a phone and pay each
other; Boris pays Nordic Staffing AB, which paid Mihai Ionescu earlier; Mihai
takes a victim from Bucharest through Budapest to Stockholm; Mihai's phone is
on an ad, and a persona groups that ad with another. Network B (FR, ES): Claire
Dumas and Diego Ruiz are family; Claire's phone is on an ad. A platform support
number sits on both ads and thirty others: a hub that must not fuse A and B.
A collection of another agency (hidden from the unit) links Boris and Claire.
The trips' places (Bucharest, Budapest, Stockholm) are localities: they locate
the trips and link nobody, so they belong to no network.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from followthemoney import model

from threadline.governance import Actor, Role
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection, find_collection
from threadline.store.findings import Finding, add_findings, start_run
from threadline.store.statements import entity_rows, insert_rows

HUB = "+447700900999"
UNIT = Actor(
    user="analyst", agency="unit", country="SE", roles=frozenset({Role.ANALYST})
).for_purpose("investigation", "CASE-NET-1")
OUTSIDER = Actor(
    user="guest", agency="elsewhere", country="PT", roles=frozenset({Role.ANALYST})
).for_purpose("investigation", "CASE-NET-2")
VICTIM = "v1"

A_MEMBERS = {
    "pA1",
    "pA2",
    "pA3",
    "pX",
    "orgA",
    "passA",
    "v1",
    "t1",
    "t2",
    "ad1",
    "ad3",
}
B_MEMBERS = {"pB1", "pB2", "wB", "ad2"}

ENTITIES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "cases",
        "Person",
        "pA1",
        {"name": "Anna Berg", "nationality": "se", "phone": "+447700900101"},
    ),
    (
        "cases",
        "Person",
        "pA2",
        {"name": "Boris Kell", "nationality": "de", "phone": "+447700900101"},
    ),
    (
        "cases",
        "Person",
        "pA3",
        {"name": "Mihai Ionescu", "nationality": "ro", "phone": "+447700900102"},
    ),
    ("cases", "Person", "pX", {"name": "Ion Pop", "nationality": "ro"}),
    ("cases", "Company", "orgA", {"name": "Nordic Staffing AB", "country": "se"}),
    ("cases", "Passport", "passA", {"holder": "pA3", "number": "RO 1234567", "country": "ro"}),
    ("cases", "Person", "v1", {"name": "Elena Marin", "nationality": "ro"}),
    ("cases", "Address", "addrRO", {"full": "Bucharest", "country": "ro"}),
    ("cases", "Address", "addrHU", {"full": "Budapest", "country": "hu"}),
    ("cases", "Address", "addrSE", {"full": "Stockholm", "country": "se"}),
    (
        "cases",
        "Trip",
        "t1",
        {
            "startLocation": "addrRO",
            "endLocation": "addrHU",
            "startDate": "2025-02-01",
            "involved": ["v1", "pA3"],
        },
    ),
    (
        "cases",
        "Trip",
        "t2",
        {
            "startLocation": "addrHU",
            "endLocation": "addrSE",
            "startDate": "2025-02-03",
            "involved": ["v1", "pA3"],
        },
    ),
    (
        "cases",
        "Payment",
        "pay0",
        {"payer": "orgA", "beneficiary": "pA3", "date": "2025-01-05", "amount": "900"},
    ),
    (
        "cases",
        "Payment",
        "pay1",
        {"payer": "pA1", "beneficiary": "pA2", "date": "2025-01-10", "amount": "1500"},
    ),
    (
        "cases",
        "Payment",
        "pay2",
        {"payer": "pA2", "beneficiary": "orgA", "date": "2025-01-20", "amount": "1200"},
    ),
    ("cases", "UnknownLink", "ul1", {"subject": "pA1", "object": "pX", "date": "2025-01-15"}),
    ("cases", "Associate", "as1", {"person": "pX", "associate": "pA3", "startDate": "2025-01-16"}),
    (
        "ads",
        "HyperText",
        "ad1",
        {"title": "Work in Sweden", "phoneMentioned": ["+447700900102", HUB], "country": "ro"},
    ),
    ("ads", "HyperText", "ad3", {"title": "Jobs abroad", "country": "ro"}),
    (
        "cases",
        "Person",
        "pB1",
        {"name": "Claire Dumas", "nationality": "fr", "phone": "+33639980001"},
    ),
    ("cases", "Person", "pB2", {"name": "Diego Ruiz", "nationality": "es"}),
    ("cases", "Family", "fam1", {"person": "pB1", "relative": "pB2"}),
    (
        "cases",
        "CryptoWallet",
        "wB",
        {"holder": "pB2", "publicKey": "0x426A3c51CBd1130f8Ed38dbE35122089b19bCc85"},
    ),
    (
        "ads",
        "HyperText",
        "ad2",
        {"title": "Hostess wanted", "phoneMentioned": ["+33639980001", HUB], "country": "fr"},
    ),
    *[
        ("ads", "HyperText", f"adH{i:02d}", {"title": "Car for sale", "phoneMentioned": HUB})
        for i in range(30)
    ],
    ("intel-de", "Person", "pH", {"name": "Hidden Source", "phone": "+447700900101"}),
    ("intel-de", "Associate", "asH", {"person": "pH", "associate": "pB1"}),
]

OWNERS = {
    "cases": ("unit", "SE"),
    "ads": ("unit", "SE"),
    "manifests": ("unit", "SE"),
    "intel-de": ("bka", "DE"),
}


def collection_id(conn: Any, name: str) -> int:
    found = find_collection(conn, name)
    if found is None:
        agency, country = OWNERS[name]
        found = create_collection(
            conn, build_collection(name, owner_agency=agency, owner_country=country)
        )
    assert found.id is not None
    return found.id


def _put(conn: Any, collection: str, schema: str, entity_id: str, props: dict[str, Any]) -> None:
    entity = model.make_entity(schema)
    entity.id = entity_id
    for prop, values in props.items():
        # Fictional phone ranges fail libphonenumber's validity check: store them as given.
        cleaned = entity.schema.properties[prop].type.name == "phone"
        for value in [values] if isinstance(values, str) else values:
            entity.add(prop, value, cleaned=cleaned)
    rows = entity_rows(
        entity,
        collection=collection,
        collection_id=collection_id(conn, collection),
        job_id=None,
        source_id=entity_id,
        seen=datetime.now(UTC),
    )
    insert_rows(conn, rows)


def put(store: Store, collection: str, schema: str, entity_id: str, props: dict[str, Any]) -> None:
    """Store one entity (in its own transaction)."""
    with store.begin() as conn:
        _put(conn, collection, schema, entity_id, props)


def load_world(store: Store) -> None:
    with store.begin() as conn:
        for collection, schema, entity_id, props in ENTITIES:
            _put(conn, collection, schema, entity_id, props)
        run = start_run(conn, "ads", scope={}, user="test")
        ads = collection_id(conn, "ads")
        add_findings(
            conn,
            run,
            [
                Finding(
                    kind="persona",
                    key="persona-1",
                    collection_id=ads,
                    data={"ad_ids": ["ad1", "ad3"], "selectors": ["+447700900102"]},
                ),
                Finding(
                    kind="ad_risk",
                    key="ad1",
                    subject_id="ad1",
                    collection_id=ads,
                    score=0.8,
                    data={"ad_id": "ad1", "persona_id": "persona-1"},
                ),
                Finding(
                    kind="screening_hit",
                    key="hit-1",
                    subject_id="pA2",
                    collection_id=collection_id(conn, "cases"),
                    score=0.9,
                ),
            ],
        )

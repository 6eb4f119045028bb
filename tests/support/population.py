"""Synthetic people for linkage tests: a background population and the people to find."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection, find_collection
from threadline.store.statements import entity_rows, insert_rows

FIRST = [
    "anna",
    "maria",
    "olga",
    "fatima",
    "aisha",
    "ivan",
    "peter",
    "john",
    "leila",
    "sara",
    "nina",
    "ines",
    "lucas",
    "omar",
    "david",
    "elena",
    "irina",
    "samir",
    "khadija",
    "tomas",
    "amara",
    "kofi",
    "mei",
    "jonas",
    "lena",
    "pavel",
    "rosa",
    "diego",
    "yara",
    "emil",
]
LAST = [
    "svensson",
    "petrov",
    "diallo",
    "haddad",
    "kowalski",
    "garcia",
    "smith",
    "nguyen",
    "okafor",
    "mensah",
    "rossi",
    "novak",
    "silva",
    "kaya",
    "dubois",
    "moreau",
    "fischer",
    "berg",
    "tanaka",
    "costa",
    "horvat",
    "lindqvist",
    "mendes",
    "ortiz",
    "varga",
]


def person(
    ident: str, name: str, born: str | None = None, sex: str | None = None, **props: Any
) -> EntityProxy:
    entity = model.make_entity("Person")
    entity.id = ident
    entity.add("name", name)
    if born:
        entity.add("birthDate", born)
    if sex:
        entity.add("gender", sex)
    for prop, value in props.items():
        entity.add(prop, value)
    return entity


def background(count: int = 300, seed: int = 7) -> list[EntityProxy]:
    rnd = random.Random(seed)
    return [
        person(
            f"bg{i:04d}",
            f"{rnd.choice(FIRST).title()} {rnd.choice(LAST).title()}",
            f"{rnd.randint(1960, 2006)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            rnd.choice(["male", "female"]),
        )
        for i in range(count)
    ]


def add(
    store: Store,
    collection: str,
    entities: list[EntityProxy],
    *,
    kind: str = "other",
    agency: str = "test-unit",
    country: str = "SE",
    sharing: str = "all",
) -> None:
    with store.begin() as conn:
        found = find_collection(conn, collection)
        if found is None:
            found = create_collection(
                conn,
                build_collection(
                    collection,
                    kind=kind,
                    owner_agency=agency,
                    owner_country=country,
                    sharing=sharing,
                ),
            )
        assert found.id is not None
        rows: list[tuple[Any, ...]] = []
        for entity in entities:
            rows += entity_rows(
                entity,
                collection=collection,
                collection_id=found.id,
                job_id=None,
                source_id=f"src-{entity.id}",
                seen=datetime.now(UTC),
            )
        insert_rows(conn, rows)

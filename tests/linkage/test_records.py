"""Record preparation in SQL gives the features the names and dates primitives give."""

from __future__ import annotations

from typing import Any

import duckdb
from followthemoney import model

from support.population import add, person
from threadline.linkage.records import (
    _SPLIT_SQL,
    COLUMNS,
    name_features,
    name_tokens,
    prepare_records,
)
from threadline.primitives.dates import parse_partial_date
from threadline.primitives.names import split_name
from threadline.store import Store
from threadline.store.collections import list_collections

NAMES = {
    "n1": "Dr. Sab'awi Ibrahim AL-TIKRITI",  # honorific, apostrophe, particle
    "n2": "Мухаммад Алиев",
    "n3": "Maria\u00a0de la Cruz",  # no-break space, two particles
    "n4": "Sheikh",  # nothing but an honorific
    "n5": "Ana\u2003Lopez\u3000Garcia",  # em space, ideographic space
    "n6": "van der Berg, Jan",
    "n7": "محمد علي",
    "n8": "José dos Santos",
    "n9": "Jan de",  # a particle as the last part stays a part
    "n10": "Mr Mrs",
    "n11": "Ольга\u2028Петрова",  # a line separator
    "n12": "O’Brien–Smith",
}


def _part_key(text: str) -> tuple[str | None, str | None]:
    """The main (longest) token's key and sound of a first or last name."""
    tokens = name_tokens(text)
    if not tokens:
        return None, None
    main = max(tokens, key=lambda t: len(t.text))
    return main.key, main.phonetic or None


def _prepared(store: Store) -> dict[str, dict[str, Any]]:
    with store.connect() as conn:
        ids = [c.id for c in list_collections(conn) if c.id is not None]
        table = prepare_records(conn, ids)
    assert table.column_names == list(COLUMNS)
    return {row["unique_id"]: row for row in table.to_pylist()}


def test_names_are_split_in_sql_as_split_name_splits_them() -> None:
    texts = [*NAMES.values(), "a\x85b\u2028c\x0bd", " \t lead and trail \u00a0", "x--y__z"]
    db = duckdb.connect()
    sql = _SPLIT_SQL.replace("{col}", "t")
    found = [db.execute(f"SELECT {sql} FROM (SELECT ? AS t)", [text]).fetchone() for text in texts]
    assert [f[0] if f else None for f in found] == [split_name(text) for text in texts]


def test_names_are_prepared_as_the_names_primitives_parse_them(store: Store) -> None:
    people = [person(ident, name, "1980") for ident, name in NAMES.items()]
    add(store, "a", people)
    rows = _prepared(store)
    for entity in people:
        name = entity.first("name")  # as stored (FollowTheMoney normalises spaces)
        assert name is not None and entity.id is not None
        row, expected = rows[entity.id], name_features(name)
        assert row["full_name"] == expected.full, name
        assert row["name_sorted"] == expected.sorted_keys, name
        assert row["name_keys"] == (sorted(expected.keys) or None), name
        assert row["name_phonetic"] == (sorted(expected.phonetic) or None), name
        first = _part_key(expected.first) if expected.first else (None, None)
        last = _part_key(expected.last) if expected.last else (None, None)
        assert (row["first_name"], row["first_name_phonetic"]) == first, name
        assert (row["last_name"], row["last_name_phonetic"]) == last, name
    assert rows["n1"]["full_name"] == "sabawi ibrahim tikriti"
    assert rows["n2"]["name_sorted"] == name_features("Muhammad Aliev").sorted_keys
    assert rows["n4"]["full_name"] == "sheikh"


def test_values_are_cleaned_and_dates_keep_their_precision(store: Store) -> None:
    named = person(
        "p1",
        "Ana Lopez",
        "1988-03",
        "female",
        passportNumber="ab-12 34",
        phone="+44 20 7946 0000",
        email="  Ana@Example.ORG ",
        nationality="es",
    )
    parts = model.make_entity("Person")
    parts.id = "p2"
    parts.add("firstName", "Jean-Paul")
    parts.add("middleName", "Marie")
    parts.add("lastName", "Le Pen")
    parts.add("birthDate", "1974-08-12")
    parts.add("gender", "male")
    parts.add("gender", "female")  # contradicting: no sex
    company = model.make_entity("Company")
    company.id = "c1"
    company.add("name", "General Motors")
    company.add("registrationNumber", "RC 778-12")
    add(store, "a", [named, parts, company])
    rows = _prepared(store)
    p1, p2, c1 = rows["p1"], rows["p2"], rows["c1"]
    assert (p1["dob"], p1["dob_year"], p1["dob_month"], p1["dob_day"]) == (None, 1988, 3, None)
    assert p1["documents"] == ["AB1234"] and p1["document_main"] == "AB1234"
    assert p1["phones"] == ["442079460000"]
    assert p1["emails"] == ["ana@example.org"]
    assert p1["nationality"] == ["ES"] and p1["sex"] == "female"
    assert p1["collection"] == "a" and p1["entity_group"] == "person"
    born = parse_partial_date("1974-08-12")
    assert p2["dob"] == str(born) and p2["sex"] is None
    assert p2["full_name"] == name_features("Jean-Paul Marie Le Pen").full
    assert (p2["first_name"], p2["first_name_phonetic"]) == _part_key("Jean-Paul")
    assert (p2["last_name"], p2["last_name_phonetic"]) == _part_key("Le Pen")
    assert p2["first_initial"] == p2["first_name"][:1]
    assert c1["entity_group"] == "organization" and c1["documents"] == ["RC77812"]
    assert c1["first_name"] is None and c1["dob_year"] is None
    assert c1["name_sorted"] == name_features("General Motors").sorted_keys
    assert len({r["fingerprint"] for r in rows.values()}) == 3


def test_a_changed_value_changes_the_fingerprint(store: Store) -> None:
    add(store, "a", [person("p1", "Ana Lopez", "1988-03-02", "female")])
    before = _prepared(store)["p1"]["fingerprint"]
    assert _prepared(store)["p1"]["fingerprint"] == before
    add(store, "a", [person("p1", "Ana Lopez", "1988-03-02", "female", email="ana@example.org")])
    assert _prepared(store)["p1"]["fingerprint"] != before

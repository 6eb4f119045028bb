"""FollowTheMoney entities as publishers write them: a bad value never costs its entity."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from followthemoney import model

from threadline.ingest.runner import ingest_file
from threadline.services.export import export_ftm
from threadline.store import Store
from threadline.store import jobs as jobs_store

YENTE = Path(__file__).parent.parent / "fixtures" / "yente"


def _write(path: Path, *entities: dict[str, Any]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


def _export(store: Store, collection: str) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    export_ftm(store, collection, out)
    rows = [orjson.loads(line) for line in out.getvalue().splitlines()]
    return {row["id"]: row for row in rows}


def _reasons(store: Store, job_id: int) -> list[tuple[int, str]]:
    with store.connect() as conn:
        return [(r.position, r.reason) for r in jobs_store.list_rejections(conn, job_id)]


COMPANY = {
    "id": "ru-zala-1",
    "schema": "Company",
    "properties": {
        "name": [f"ZALA Aero variant {n}" for n in range(24)],
        "country": ["ru"],
        "phone": ["+7 (3412) 43-05-05; +7 (951) 210-81-28; +7 (912) 769-33-11", "call us"],
        "incorporationDate": ["2004-13-40", "2004-06-01"],
        "favouriteColour": ["blue"],
    },
}


def test_a_bad_value_is_rejected_alone_and_the_entity_kept(store: Store, tmp_path: Path) -> None:
    owner = {"id": "own-1", "schema": "Ownership",
             "properties": {"owner": ["ru-kalash"], "asset": ["ru-zala-1"]}}  # fmt: skip
    path = _write(tmp_path / "zala.ftm.jsonl", owner, COMPANY)
    job = ingest_file(store, path, "sanctions").job
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (2, 2, 0, 3)
    company = _export(store, "sanctions")["ru-zala-1"]["properties"]
    assert len(company["name"]) == 24
    assert company["incorporationDate"] == ["2004-06-01"]
    # Three numbers written into one value are three phones.
    assert sorted(company["phone"]) == ["+73412430505", "+79127693311", "+79512108128"]
    assert "favouriteColour" not in company
    reasons = _reasons(store, job.id)
    assert [position for position, _ in reasons] == [2, 2, 2]
    joined = "\n".join(reason for _, reason in reasons)
    assert "entity 'ru-zala-1': phone 'call us' is not a valid phone" in joined
    assert "entity 'ru-zala-1': incorporationDate '2004-13-40' is not a valid date" in joined
    assert "entity 'ru-zala-1': favouriteColour 'blue': schema Company has no such property" in (
        joined
    )
    assert "value left out, entity kept" in joined


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({"schema": "Person", "properties": {"name": ["No Id"]}}, "missing 'id'"),
        ({"id": "x1", "properties": {"name": ["No Schema"]}}, "missing 'schema'"),
        ({"id": "x2", "schema": "Persn", "properties": {}}, "unknown schema 'Persn'"),
        ({"id": "x3", "schema": "Person", "properties": ["name"]}, "'properties' must be"),
    ],
)
def test_an_entity_without_id_or_schema_is_rejected_whole(
    store: Store, tmp_path: Path, line: dict[str, Any], reason: str
) -> None:
    job = ingest_file(store, _write(tmp_path / "x.ftm.jsonl", line), "c").job
    assert (job.read, job.stored, job.rejected) == (1, 0, 1)
    ((position, text),) = _reasons(store, job.id)
    assert position == 1 and reason in text


META = {
    "datasets": ["eu_fsf", "us_ofac_sdn"],
    "referents": ["ofac-32733", "eu-fsf-eu-8282-49"],
    "first_seen": "2023-04-20T18:00:25",
    "last_seen": "2024-06-01T10:57:03",
    "last_change": "2023-07-26T20:01:14",
    "target": True,
}


def test_entity_level_fields_are_kept_and_exported(store: Store, tmp_path: Path) -> None:
    entity = {"id": "NK-1", "schema": "Person", "properties": {"name": ["Ana Test"]}, **META}
    ingest_file(store, _write(tmp_path / "a.ftm.json", entity), "os")
    exported = _export(store, "os")["NK-1"]
    assert sorted(exported["datasets"]) == ["eu_fsf", "us_ofac_sdn"]
    assert sorted(exported["referents"]) == ["eu-fsf-eu-8282-49", "ofac-32733"]
    for key in ("first_seen", "last_seen", "last_change", "target"):
        assert exported[key] == META[key], key
    # A later delivery of the same entity widens what was seen, and keeps both datasets.
    later = {**entity, "datasets": ["gb_hmt_sanctions"], "referents": [],
             "first_seen": "2024-01-01T00:00:00", "last_seen": "2025-02-03T04:05:06"}  # fmt: skip
    ingest_file(store, _write(tmp_path / "b.ftm.json", later), "os")
    again = _export(store, "os")["NK-1"]
    assert sorted(again["datasets"]) == ["eu_fsf", "gb_hmt_sanctions", "us_ofac_sdn"]
    assert (again["first_seen"], again["last_seen"]) == (META["first_seen"], later["last_seen"])


def test_bad_entity_level_fields_are_rejected_alone(store: Store, tmp_path: Path) -> None:
    entity = {"id": "NK-2", "schema": "Person", "properties": {"name": ["Bo Test"]},
              "datasets": "eu_fsf", "first_seen": "yesterday"}  # fmt: skip
    job = ingest_file(store, _write(tmp_path / "a.ftm.json", entity), "os").job
    assert (job.stored, job.values_rejected) == (1, 2)
    exported = _export(store, "os")["NK-2"]
    assert "first_seen" not in exported and "datasets" not in exported
    joined = " ".join(reason for _, reason in _reasons(store, job.id))
    assert "datasets" in joined and "'yesterday'" in joined


def test_entities_without_entity_level_fields_export_as_before(
    store: Store, tmp_path: Path
) -> None:
    entity = {"id": "p1", "schema": "Person", "properties": {"name": ["Cy Test"]}}
    ingest_file(store, _write(tmp_path / "a.ftm.jsonl", entity), "c")
    assert _export(store, "c") == {"p1": entity}


def _valid_values(entity: dict[str, Any]) -> set[tuple[str, str]]:
    """What FtM accepts of an entity's values: (property, cleaned value)."""
    schema = model.get(entity["schema"])
    assert schema is not None
    proxy = model.make_entity(schema)
    proxy.add("country", entity["properties"].get("country", []), quiet=True)
    kept = set()
    for name, values in entity["properties"].items():
        prop = schema.get(name)
        for value in values:
            cleaned = prop.type.clean(value, proxy=proxy) if prop is not None else None
            if cleaned is not None:
                kept.add((name, cleaned))
    return kept


@pytest.mark.parametrize("name", ["yente_t1.ftm.json", "yente_zala.ftm.json"])
def test_yente_fixtures_keep_every_entity_and_every_valid_value(store: Store, name: str) -> None:
    source = [orjson.loads(line) for line in (YENTE / name).read_bytes().splitlines() if line]
    job = ingest_file(store, YENTE / name, "yente").job
    assert (job.read, job.stored, job.rejected) == (len(source), len(source), 0)
    exported = _export(store, "yente")
    assert set(exported) == {e["id"] for e in source}
    for entity in source:
        got = exported[entity["id"]]
        values = {(p, v) for p, vs in got["properties"].items() for v in vs}
        assert _valid_values(entity) <= values, entity["id"]
        assert got["schema"] == entity["schema"]
        for key in ("datasets", "referents"):
            assert sorted(got.get(key, [])) == sorted(entity[key]), (entity["id"], key)
        for key in ("first_seen", "last_seen", "last_change", "target"):
            assert got.get(key) == entity[key], (entity["id"], key)


def test_yente_export_reingests_unchanged(store: Store, tmp_path: Path) -> None:
    ingest_file(store, YENTE / "yente_zala.ftm.json", "first")
    first = _export(store, "first")
    copy = tmp_path / "copy.ftm.jsonl"
    copy.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in first.values()))
    job = ingest_file(store, copy, "second").job
    assert (job.rejected, job.values_rejected) == (0, 0)
    assert _export(store, "second") == first


def test_merged_entities_keep_one_range_of_seen_times() -> None:
    """A merge (FtM lists every context value) still gives one first and one last seen."""
    from threadline.store.statements import tidy_entity_fields

    left, right = model.make_entity("Person"), model.make_entity("Person")
    left.id, right.id = "a", "b"
    left.context.update(datasets=["eu_fsf"], first_seen="2023-01-01T00:00:00",
                        last_seen="2024-01-01T00:00:00", target=False)  # fmt: skip
    right.context.update(datasets=["us_ofac_sdn", "eu_fsf"], first_seen="2022-05-05T00:00:00",
                         last_seen="2023-06-06T00:00:00", target=True)  # fmt: skip
    merged = left.merge(right)
    tidy_entity_fields(merged.context)
    assert merged.context == {
        "datasets": ["eu_fsf", "us_ofac_sdn"],
        "first_seen": "2022-05-05T00:00:00",
        "last_seen": "2024-01-01T00:00:00",
        "target": True,
    }


def test_add_value_raises_where_keep_value_leaves_out() -> None:
    """Readers that decide themselves what a bad value costs (manifest contacts) get an error."""
    from threadline.ingest.base import RecordError
    from threadline.ingest.entities import REJECTED, add_value, keep_value

    person = model.make_entity("Person")
    person.id = "p1"
    phone = person.schema.properties["phone"]
    with pytest.raises(RecordError, match="property 'phone': 'call me' is not a valid phone"):
        add_value(person, phone, "call me", {})
    assert REJECTED not in person.context
    assert keep_value(person, phone, "call me", {}) is False
    assert person.context[REJECTED] == [
        "entity 'p1': phone 'call me' is not a valid phone (add a country so the number can be"
        " read); value left out, entity kept"
    ]
    assert keep_value(person, phone, "+44 7700 900123, +44 7700 900124", {}) is True
    assert sorted(person.get("phone")) == ["+447700900123", "+447700900124"]

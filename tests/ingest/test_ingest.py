from __future__ import annotations

import io
import shutil
from pathlib import Path

import orjson
import pytest

from threadline.exc import InputError
from threadline.ingest.runner import ingest_file
from threadline.services.export import export_ftm
from threadline.store import Store
from threadline.store import jobs as jobs_store
from threadline.store.collections import get_collection

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _entities(text: str) -> dict[str, dict[str, object]]:
    rows = [orjson.loads(line) for line in text.splitlines() if line.strip()]
    return {row["id"]: row for row in rows}


def test_broken_lines_are_reported_and_the_rest_stored(store: Store) -> None:
    result = ingest_file(store, FIXTURES / "broken.ftm.jsonl", "cases")
    job = result.job
    # Lines 5 and 7 hold an entity with one unusable value: the value is left out, the
    # entity kept (it may be what other entities point at).
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (10, 5, 5, 2)
    assert result.collection_created is not None
    with store.connect() as conn:
        rejections = {r.position: r.reason for r in jobs_store.list_rejections(conn, job.id)}
    assert rejections == {
        2: rejections[2],
        3: "unknown schema 'Persn'",
        5: "entity 'b4': birthDate '1974-13-45' is not a valid date; value left out, entity kept",
        6: "missing 'id'",
        7: "entity 'b6': favouriteColour 'blue': schema Person has no such property;"
        " value left out, entity kept",
        8: "a line must hold one JSON object",
        10: "schema 'Thing' is abstract; use a concrete one",
    }
    assert rejections[2].startswith("not valid JSON")
    out = io.StringIO()
    export_ftm(store, "cases", out)
    assert sorted(_entities(out.getvalue())) == ["b1", "b10", "b4", "b6", "b8"]


def test_reingest_is_idempotent(store: Store) -> None:
    first = ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases").job
    second = ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases").job
    assert first.statements > 0
    assert second.statements == 0
    assert second.stored == first.stored == 10
    out = io.StringIO()
    assert export_ftm(store, "cases", out) == 10


def test_round_trip_keeps_every_entity_and_value(store: Store, tmp_path: Path) -> None:
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    first = io.StringIO()
    export_ftm(store, "cases", first)
    exported = tmp_path / "export.ftm.jsonl"
    exported.write_text(first.getvalue(), encoding="utf-8")
    ingest_file(store, exported, "copy")
    second = io.StringIO()
    export_ftm(store, "copy", second)
    original = _entities((FIXTURES / "cases.ftm.jsonl").read_text(encoding="utf-8"))
    again = _entities(second.getvalue())
    assert again == _entities(first.getvalue())
    assert set(again) == set(original)
    # values are cleaned the way FtM cleans them, and nothing is lost
    person = again["se-case-p1"]["properties"]
    assert person["phone"] == ["+447700900123"]  # type: ignore[index]
    assert person["birthDate"] == ["1974-08-12"]  # type: ignore[index]
    assert again["se-case-p2"]["properties"]["name"] == ["Ерикссон Анна"]  # type: ignore[index]


def test_csv_with_mapping(store: Store) -> None:
    result = ingest_file(
        store,
        FIXTURES / "suspects.csv",
        "cases",
        options={"mapping": str(FIXTURES / "suspects.mapping.yml")},
    )
    job = result.job
    # A bad date or country is left out of its row; only the short row is rejected whole.
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (6, 5, 1, 2)
    with store.connect() as conn:
        reasons = {r.position: r.reason for r in jobs_store.list_rejections(conn, job.id)}
    assert reasons == {
        4: "row 4, column 'dob': '31.02.1985' is not a valid date for Person.birthDate;"
        " value left out, row kept",
        7: "row 7, column 'nationality': 'narnia' is not a valid country for"
        " Person.nationality; value left out, row kept",
        8: "row has 2 cells, the header has 7",
    }
    out = io.StringIO()
    export_ftm(store, "cases", out)
    entities = list(_entities(out.getvalue()).values())
    schemata = sorted(str(e["schema"]) for e in entities)
    assert schemata == ["Passport", "Passport", "Person", "Person", "Person", "Person", "Person"]
    people = {e["properties"]["name"][0]: e for e in entities if e["schema"] == "Person"}  # type: ignore[index]
    assert people["Anna Eriksson"]["properties"]["birthDate"] == ["1974-08-12"]  # type: ignore[index]
    assert "birthDate" not in people["Broken Date"]["properties"]  # type: ignore[operator]


def test_csv_without_mapping_is_refused_before_writing(store: Store) -> None:
    with pytest.raises(InputError, match="CSV needs a mapping"):
        ingest_file(store, FIXTURES / "suspects.csv", "cases")
    with store.connect() as conn, pytest.raises(Exception, match="no collection"):
        get_collection(conn, "cases")


def test_mapping_naming_missing_columns(store: Store, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "entities:\n  p:\n    schema: Person\n    keys: [id]\n"
        "    properties:\n      name: {column: nom}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"columns missing from the header: \['id', 'nom'\]"):
        ingest_file(store, FIXTURES / "suspects.csv", "c", options={"mapping": str(mapping)})


class _Crash(Exception):
    pass


def test_crash_mid_file_leaves_whole_batches_and_resumes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "many.ftm.jsonl"
    lines = [
        orjson.dumps(
            {"id": f"p{i}", "schema": "Person", "properties": {"name": [f"Person {i}"]}}
        ).decode()
        for i in range(1, 101)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    from threadline.ingest.readers.ftm_json import FtmJsonReader

    original = FtmJsonReader.parse

    def crashing(self: FtmJsonReader, record: object) -> object:
        if record.position == 47:  # type: ignore[attr-defined]
            raise _Crash("power cut")
        return original(self, record)  # type: ignore[arg-type]

    monkeypatch.setattr(FtmJsonReader, "parse", crashing)
    with pytest.raises(_Crash):
        ingest_file(store, source, "bulk", batch_size=20)
    with store.connect() as conn:
        job = jobs_store.list_jobs(conn)[0]
    assert job.status == "failed"
    assert job.position == 40  # two whole batches of 20, nothing of the third
    out = io.StringIO()
    assert export_ftm(store, "bulk", out) == 40

    monkeypatch.setattr(FtmJsonReader, "parse", original)
    result = ingest_file(store, source, "bulk", batch_size=20)
    assert result.resumed_from == 40
    assert result.job.id == job.id
    assert (result.job.read, result.job.stored, result.job.status) == (100, 100, "completed")
    out = io.StringIO()
    assert export_ftm(store, "bulk", out) == 100


def test_unknown_format_and_missing_file(store: Store, tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the format"):
        ingest_file(store, odd, "c")
    with pytest.raises(InputError, match="no such file"):
        ingest_file(store, tmp_path / "absent.jsonl", "c")
    copy = tmp_path / "cases.jsonl"  # no .ftm in the name: recognised by its content
    shutil.copy(FIXTURES / "cases.ftm.jsonl", copy)
    assert ingest_file(store, copy, "c").job.format == "ftm"


def test_parallel_parsing_gives_the_same_result(store: Store, tmp_path: Path) -> None:
    from threadline.settings import configure

    configure(parallel_min_bytes=0, workers=2)
    result = ingest_file(store, FIXTURES / "broken.ftm.jsonl", "cases", batch_size=3)
    job = result.job
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (10, 5, 5, 2)
    with store.connect() as conn:
        positions = [r.position for r in jobs_store.list_rejections(conn, job.id)]
    assert positions == [2, 3, 5, 6, 7, 8, 10]
    out = io.StringIO()
    export_ftm(store, "cases", out)
    assert sorted(_entities(out.getvalue())) == ["b1", "b10", "b4", "b6", "b8"]


def test_parsed_batches_reach_the_writer_in_entity_order(tmp_path: Path) -> None:
    """SQLite writes a batch fastest in key order; the parse step sorts it (stably)."""
    from threadline.ingest.base import ReaderContext
    from threadline.ingest.readers.ftm_json import FtmJsonReader
    from threadline.ingest.runner import _parse_batch, _Target

    lines = [
        {"id": f"e{n}", "schema": "Person", "properties": {"name": [f"Person {n}"]}}
        for n in (3, 1, 2)
    ]
    path = tmp_path / "three.ftm.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    reader = FtmJsonReader(ReaderContext(collection="cases"))
    records = list(reader.records(path))
    ordered = _parse_batch(records, _Target(reader, "cases", 1, 1, True, entity_order=True))
    assert [row[1] for row in ordered.rows] == ["e1", "e1", "e2", "e2", "e3", "e3"]
    assert [row[3] for row in ordered.rows[:2]] == ["id", "name"]  # an entity's rows keep order
    as_read = _parse_batch(records, _Target(reader, "cases", 1, 1, False))
    assert [row[1] for row in as_read.rows] == ["e3", "e3", "e1", "e1", "e2", "e2"]
    assert sorted(r[:-1] for r in as_read.rows) == sorted(r[:-1] for r in ordered.rows)

"""Border readers: INTERPOL notices, stolen/lost documents, PAXLST and manifest CSV."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from threadline.ingest import registry
from threadline.ingest.readers.csv_mapping import CsvMappingReader
from threadline.ingest.readers.manifests import traveller_id, trip_id
from threadline.ingest.readers.notices import notice_colour_of
from threadline.ingest.registry import detection_order, get_reader, register
from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store
from threadline.store.collections import get_collection
from threadline.store.statements import get_entities, iter_collection_entities
from threadline.store.tables import travel_document

BORDER = Path(__file__).parent.parent / "fixtures" / "border"


def _rejections(store: Store, job_id: int) -> dict[int, str]:
    with store.connect() as conn:
        return {r.position: r.reason for r in jobs_store.list_rejections(conn, job_id)}


def _entity(store: Store, entity_id: str) -> dict[str, list[str]]:
    with store.connect() as conn:
        (found,) = get_entities(conn, [entity_id])
    return {prop: list(values) for prop, values in found.to_dict()["properties"].items()}


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("notices/red/2021-11111.json", "notices"),
        ("stolen_lost.csv", "travel-documents"),
        ("manifest.csv", "manifest"),
        ("manifest.edi", "manifest"),
        ("opensanctions_red.ftm.jsonl", "ftm"),
    ],
)
def test_formats_are_detected(name: str, reader: str) -> None:
    assert get_reader(None, BORDER / name).name == reader


def test_a_plain_csv_goes_to_the_generic_reader(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("full_name,born\nAnna Example,1990\n", encoding="utf-8")
    assert get_reader(None, path).name == "csv"


def test_specific_readers_win_over_generic_ones_registered_before_them(tmp_path: Path) -> None:
    class TallyReader(CsvMappingReader):
        """A specific CSV reader registered after the generic one."""

        name = "zz-tally"
        generic = False

        @classmethod
        def sniff(cls, path: Path, head: bytes) -> bool:
            return head.startswith(b"tally_id,")

    path = tmp_path / "tally.csv"
    path.write_text("tally_id,count\n1,2\n", encoding="utf-8")
    register(TallyReader)
    try:
        order = [cls.name for cls in detection_order()]
        assert order.index("zz-tally") < order.index("csv")
        assert [cls.generic for cls in detection_order()][-2:] == [True, True]
        assert get_reader(None, path) is TallyReader
    finally:
        del registry._READERS[TallyReader.name]


def test_red_notice_becomes_a_wanted_person(store: Store) -> None:
    result = ingest_file(store, BORDER / "notices/red/2021-11111.json", "notices")
    assert (result.job.stored, result.job.rejected) == (1, 0)
    person = _entity(store, "interpol-red-2021-11111")
    assert person["name"] == ["IVAN SERGEEVICH PETROV"]
    assert person["birthDate"] == ["1975-03-14"]
    assert person["gender"] == ["male"]
    assert person["programId"] == ["2021/11111"]
    assert set(person["topics"]) == {"wanted", "crime", "crime.traffick.human"}
    assert person["keywords"] == ["notice:red"]
    assert set(person["spokenLanguage"]) == {"rus", "deu"}
    assert "language spoken: XXQ" in person["notes"]
    assert "Arrest warrant (DE): Trafficking in persons" in person["notes"]


def test_yellow_notice_is_missing_not_wanted(store: Store) -> None:
    ingest_file(store, BORDER / "notices/yellow/2022-33333.json", "notices")
    person = _entity(store, "interpol-yellow-2022-33333")
    assert "topics" not in person
    assert person["keywords"] == ["notice:yellow"]
    assert person["previousName"] == ["ANNA NOVAK"]
    assert person["motherName"] == ["JANA NOVAKOVA"]
    assert person["notes"] == ["Missing since 2024-09-01 (Brno, CZ)"]


def test_year_only_birth_date_keeps_its_precision(store: Store) -> None:
    ingest_file(store, BORDER / "notices/red/2018-22222.json", "notices")
    person = _entity(store, "interpol-red-2018-22222")
    assert person["birthDate"] == ["1980"]
    assert set(person["topics"]) == {"wanted", "crime"}  # drug trafficking is not human


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("notices/yellow/broken-json.json", "not valid JSON"),
        ("notices/yellow/no-name.json", "the notice has neither name nor forename"),
    ],
)
def test_broken_notices_are_rejected_with_reason(store: Store, name: str, reason: str) -> None:
    result = ingest_file(store, BORDER / name, "notices", format="notices")
    assert (result.job.read, result.job.stored, result.job.rejected) == (1, 0, 1)
    assert reason in _rejections(store, result.job.id)[1]


def test_a_notice_with_a_bad_birth_date_is_kept_without_it(store: Store) -> None:
    result = ingest_file(store, BORDER / "notices/red/bad-date.json", "notices")
    job = result.job
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (1, 1, 0, 1)
    assert "date_of_birth '14.03.1975' is not a date" in _rejections(store, job.id)[1]


def test_notice_colour_comes_from_the_folder_when_fields_do_not_say(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "yellow"
    folder.mkdir()
    (folder / "n.json").write_text('{"entity_id": "2023/12", "name": "ROSSI", "forename": "LUCA"}')
    ingest_file(store, folder / "n.json", "notices")
    assert _entity(store, "interpol-yellow-2023-12")["keywords"] == ["notice:yellow"]
    other = tmp_path / "n.json"
    shutil.copy(folder / "n.json", other)
    result = ingest_file(store, other, "notices2", format="notices")
    assert "cannot tell the notice colour" in _rejections(store, result.job.id)[1]


def test_opensanctions_red_notice_export_loads_through_the_ftm_reader(store: Store) -> None:
    result = ingest_file(store, BORDER / "opensanctions_red.ftm.jsonl", "os-red")
    assert (result.job.stored, result.job.rejected) == (2, 0)
    with store.connect() as conn:
        collection = get_collection(conn, "os-red")
        assert collection.id is not None
        people = list(iter_collection_entities(conn, collection.id))
    assert [notice_colour_of(p) for p in people] == ["red", "red"]


def test_travel_documents_go_to_their_table_with_row_rejections(store: Store) -> None:
    result = ingest_file(store, BORDER / "stolen_lost.csv", "sltd")
    job = result.job
    assert (job.read, job.stored, job.rejected, job.statements) == (10, 5, 5, 0)
    assert _rejections(store, job.id) == {
        5: "issuing_country 'ATL' is not a known country code",
        7: "document_number is empty",
        8: "status 'misplaced' is not one of stolen, lost, revoked, stolen_blank",
        9: "reported_on 2999-01-01 is in the future",
        10: "row has 4 cells, the header has 6",
    }
    with store.connect() as conn:
        rows = conn.execute(select(travel_document.c.document_number)).scalars().all()
    assert sorted(rows) == ["43218765", "751234567", "L898902C3", "ZK4531821"]  # duplicate once
    again = ingest_file(store, BORDER / "stolen_lost.csv", "sltd")  # completed: a new job
    with store.connect() as conn:
        count = conn.execute(select(func.count()).select_from(travel_document)).scalar_one()
    assert again.job.id != job.id and count == 4


def test_manifest_csv_links_travellers_documents_and_booking_contacts(store: Store) -> None:
    result = ingest_file(store, BORDER / "manifest.csv", "flights")
    job = result.job
    assert (job.read, job.stored, job.rejected) == (11, 9, 2)
    assert _rejections(store, job.id) == {
        11: "sex 'Q' is not M, F, U or X",
        12: "date_of_birth '1990-31-01' is not a date (YYYY-MM-DD)",
    }
    with store.connect() as conn:
        collection = get_collection(conn, "flights")
        assert collection.id is not None
        entities = {e.id: e for e in iter_collection_entities(conn, collection.id)}
    schemata = sorted(e.schema.name for e in entities.values())
    assert schemata.count("Person") == 9 and schemata.count("Passport") == 9
    assert schemata.count("Address") == 2  # LED and CDG
    from threadline.screening.manifest import read_manifest

    records, _ = read_manifest(BORDER / "manifest.csv")
    by_id = {r.record_id: r for r in records}
    trip = entities[trip_id(by_id["R006"])]
    assert trip.get("involved") == [traveller_id(by_id["R006"])]
    assert trip.get("phoneMentioned") == ["+447700900123"]
    family = entities[trip_id(by_id["R001"])]
    assert sorted(family.get("involved")) == sorted(
        [traveller_id(by_id["R001"]), traveller_id(by_id["R002"])]
    )
    assert family.get("recordId") == ["FAM001"]
    with store.connect() as conn:
        from threadline.store.statements import sourced_values

        sources = {v.provenance.source_id for v in sourced_values(conn, [trip.id or ""])}
    assert sources == {"R006"}


def test_paxlst_travellers_are_stored_and_an_unreadable_value_is_a_warning(store: Store) -> None:
    result = ingest_file(store, BORDER / "manifest.edi", "api")
    job = result.job
    assert (job.stored, job.rejected, job.warnings) == (3, 0, 1)
    with store.connect() as conn:
        (warning,) = jobs_store.list_warnings(conn, job.id)
    assert (warning.position, warning.source_id) == (24, "E002")
    assert warning.reason == "segment 24 (DTM+329:10AB04'): invalid date '10AB04' (expected YYMMDD)"
    with store.connect() as conn:
        collection = get_collection(conn, "api")
        assert collection.id is not None
        people = [
            e for e in iter_collection_entities(conn, collection.id) if e.schema.name == "Person"
        ]
    assert sorted(p.first("name") or "" for p in people) == [
        "IVAN SERGEEVICH PETROV",
        "JULES DUPONT",
        "MARY ANN O'NEIL",
    ]
    dupont = next(p for p in people if p.first("lastName") == "DUPONT")
    assert dupont.get("birthDate") == [] and dupont.get("passportNumber") == ["19AB12347"]

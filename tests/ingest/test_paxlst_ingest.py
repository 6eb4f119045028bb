"""Ingesting PAXLST: every traveller, document and leg stored; warnings kept with the job."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.readers.manifests import (
    TravelLeg,
    leg_trip_id,
    read_paxlst_file,
    traveller_id,
)
from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store
from threadline.store.collections import get_collection
from threadline.store.statements import iter_collection_entities

PAXLST = Path(__file__).parent.parent / "fixtures" / "border" / "paxlst"


def _entities(store: Store, collection: str) -> list[EntityProxy]:
    with store.connect() as conn:
        found = get_collection(conn, collection)
        assert found.id is not None
        return list(iter_collection_entities(conn, found.id))


def _person(entities: list[EntityProxy], surname: str) -> EntityProxy:
    return next(e for e in entities if e.schema.name == "Person" and e.first("lastName") == surname)


def test_every_leg_of_a_progressive_flight_is_a_trip_with_its_travellers(store: Store) -> None:
    ingest_file(store, PAXLST / "progressive_flight.edi", "api")
    entities = _entities(store, "api")
    trips = [e for e in entities if e.schema.name == "Trip"]  # one per booking and leg
    names = {e.id: e.first("lastName") for e in entities if e.schema.name == "Person"}

    def riders(flight: str) -> set[str]:
        return {names[i] for t in trips if t.first("keywords") == flight
                for i in t.get("involved")}  # fmt: skip

    assert len(trips) == 4  # XX501, XX502, XX503 for booking PX4R2D; XX503 for TR55KA

    assert riders("flight:XX501") == {"SUWANNARAT", "KAEWKLA"}
    assert riders("flight:XX502") == {"SUWANNARAT"}
    assert riders("flight:XX503") == {"SUWANNARAT", "AKSOY"}
    airports = {e.id: e.first("full") for e in entities if e.schema.name == "Address"}
    leg = next(t for t in trips if t.first("keywords") == "flight:XX502")
    assert (airports[leg.first("startLocation")], airports[leg.first("endLocation")]) == (
        "DXB airport",
        "IST airport",
    )
    assert (leg.first("startDate"), leg.first("endDate")) == (
        "2025-05-11T02:15",
        "2025-05-11T06:10",
    )
    expected = leg_trip_id(TravelLeg("XX502", "DXB", "2025-05-11T02:15", "IST", ""), "PX4R2D")
    assert leg.id == expected
    assert _person(entities, "SUWANNARAT").get("middleName") == ["NAPAT"]


def test_every_document_is_an_entity_and_only_identity_numbers_go_on_the_person(
    store: Store,
) -> None:
    ingest_file(store, PAXLST / "visa_behind_passport.edi", "api")
    entities = _entities(store, "api")
    ndiaye = _person(entities, "NDIAYE")
    documents = {
        e.first("number"): e for e in entities if e.schema.name in ("Passport", "Identification")
    }
    assert set(documents) == {
        "ES8841207", "ZK4531821", "43218765", "ES8841208", "SN7730019", "ES8841209",
    }  # fmt: skip
    visa, passport = documents["ES8841207"], documents["ZK4531821"]
    assert (visa.schema.name, visa.first("type"), visa.first("country")) == (
        "Identification",
        "V",
        "es",
    )
    assert (visa.first("startDate"), visa.first("endDate")) == ("2025-03-01", "2025-09-30")
    assert passport.schema.name == "Passport" and passport.first("country") == "sn"
    assert visa.get("holder") == passport.get("holder") == [ndiaye.id]
    assert ndiaye.get("passportNumber") == ["ZK4531821"]
    assert ndiaye.get("idNumber") == []  # a visa number is not an identity number


def test_crew_members_are_stored_with_their_role(store: Store) -> None:
    ingest_file(store, PAXLST / "crew_list.edi", "crew")
    people = [e for e in _entities(store, "crew") if e.schema.name == "Person"]
    assert sorted(p.first("keywords") or "" for p in people) == ["role:crew"] * 3


@pytest.mark.parametrize(
    ("name", "counts", "warnings"),
    [
        (
            "text_places.edi",
            (2, 2, 0, 2),
            [(26, "TP0001", "issuing country given as text 'BUCURESTI', not as a code"),
             (37, "TP0002", "LOC+91 without a place: the document's issuing country is unknown")],
        ),
        (
            "count_disagreements.edi",
            (3, 2, 1, 4),
            [(21, "CD0003", "unknown sex code 'Q' (expected M, F, U or X)"),
             (26, "CD0003", "invalid date '311301' (no such day or time)"),
             (28, "CD0001", "CNT+42 declares 12 travellers, the message has 3"),
             (29, "CD0001", "UNT declares 99 segments, the message has 28")],
        ),
        (
            "repetition_syntax4.edi",
            (1, 1, 0, 2),
            [(1, "RS0001", "text before the interchange header ignored"),
             (21, "RS0001", "text after the last segment terminator ignored")],
        ),
    ],
)  # fmt: skip
def test_warnings_are_stored_with_the_job_and_nothing_else_is_lost(
    store: Store, name: str, counts: tuple[int, int, int, int], warnings: list[tuple[int, str, str]]
) -> None:
    job = ingest_file(store, PAXLST / name, "api").job
    assert (job.read, job.stored, job.rejected, job.warnings) == counts
    assert job.status == "completed"
    with store.connect() as conn:
        stored = jobs_store.list_warnings(conn, job.id)
        rejections = jobs_store.list_rejections(conn, job.id)
    assert [(w.position, w.source_id, w.reason.split("): ", 1)[1]) for w in stored] == warnings
    assert all(w.reason.startswith(f"segment {w.position} (") for w in stored)
    assert [r.position for r in rejections] == ([17] if name.startswith("count") else [])


def test_a_file_without_a_readable_traveller_fails_with_the_reason(
    store: Store, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="no traveller could be read") as info:
        ingest_file(store, PAXLST / "no_traveller.edi", "api")
    assert "no NAD+FL or NAD+FM group" in str(info.value)
    with store.connect() as conn:
        assert jobs_store.list_jobs(conn) == []  # no job says "completed, read 0"
    nameless = tmp_path / "nameless.edi"
    nameless.write_text(
        "UNB+UNOA:4+ZZ+GOV+250101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+ZZ1'"
        "NAD+FL+++:ANNA'CNT+42:1'UNT+6+1'UNZ+1+1'"
    )
    with pytest.raises(InputError, match=r"segment 5 \(NAD\+FL\+\+\+:ANNA'\): traveller without"):
        read_paxlst_file(nameless)


def test_resuming_keeps_one_warning_per_problem(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "count.edi"
    shutil.copy(PAXLST / "count_disagreements.edi", path)
    first = ingest_file(store, path, "api", batch_size=1).job
    with store.begin() as conn:
        jobs_store.finish_job(conn, first.id, "failed", error="killed")  # as after a crash
    again = ingest_file(store, path, "api", batch_size=1)
    assert again.job.id == first.id and again.resumed_from == first.position
    with store.connect() as conn:
        assert len(jobs_store.list_warnings(conn, first.id)) == 4


def test_traveller_ids_are_the_same_for_ingestion_and_screening(store: Store) -> None:
    ingest_file(store, PAXLST / "progressive_flight.edi", "api")
    people = {e.id for e in _entities(store, "api") if e.schema.name == "Person"}
    read = read_paxlst_file(PAXLST / "progressive_flight.edi")
    assert {traveller_id(r) for r in read.records} == people
    assert [r.flight for r in read.records] == ["XX501", "XX501", "XX503"]


@pytest.mark.parametrize(
    "head",
    [
        "UNA:+.? 'UNB+UNOA:4+ZZ+GOV+250101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'",
        "UNH+1+PAXLST:D:02B:UN:IATA+ZZ688/250101/1310+01:F'\nBGM+745'",
        "QU ARNAPXH\n.ZZAPIXS 010830\nUNB+UNOA:4+ZZ+GOV+250701:0830+5'UNG+PAXLST+ZZ+GOV'",
    ],
)
def test_a_paxlst_is_recognised_whatever_its_first_segment(tmp_path: Path, head: str) -> None:
    from threadline.ingest.registry import get_reader

    path = tmp_path / "api.txt"
    path.write_text(head + "\n")
    assert get_reader(None, path).name == "manifest"

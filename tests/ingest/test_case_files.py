"""Case files in CSV and Excel, mapped by the same YAML mapping to FtM entities."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from openpyxl import Workbook

from threadline.exc import InputError
from threadline.ingest.registry import get_reader
from threadline.ingest.runner import ingest_file
from threadline.services.export import export_ftm
from threadline.store import Store
from threadline.store import jobs as jobs_store

FIXTURES = Path(__file__).parent.parent / "fixtures"
MAPPING = FIXTURES / "suspects.mapping.yml"
HEADER = ["case_no", "full_name", "dob", "nationality", "phone", "passport_no", "agency"]


def _workbook(path: Path, rows: list[list[Any]], *, sheet: str = "Suspects",
              before: str | None = None) -> Path:  # fmt: skip
    book = Workbook()
    first = book.active
    assert first is not None
    if before:
        first.title = before
        first.append(["this sheet is a cover note, not data"])
        target = book.create_sheet(sheet)
    else:
        first.title = sheet
        target = first
    target.append(HEADER)
    for row in rows:
        target.append(row)
    book.save(path)
    return path


ROWS: list[list[Any]] = [
    ["SE-2023-001", "Anna Eriksson", date(1974, 8, 12), "se", "+44 7700 900123", "L898902C3",
     "Polisen"],
    ["SE-2023-002", "Lars Nilsson", "01.02.1980", "se", None, None, "Polisen"],
    ["SE-2023-003", "Broken Date", "31.02.1985", "se", None, None, "Polisen"],
    [None, None, None, None, None, None, None],
    ["SE-2023-005", "Bad Country", datetime(1970, 1, 1), "narnia", "+44 7700 900456",
     123456789.0, "Polisen"],
]  # fmt: skip


def _people(store: Store, collection: str) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    export_ftm(store, collection, out)
    rows = [orjson.loads(line) for line in out.getvalue().splitlines()]
    return {r["properties"]["name"][0]: r["properties"] for r in rows if r["schema"] == "Person"}


def _passports(store: Store, collection: str) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    export_ftm(store, collection, out)
    rows = [orjson.loads(line) for line in out.getvalue().splitlines()]
    return {
        r["properties"]["number"][0]: r["properties"] for r in rows if r["schema"] == "Passport"
    }


def _reasons(store: Store, job_id: int) -> dict[int, str]:
    with store.connect() as conn:
        return {r.position: r.reason for r in jobs_store.list_rejections(conn, job_id)}


def test_xlsx_rows_map_like_csv_rows(store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cases.xlsx", ROWS)
    assert get_reader(None, path).name == "xlsx"
    job = ingest_file(store, path, "cases", options={"mapping": str(MAPPING)}).job
    # Excel row 5 is empty; every other row is stored, bad values left out alone.
    assert (job.read, job.stored, job.rejected, job.values_rejected) == (4, 4, 0, 3)
    people = _people(store, "cases")
    assert people["Anna Eriksson"]["birthDate"] == ["1974-08-12"]  # a date cell
    assert people["Lars Nilsson"]["birthDate"] == ["1980-02-01"]  # text in the mapping's format
    assert people["Bad Country"]["birthDate"] == ["1970-01-01"]
    assert people["Bad Country"]["phone"] == ["+447700900456"]
    passports = _passports(store, "cases")
    assert passports["123456789"]["number"] == ["123456789"]  # a number cell, not 123456789.0
    assert "birthDate" not in people["Broken Date"]
    assert "nationality" not in people["Bad Country"]
    with store.connect() as conn:
        reasons = [(r.position, r.reason) for r in jobs_store.list_rejections(conn, job.id)]
    assert sorted(reasons) == [
        (4, "sheet 'Suspects', row 4, column 'dob': '31.02.1985' is not a valid date for"
            " Person.birthDate; value left out, row kept"),
        (6, "sheet 'Suspects', row 6, column 'nationality': 'narnia' is not a valid country for"
            " Passport.country; value left out, row kept"),
        (6, "sheet 'Suspects', row 6, column 'nationality': 'narnia' is not a valid country for"
            " Person.nationality; value left out, row kept"),
    ]  # fmt: skip


def test_the_sheet_is_chosen_by_name(store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cases.xlsx", ROWS[:1], before="Cover")
    with pytest.raises(InputError, match=r"sheet 'Cover'.*columns missing from the header"):
        ingest_file(store, path, "cases", options={"mapping": str(MAPPING)})
    options = {"mapping": str(MAPPING), "sheet": "Suspects"}
    job = ingest_file(store, path, "cases", options=options).job
    assert (job.read, job.stored) == (1, 1)
    with pytest.raises(InputError, match=r"no sheet 'Persons'.*'Cover', 'Suspects'"):
        ingest_file(store, path, "other", options={**options, "sheet": "Persons"})


def test_the_mapping_may_name_the_sheet(store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "cases.xlsx", ROWS[:2], before="Cover")
    mapping = tmp_path / "m.yml"
    mapping.write_text("sheet: Suspects\n" + MAPPING.read_text(encoding="utf-8"), encoding="utf-8")
    job = ingest_file(store, path, "cases", options={"mapping": str(mapping)}).job
    assert (job.read, job.stored) == (2, 2)


def test_an_old_excel_file_is_refused_with_advice(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "cases.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match=r"save it as \.xlsx"):
        ingest_file(store, path, "cases", options={"mapping": str(MAPPING)})


def test_a_file_named_xlsx_that_is_not_a_workbook(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_text("case_no,full_name\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an Excel workbook"):
        ingest_file(store, path, "cases", options={"mapping": str(MAPPING)})


def test_a_mapping_with_filters_is_refused_not_ignored(store: Store, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yml"
    text = MAPPING.read_text(encoding="utf-8")
    mapping.write_text("filters:\n  agency: Polisen\n" + text, encoding="utf-8")
    with pytest.raises(InputError, match="'filters' are not supported"):
        ingest_file(store, FIXTURES / "suspects.csv", "c", options={"mapping": str(mapping)})


def test_the_documented_second_example(store: Store, tmp_path: Path) -> None:
    """docs/formats.md: join, split, a link between two people of one row, a bad phone."""
    table = tmp_path / "k.csv"
    table.write_text(
        "ref,given,family,phones,associate_ref,associate_name,relation\n"
        "K-17,Ion,Pop,+40 712 555 123; +40 712 555 124,K-18,Mihai Ionescu,driver\n"
        "K-19,Ana,Dobre,+40 712 555 125; not a phone,,,\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "k.yml"
    mapping.write_text(
        "entities:\n"
        "  person:\n    schema: Person\n    keys: [ref]\n    properties:\n"
        "      firstName: {column: given}\n      lastName: {column: family}\n"
        '      name: {columns: [given, family], join: " "}\n'
        '      phone: {column: phones, split: ";"}\n'
        "  associate:\n    schema: Person\n    keys: [associate_ref]\n    properties:\n"
        "      name: {column: associate_name}\n"
        "  link:\n    schema: Associate\n    keys: [ref, associate_ref]\n"
        "    key_literal: associate-link\n    properties:\n"
        "      person: {entity: person}\n      associate: {entity: associate}\n"
        "      relationship: {column: relation}\n",
        encoding="utf-8",
    )
    job = ingest_file(store, table, "k", options={"mapping": str(mapping)}).job
    # Row 3 has no associate, so its link is one-sided (as FtM maps it): five entities.
    assert (job.read, job.stored, job.entities, job.values_rejected) == (2, 2, 5, 1)
    people = _people(store, "k")
    assert people["Ion Pop"]["phone"] == ["+40712555123", "+40712555124"]
    assert people["Ana Dobre"]["phone"] == ["+40712555125"]
    assert _reasons(store, job.id) == {
        3: "row 3, column 'phones': 'not a phone' is not a valid phone for Person.phone;"
        " value left out, row kept"
    }


def test_two_entities_of_a_row_with_one_id_are_refused(store: Store, tmp_path: Path) -> None:
    table = tmp_path / "k.csv"
    table.write_text("ref,name\nK-1,Ana Dobre\n", encoding="utf-8")
    mapping = tmp_path / "k.yml"
    mapping.write_text(
        "entities:\n  person:\n    schema: Person\n    keys: [ref]\n    properties:\n"
        "      name: {column: name}\n"
        "  case:\n    schema: Note\n    keys: [ref]\n    properties:\n"
        "      entity: {entity: person}\n",
        encoding="utf-8",
    )
    job = ingest_file(store, table, "k", options={"mapping": str(mapping)}).job
    assert (job.stored, job.rejected) == (0, 1)
    assert "give one of them a 'key_literal'" in _reasons(store, job.id)[2]


def test_a_sheet_with_only_a_header_fails_its_job(store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "empty.xlsx", [])
    with pytest.raises(InputError, match="no records found"):
        ingest_file(store, path, "cases", options={"mapping": str(MAPPING)})
    with store.connect() as conn:
        (job,) = jobs_store.list_jobs(conn)
    assert job.status == "failed"

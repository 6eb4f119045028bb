"""Passenger manifests: UN/EDIFACT PAXLST (``.edi``) and the manifest CSV.

Both give one :class:`TravelRecord` per traveller (see
:mod:`threadline.ingest.readers.travel_records` for the entities it becomes); the
CSV adds the booking contact (phone, email) from PNR data. A PAXLST traveller
keeps every document and every leg travelled, and the values the message sent
that could not be used are reported as the job's warnings, with their segment
number. The source record id of every statement is the traveller's ``record_id``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord, SourceWarning
from threadline.ingest.readers.paxlst_records import (
    PaxlstRead,
    paxlst_records,
    read_paxlst_records,
)
from threadline.ingest.readers.travel_records import (
    TravelDocument,
    TravelLeg,
    TravelRecord,
    leg_trip_id,
    travel_entities,
    traveller_id,
    trip_id,
)
from threadline.ingest.registry import register

__all__ = [
    "CSV_COLUMNS",
    "ManifestReader",
    "TravelDocument",
    "TravelLeg",
    "TravelRecord",
    "csv_row_record",
    "leg_trip_id",
    "paxlst_records",
    "read_csv_records",
    "read_paxlst_file",
    "read_paxlst_records",
    "record_from_csv",
    "travel_entities",
    "traveller_id",
    "trip_id",
]

CSV_COLUMNS = (
    "flight", "departure_airport", "departure_time", "arrival_airport", "arrival_time",
    "record_id", "booking_ref", "surname", "given_names", "sex", "date_of_birth",
    "nationality", "document_type", "document_number", "document_issuing_country",
    "document_expiry", "contact_phone", "contact_email",
)  # fmt: skip
OPTIONAL_COLUMNS = ("document_issue_date", "relation")


def _date(value: str, column: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecordError(f"{column} {text!r} is not a date (YYYY-MM-DD)") from None


def _time(value: str, column: str) -> str:
    text = value.strip()
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(f"{column} {text!r} is not a time (YYYY-MM-DDTHH:MM)") from None
    return text


def record_from_csv(position: int, row: dict[str, str]) -> TravelRecord:
    """A CSV row as a travel record; raises RecordError naming the bad column."""
    cell = {k: (v or "").strip() for k, v in row.items()}
    for column in ("flight", "record_id", "surname", "document_number"):
        if not cell.get(column):
            raise RecordError(f"{column} is empty")
    sex = cell.get("sex", "").upper() or None
    if sex not in (None, "M", "F", "U", "X"):
        raise RecordError(f"sex {cell['sex']!r} is not M, F, U or X")
    born = _date(cell.get("date_of_birth", ""), "date_of_birth")
    if born is not None and born > date.today():
        raise RecordError(f"date_of_birth {born.isoformat()} is in the future")
    return TravelRecord(
        position=position,
        record_id=cell["record_id"],
        flight=cell["flight"],
        departure_airport=cell.get("departure_airport", ""),
        departure_time=_time(cell.get("departure_time", ""), "departure_time"),
        arrival_airport=cell.get("arrival_airport", ""),
        arrival_time=_time(cell.get("arrival_time", ""), "arrival_time"),
        booking_ref=cell.get("booking_ref", ""),
        surname=cell["surname"],
        given_names=cell.get("given_names", ""),
        sex=sex,
        date_of_birth=born,
        nationality=cell.get("nationality", ""),
        document_type=cell.get("document_type", "") or "P",
        document_number=cell["document_number"],
        document_issuing_country=cell.get("document_issuing_country", ""),
        document_expiry=_date(cell.get("document_expiry", ""), "document_expiry"),
        contact_phone=cell.get("contact_phone", ""),
        contact_email=cell.get("contact_email", ""),
        document_issued=_date(cell.get("document_issue_date", ""), "document_issue_date"),
        relation=cell.get("relation", ""),
    )


def read_csv_records(path: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line number, header, cells) of a manifest CSV; raises InputError for a bad header."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise InputError(f"{path}: not a manifest CSV, the header lacks {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            if any(cell.strip() for cell in row):
                yield number, header, row


def csv_row_record(position: int, header: list[str], row: list[str]) -> TravelRecord:
    if len(row) != len(header):
        raise RecordError(f"row has {len(row)} cells, the header has {len(header)}")
    return record_from_csv(position, dict(zip(header, row, strict=True)))


def read_paxlst_file(path: Path) -> PaxlstRead:
    """The travellers of a PAXLST file; raises InputError when not one can be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    read = read_paxlst_records(text)
    if not read.records:
        raise InputError(f"{path}: no traveller could be read ({read.failure()})")
    return read


@register
class ManifestReader(Reader):
    name = "manifest"
    description = "passenger and crew manifests: PAXLST (.edi, D02B and later) or the manifest CSV"
    extensions = (".edi", ".paxlst")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in cls.extensions:
            return True
        text = head.lstrip()
        # A PAXLST may start with UNA, UNB, a bare UNH, or a transmission header line.
        if b"PAXLST" in text and (text.startswith(b"UNA") or b"UNB" in text or b"UNH" in text):
            return True
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
        return path.suffix.lower() == ".csv" and all(c in first for c in ("booking_ref", "flight"))

    def prepare(self, path: Path) -> None:
        self.is_csv = path.suffix.lower() == ".csv"
        if self.is_csv:
            next(read_csv_records(path), None)  # raises InputError for a header that is not ours
            return
        # A PAXLST interchange is read whole here: a file without a single readable
        # traveller fails with the reason before a job records "completed, read 0".
        self.paxlst = read_paxlst_file(path)

    def records(self, path: Path) -> Iterator[SourceRecord]:
        if self.is_csv:
            offset = 0
            for number, header, row in read_csv_records(path):
                offset += sum(len(c) + 1 for c in row)
                record_id = row[header.index("record_id")] if len(row) == len(header) else ""
                yield SourceRecord(number, record_id, (header, row), offset)
            return
        size = path.stat().st_size
        items: list[SourceRecord] = [
            SourceRecord(r.position, r.record_id, r, size) for r in self.paxlst.records
        ]
        items.extend(SourceRecord(p, "", reason, size) for p, reason in self.paxlst.rejected)
        yield from sorted(items, key=lambda item: item.position)

    def warnings(self, record: SourceRecord) -> list[SourceWarning]:
        raw = record.raw
        if isinstance(raw, TravelRecord):
            return [SourceWarning(position, reason) for position, reason in raw.warnings]
        return []

    def excerpt(self, record: SourceRecord) -> str:
        raw = record.raw
        if isinstance(raw, tuple):
            return ",".join(raw[1])[:300]
        if isinstance(raw, TravelRecord):
            given = " ".join(p for p in (raw.given_names, raw.middle_names) if p)
            return f"{raw.record_id} {raw.surname}/{given} {raw.document_number}"
        return str(raw)[:300]

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        raw = record.raw
        if isinstance(raw, str):
            raise RecordError(raw)
        travel = raw if isinstance(raw, TravelRecord) else csv_row_record(record.position, *raw)
        return travel_entities(travel)

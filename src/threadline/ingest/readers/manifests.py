"""Passenger manifests: UN/EDIFACT PAXLST D02B (``.edi``) and the manifest CSV.

Both give one :class:`TravelRecord` per traveller; the CSV adds the booking
contact (phone, email) from PNR data. One record becomes:

- a ``Person`` (the traveller): ``name``, ``firstName``, ``lastName``, ``birthDate``,
  ``gender``, ``nationality``, ``passportNumber``/``idNumber``;
- a ``Passport`` (document type ``P``) or ``Identification`` (others): ``holder``,
  ``number``, ``country``, ``type``, ``endDate`` (expiry), ``startDate`` (issue date
  when the data carry one);
- a ``Trip`` per booking and flight leg: ``involved`` = every traveller on it,
  ``recordId`` = the booking reference, ``name`` = flight and route, ``startDate`` /
  ``endDate``, ``startLocation`` / ``endLocation`` (an ``Address`` per airport), and the
  booking contact as ``phoneMentioned`` / ``emailMentioned`` (pivot values the
  network links on).

Ids do not depend on the collection (:func:`traveller_id`), so screening a
manifest file names the same traveller entity the ingested manifest holds. The
source record id of every statement is the traveller's ``record_id``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord
from threadline.ingest.entities import ORIGINALS, add_value
from threadline.ingest.registry import register
from threadline.primitives.countries import clean_country

CSV_COLUMNS = (
    "flight", "departure_airport", "departure_time", "arrival_airport", "arrival_time",
    "record_id", "booking_ref", "surname", "given_names", "sex", "date_of_birth",
    "nationality", "document_type", "document_number", "document_issuing_country",
    "document_expiry", "contact_phone", "contact_email",
)  # fmt: skip
OPTIONAL_COLUMNS = ("document_issue_date", "relation")
_SEX = {"M": "male", "F": "female", "X": "other"}


@dataclass(frozen=True, slots=True)
class TravelRecord:
    """One traveller on one flight leg, as a manifest states it."""

    position: int
    record_id: str
    flight: str
    departure_airport: str
    departure_time: str  # ISO 8601, local, no offset
    arrival_airport: str
    arrival_time: str
    booking_ref: str
    surname: str
    given_names: str
    sex: str | None  # M, F, U
    date_of_birth: date | None
    nationality: str  # as given (alpha-3 on manifests)
    document_type: str
    document_number: str
    document_issuing_country: str
    document_expiry: date | None
    contact_phone: str = ""
    contact_email: str = ""
    document_issued: date | None = None
    relation: str = ""  # a declared relation to another traveller ("mother of R0001"), if any

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname) if p)

    @property
    def departure_date(self) -> date | None:
        try:
            return datetime.fromisoformat(self.departure_time).date()
        except ValueError:
            return None

    def age_at_departure(self) -> int | None:
        """Whole years at departure (None when the birth or departure date is unknown)."""
        born, on = self.date_of_birth, self.departure_date
        if born is None or on is None:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _make_id(*parts: str) -> str:
    made = model.make_entity("Thing").make_id(*parts)
    assert made is not None
    return made


def traveller_id(record: TravelRecord) -> str:
    """The traveller Person's id: flight, departure day and the manifest's record id."""
    return _make_id("traveller", record.flight, record.departure_time[:10], record.record_id)


def trip_id(record: TravelRecord) -> str:
    """One Trip per booking and flight leg."""
    return _make_id("trip", record.flight, record.departure_time[:10], record.booking_ref)


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


def paxlst_records(text: str) -> Iterator[tuple[int, TravelRecord | str, str]]:
    """(position, record or problem reason, source id) for every traveller of an interchange.

    A broken segment is reported at its segment number (``UNA`` counts as 1); good
    travellers are numbered in file order. The two are yielded in position order.
    """
    from threadline.primitives.paxlst import parse_paxlst

    parsed = parse_paxlst(text, lenient=True)
    items: list[tuple[int, TravelRecord | str, str]] = []
    ordinal = 0
    for flight in parsed.flights:
        for traveller in flight.travellers:
            ordinal += 1
            record_id = traveller.record_id or f"{flight.flight}:{traveller.booking_ref}:{ordinal}"
            items.append(
                (
                    ordinal,
                    TravelRecord(
                        position=ordinal,
                        record_id=record_id,
                        flight=flight.flight,
                        departure_airport=traveller.embarkation or flight.departure_airport,
                        departure_time=flight.departure_time.isoformat(timespec="minutes"),
                        arrival_airport=traveller.disembarkation or flight.arrival_airport,
                        arrival_time=flight.arrival_time.isoformat(timespec="minutes"),
                        booking_ref=traveller.booking_ref or "",
                        surname=traveller.surname,
                        given_names=traveller.given_names,
                        sex=traveller.sex,
                        date_of_birth=traveller.date_of_birth,
                        nationality=traveller.nationality or "",
                        document_type=traveller.document_type or "P",
                        document_number=traveller.document_number or "",
                        document_issuing_country=traveller.document_issuing_country or "",
                        document_expiry=traveller.document_expiry,
                    ),
                    record_id,
                )
            )
    for problem in parsed.problems:
        reason = f"segment {problem.segment_number} ({problem.segment[:60]}): {problem.reason}"
        items.append((problem.segment_number, reason, ""))
    items.sort(key=lambda item: item[0])
    return iter(items)


def travel_entities(record: TravelRecord) -> list[EntityProxy]:
    """The traveller, their document, the booking's Trip and its airports."""
    originals: dict[tuple[str, str], str] = {}
    person = model.make_entity("Person")
    person.id = traveller_id(record)
    _put(person, "nationality", clean_country(record.nationality) or record.nationality, originals)
    _put(person, "name", record.full_name, originals)
    _put(person, "firstName", record.given_names, originals)
    _put(person, "lastName", record.surname, originals)
    if record.date_of_birth:
        _put(person, "birthDate", record.date_of_birth.isoformat(), originals)
    _put(person, "gender", _SEX.get(record.sex or ""), originals)
    is_passport = record.document_type.upper().startswith("P")
    _put(person, "passportNumber" if is_passport else "idNumber", record.document_number, originals)
    document = model.make_entity("Passport" if is_passport else "Identification")
    document.id = _make_id("document", record.document_issuing_country, record.document_number)
    document.add("holder", person.id)
    _put(document, "number", record.document_number, originals)
    _put(document, "type", record.document_type, originals)
    country = clean_country(record.document_issuing_country)
    if country:
        document.add("country", country)
    if record.document_expiry:
        document.add("endDate", record.document_expiry.isoformat())
    if record.document_issued:
        document.add("startDate", record.document_issued.isoformat())
    trip = model.make_entity("Trip")
    trip.id = trip_id(record)
    trip.add("involved", person.id)
    trip.add("name", f"{record.flight} {record.departure_airport}-{record.arrival_airport}")
    trip.add("keywords", f"flight:{record.flight}")
    if record.booking_ref:
        trip.add("recordId", record.booking_ref)
    trip.add("startDate", record.departure_time)
    trip.add("endDate", record.arrival_time)
    airports = []
    for prop, code in (("startLocation", record.departure_airport),
                       ("endLocation", record.arrival_airport)):  # fmt: skip
        if code:
            airport = model.make_entity("Address")
            airport.id = _make_id("airport", code.upper())
            airport.add("full", f"{code.upper()} airport")
            airport.add("remarks", f"IATA {code.upper()}")
            trip.add(prop, airport.id)
            airports.append(airport)
    _contact(trip, "phoneMentioned", record.contact_phone, originals)
    _contact(trip, "emailMentioned", record.contact_email, originals)
    entities = [person, document, trip, *airports]
    if originals:
        for entity in entities:
            entity.context[ORIGINALS] = originals
    return entities


def _put(entity: EntityProxy, prop: str, value: Any, originals: dict[tuple[str, str], str]) -> None:
    if value is None or not str(value).strip():
        return
    try:
        add_value(entity, entity.schema.properties[prop], str(value).strip(), originals)
    except RecordError as exc:
        raise RecordError(f"{entity.schema.name}: {exc}") from None


def _contact(
    trip: EntityProxy, prop: str, value: str, originals: dict[tuple[str, str], str]
) -> None:
    """Booking contacts are kept even when they cannot be validated (fiction ranges, typos)."""
    text = value.strip()
    if not text:
        return
    try:
        add_value(trip, trip.schema.properties[prop], text, originals)
    except RecordError:
        trip.unsafe_add(trip.schema.properties[prop], text.replace(" ", ""), cleaned=True)


@register
class ManifestReader(Reader):
    name = "manifest"
    description = "passenger manifests: PAXLST D02B (.edi) or the manifest CSV with PNR contacts"
    extensions = (".edi", ".paxlst")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in cls.extensions:
            return True
        text = head.lstrip()
        if text.startswith((b"UNA", b"UNB")) and b"PAXLST" in text:
            return True
        first = text.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
        return path.suffix.lower() == ".csv" and all(c in first for c in ("booking_ref", "flight"))

    def prepare(self, path: Path) -> None:
        self.is_csv = path.suffix.lower() == ".csv"
        if self.is_csv:
            next(read_csv_records(path), None)  # raises InputError for a header that is not ours

    def records(self, path: Path) -> Iterator[SourceRecord]:
        if self.is_csv:
            offset = 0
            for number, header, row in read_csv_records(path):
                offset += sum(len(c) + 1 for c in row)
                record_id = row[header.index("record_id")] if len(row) == len(header) else ""
                yield SourceRecord(number, record_id, (header, row), offset)
            return
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = path.read_text(encoding="latin-1")
        size = path.stat().st_size
        for position, item, source_id in paxlst_records(text):
            yield SourceRecord(position, source_id, item, size)

    def excerpt(self, record: SourceRecord) -> str:
        raw = record.raw
        if isinstance(raw, tuple):
            return ",".join(raw[1])[:300]
        if isinstance(raw, TravelRecord):
            return f"{raw.record_id} {raw.surname}/{raw.given_names} {raw.document_number}"
        return str(raw)[:300]

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        raw = record.raw
        if isinstance(raw, str):
            raise RecordError(raw)
        travel = raw if isinstance(raw, TravelRecord) else csv_row_record(record.position, *raw)
        return travel_entities(travel)

"""One traveller as a manifest states it, and the FtM entities it becomes.

A :class:`TravelRecord` is one traveller on one manifest (a PAXLST message or a
manifest CSV row): the person, every travel document they presented, and the
flight legs they travel. It becomes:

- a ``Person``: ``name``, ``firstName``, ``middleName``, ``lastName``, ``birthDate``,
  ``gender``, ``nationality``, ``passportNumber`` / ``idNumber`` (every identity
  document) and ``keywords`` ``role:passenger`` or ``role:crew``;
- per document a ``Passport`` (type ``P…``) or ``Identification`` (all others,
  visas included): ``holder``, ``number``, ``country``, ``type``, ``endDate``
  (expiry), ``startDate`` (issue date when the data carry one);
- per flight leg travelled a ``Trip`` shared by the booking: ``involved`` = every
  traveller on it, ``recordId`` = the booking reference, ``name`` = flight and
  route, ``startDate`` / ``endDate``, ``startLocation`` / ``endLocation`` (an
  ``Address`` per airport), and the booking contact as ``phoneMentioned`` /
  ``emailMentioned`` (pivot values the network links on).

Ids do not depend on the collection (:func:`traveller_id`), so screening a
manifest file names the same traveller entity the ingested manifest holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id

from threadline.ingest.base import RecordError
from threadline.ingest.entities import ORIGINALS, add_value
from threadline.primitives.countries import clean_country
from threadline.primitives.paxlst import is_identity_type

# How an airport Address names its IATA code (``remarks``), for readers of the entities.
IATA_PREFIX = "IATA "

__all__ = [
    "IATA_PREFIX",
    "TravelDocument",
    "TravelLeg",
    "TravelRecord",
    "leg_trip_id",
    "travel_entities",
    "traveller_id",
    "trip_id",
]

_SEX = {"M": "male", "F": "female", "X": "other"}


@dataclass(frozen=True, slots=True)
class TravelDocument:
    """A travel document a traveller presented (passport, identity card, visa...)."""

    type: str  # P, PT, I, IP, A, AC, C, V ... as the manifest gives it ('' = not given)
    number: str
    issuing_country: str = ""  # as given (alpha-3 on manifests)
    expiry: date | None = None
    issued: date | None = None

    @property
    def is_identity(self) -> bool:
        """Passport, identity card, A or C document (and their subtypes)."""
        return is_identity_type(self.type)


@dataclass(frozen=True, slots=True)
class TravelLeg:
    """One flight leg: flight, airports and local ISO times ('' when not given)."""

    flight: str
    departure_airport: str
    departure_time: str
    arrival_airport: str
    arrival_time: str


@dataclass(frozen=True, slots=True)
class TravelRecord:
    """One traveller on one manifest, as the manifest states them.

    The ``document_*`` fields are the document that stands for the traveller (an
    identity document over a visa); ``other_documents`` holds the rest. ``flight``,
    ``departure_*`` and ``arrival_*`` span the legs travelled (first departure, last
    arrival); ``legs`` lists them when the manifest has several. ``warnings`` are
    (position, reason) of values the manifest sent that could not be used.
    """

    position: int
    record_id: str
    flight: str
    departure_airport: str
    departure_time: str  # ISO 8601, local, no offset ('' when not given)
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
    middle_names: str = ""
    role: str = "passenger"  # passenger or crew
    other_documents: tuple[TravelDocument, ...] = ()
    legs: tuple[TravelLeg, ...] = ()
    embarkation: str = ""  # where the traveller's journey starts (PAXLST LOC+178)
    disembarkation: str = ""  # and ends (LOC+179)
    warnings: tuple[tuple[int, str], ...] = ()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.middle_names, self.surname) if p)

    @property
    def documents(self) -> tuple[TravelDocument, ...]:
        """Every document: the one standing for the traveller first."""
        if not self.document_number:
            return self.other_documents
        primary = TravelDocument(
            self.document_type,
            self.document_number,
            self.document_issuing_country,
            self.document_expiry,
            self.document_issued,
        )
        return (primary, *self.other_documents)

    @property
    def travel_legs(self) -> tuple[TravelLeg, ...]:
        """The legs travelled (one, from the record's own fields, when none are listed)."""
        if self.legs:
            return self.legs
        return (
            TravelLeg(
                self.flight,
                self.departure_airport,
                self.departure_time,
                self.arrival_airport,
                self.arrival_time,
            ),
        )

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
    # what an entity proxy's make_id gives (no key prefix), without building a proxy per id
    made = make_entity_id(*parts)
    assert made is not None
    return made


def traveller_id(record: TravelRecord) -> str:
    """The traveller Person's id: flight, departure day and the manifest's record id."""
    return _traveller_id(record.flight, record.departure_time[:10], record.record_id)


@lru_cache(maxsize=65_536)
def _traveller_id(flight: str, day: str, record_id: str) -> str:
    # remembered: a screening names each traveller in its hits, findings and alerts
    return _make_id("traveller", flight, day, record_id)


def leg_trip_id(leg: TravelLeg, booking_ref: str) -> str:
    """One Trip per booking and flight leg."""
    return _make_id("trip", leg.flight, leg.departure_time[:10], booking_ref)


def trip_id(record: TravelRecord) -> str:
    """The Trip of the record's first leg."""
    return leg_trip_id(record.travel_legs[0], record.booking_ref)


def travel_entities(record: TravelRecord) -> list[EntityProxy]:
    """The traveller, each of their documents, each leg's Trip and the airports."""
    originals: dict[tuple[str, str], str] = {}
    person = model.make_entity("Person")
    person.id = traveller_id(record)
    _put(person, "nationality", clean_country(record.nationality) or record.nationality, originals)
    _put(person, "name", record.full_name, originals)
    _put(person, "firstName", record.given_names, originals)
    _put(person, "middleName", record.middle_names, originals)
    _put(person, "lastName", record.surname, originals)
    if record.date_of_birth:
        _put(person, "birthDate", record.date_of_birth.isoformat(), originals)
    _put(person, "gender", _SEX.get(record.sex or ""), originals)
    _put(person, "keywords", f"role:{record.role}", originals)
    entities = [person]
    for doc in record.documents:
        entities.append(_document(person, doc, originals))
    airports: dict[str, EntityProxy] = {}
    for leg in record.travel_legs:
        entities.append(_trip(record, leg, person, airports, originals))
    entities.extend(airports.values())
    if originals:
        for entity in entities:
            entity.context[ORIGINALS] = originals
    return entities


def _document(
    person: EntityProxy, doc: TravelDocument, originals: dict[tuple[str, str], str]
) -> EntityProxy:
    is_passport = doc.type.upper().startswith("P")
    if doc.is_identity or not doc.type:
        _put(person, "passportNumber" if is_passport else "idNumber", doc.number, originals)
    document = model.make_entity("Passport" if is_passport else "Identification")
    document.id = _make_id("document", doc.issuing_country, doc.number)
    document.add("holder", person.id)
    _put(document, "number", doc.number, originals)
    _put(document, "type", doc.type, originals)
    country = clean_country(doc.issuing_country)
    if country:
        document.add("country", country)
    if doc.expiry:
        document.add("endDate", doc.expiry.isoformat())
    if doc.issued:
        document.add("startDate", doc.issued.isoformat())
    return document


def _trip(
    record: TravelRecord,
    leg: TravelLeg,
    person: EntityProxy,
    airports: dict[str, EntityProxy],
    originals: dict[tuple[str, str], str],
) -> EntityProxy:
    trip = model.make_entity("Trip")
    trip.id = leg_trip_id(leg, record.booking_ref)
    trip.add("involved", person.id)
    trip.add("name", f"{leg.flight} {leg.departure_airport}-{leg.arrival_airport}")
    trip.add("keywords", f"flight:{leg.flight}")
    if record.booking_ref:
        trip.add("recordId", record.booking_ref)
    if leg.departure_time:
        trip.add("startDate", leg.departure_time)
    if leg.arrival_time:
        trip.add("endDate", leg.arrival_time)
    for prop, code in (("startLocation", leg.departure_airport),
                       ("endLocation", leg.arrival_airport)):  # fmt: skip
        if code:
            key = code.upper()
            if key not in airports:
                airport = model.make_entity("Address")
                airport.id = _make_id("airport", key)
                airport.add("full", f"{key} airport")
                airport.add("remarks", f"{IATA_PREFIX}{key}")
                airports[key] = airport
            trip.add(prop, airports[key].id)
    _contact(trip, "phoneMentioned", record.contact_phone, originals)
    _contact(trip, "emailMentioned", record.contact_email, originals)
    return trip


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

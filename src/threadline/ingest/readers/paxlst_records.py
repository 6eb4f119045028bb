"""PAXLST interchanges as travel records: one per traveller, with their legs and warnings.

Positions are segment numbers (``UNA`` counts as 1): a traveller's record is at
its ``NAD`` segment, a rejection and a warning at the segment they concern. A
warning about a message (``UNT``/``CNT`` counts, a leg without a flight number)
or about the interchange is attached to the first traveller of that message (of
the file when the message has none), so that it is reported with the job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from threadline.ingest.readers.travel_records import TravelDocument, TravelLeg, TravelRecord
from threadline.primitives.paxlst import (
    PaxlstDocument,
    PaxlstFlight,
    PaxlstLeg,
    PaxlstProblem,
    PaxlstTraveller,
    parse_paxlst,
)

__all__ = ["PaxlstRead", "paxlst_records", "read_paxlst_records"]


@dataclass
class PaxlstRead:
    """The travellers of an interchange and what could not be read, by position."""

    records: list[TravelRecord] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    unattached: list[tuple[int, str]] = field(default_factory=list)  # warnings, no traveller

    def failure(self) -> str:
        """Why nothing could be read (for a file without a single traveller)."""
        reasons = self.rejected or self.unattached
        if reasons:
            return reasons[0][1]
        return "the file holds no traveller (no NAD+FL or NAD+FM group)"


def _iso(value: datetime | None) -> str:
    return value.isoformat(timespec="minutes") if value is not None else ""


def _leg(leg: PaxlstLeg) -> TravelLeg:
    return TravelLeg(
        leg.flight,
        leg.departure_airport,
        _iso(leg.departure_time),
        leg.arrival_airport,
        _iso(leg.arrival_time),
    )


def _document(doc: PaxlstDocument) -> TravelDocument:
    return TravelDocument(
        doc.type or "", doc.number, doc.issuing_country or "", doc.expiry, doc.issued
    )


def _notes(problems: list[PaxlstProblem]) -> tuple[tuple[int, str], ...]:
    return tuple((p.segment_number, p.describe()) for p in problems)


def _record(
    flight: PaxlstFlight,
    traveller: PaxlstTraveller,
    ordinal: int,
    extra: tuple[tuple[int, str], ...],
) -> TravelRecord:
    legs = [_leg(flight.legs[i]) for i in traveller.legs] or [_leg(leg) for leg in flight.legs]
    first, last = legs[0], legs[-1]
    booking = traveller.booking_ref or ""
    record_id = traveller.record_id or f"{first.flight}:{booking}:{ordinal}"
    primary = traveller.document
    others = tuple(_document(d) for d in traveller.documents if d is not primary)
    return TravelRecord(
        position=traveller.segment_number,
        record_id=record_id,
        flight=first.flight,
        departure_airport=first.departure_airport,
        departure_time=first.departure_time,
        arrival_airport=last.arrival_airport,
        arrival_time=last.arrival_time,
        booking_ref=booking,
        surname=traveller.surname,
        given_names=traveller.given_names,
        sex=traveller.sex,
        date_of_birth=traveller.date_of_birth,
        nationality=traveller.nationality or "",
        document_type=(primary.type or "") if primary else "",
        document_number=primary.number if primary else "",
        document_issuing_country=(primary.issuing_country or "") if primary else "",
        document_expiry=primary.expiry if primary else None,
        document_issued=primary.issued if primary else None,
        middle_names=traveller.middle_names,
        role=traveller.role,
        other_documents=others,
        legs=tuple(legs) if len(flight.legs) > 1 else (),
        embarkation=traveller.embarkation or "",
        disembarkation=traveller.disembarkation or "",
        warnings=extra + _notes(traveller.warnings),
    )


def read_paxlst_records(text: str) -> PaxlstRead:
    """Every traveller of an interchange as a travel record; rejections by position."""
    parsed = parse_paxlst(text, lenient=True)
    out = PaxlstRead()
    pending = _notes(parsed.warnings)  # interchange warnings go to the first traveller
    ordinal = 0
    for flight in parsed.flights:
        extra = pending + _notes(flight.warnings)
        if not flight.travellers:
            pending = extra  # a message without travellers: its warnings wait for the next one
            continue
        pending = ()
        for traveller in flight.travellers:
            ordinal += 1
            out.records.append(_record(flight, traveller, ordinal, extra))
            extra = ()
    out.unattached = list(pending)
    if pending and out.records:
        first = out.records[0]
        out.records[0] = replace(first, warnings=first.warnings + pending)
        out.unattached = []
    out.rejected = [
        (p.segment_number, p.describe()) for p in parsed.problems if p.severity == "rejected"
    ]
    return out


def paxlst_records(text: str) -> Iterator[tuple[int, TravelRecord | str, str]]:
    """(position, record or rejection reason, source id) for every traveller, in file order."""
    read = read_paxlst_records(text)
    items: list[tuple[int, TravelRecord | str, str]] = [
        (r.position, r, r.record_id) for r in read.records
    ]
    items.extend((position, reason, "") for position, reason in read.rejected)
    items.sort(key=lambda item: item[0])
    return iter(items)

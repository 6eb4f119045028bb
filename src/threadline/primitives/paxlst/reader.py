"""Reading PAXLST interchanges as carriers send them (UN/EDIFACT D02B and later).

The WCO/IATA/ICAO API guidelines' message: ``UNH``, ``BGM`` (745 passengers, 250
crew), the sender (``NAD+MS``), one or more legs (``TDT`` with ``LOC+125/87/92``
and ``DTM+189/232``), then one ``NAD`` group per traveller (``NAD+FL`` passenger,
``NAD+FM`` crew) with ``ATT``, ``DTM+329``, ``LOC``, ``NAT``, ``RFF`` and any
number of ``DOC`` groups (``DTM+36/182``, ``LOC+91``), ``CNT`` and ``UNT``.

An optional or unusable value never costs a traveller: it becomes a warning with
its segment number, attached to the traveller (or the message) it belongs to. Only
a traveller without a surname is rejected. ``lenient=False`` raises
:class:`threadline.exc.InputError` at the first problem of any kind instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from threadline.exc import InputError
from threadline.primitives.paxlst.legs import Stop, legs_of, travelled
from threadline.primitives.paxlst.model import (
    PaxlstDocument,
    PaxlstFlight,
    PaxlstLeg,
    PaxlstParseResult,
    PaxlstProblem,
    PaxlstTraveller,
    Severity,
)
from threadline.primitives.paxlst.syntax import Segment, parse_edifact_time, split_interchange

__all__ = ["parse_paxlst"]

_PARTIES = {"FL": "passenger", "DDU": "passenger", "FM": "crew", "DDT": "crew"}
_CREW_LISTS = ("250", "336")  # crew list; master crew list
_PLACE_QUALIFIERS = ("125", "87", "92")
_SKIPPED = ("UNA", "UNG", "UNE", "UNZ")


class _Reader:
    """Walks the segments and builds messages; collects or raises problems."""

    def __init__(self, lenient: bool) -> None:
        self.lenient = lenient
        self.flights: list[PaxlstFlight] = []
        self.problems: list[PaxlstProblem] = []
        self.outside: list[PaxlstProblem] = []
        self.message: PaxlstFlight | None = None
        self.skipping = False  # inside a message that is not a PAXLST
        self.saw_unb = False
        self._new_message(0)

    def _new_message(self, start: int) -> None:
        self.start = start
        self.stops: list[Stop] = []
        self.flight_id = ""
        self.seen_transport = False  # a TDT was read: any NAD but MS now is a traveller
        self.fallback_flight = ""
        self.traveller: PaxlstTraveller | None = None
        self.traveller_ok = True
        self.document: PaxlstDocument | None = None
        self.in_document = False  # inside a DOC group (even one that was not kept)
        self.counts: list[tuple[Segment, str, int]] = []
        self.parties = 0
        self.reference_day: date | None = None

    # ------------------------------------------------------------------ problems

    def problem(self, s: Segment, reason: str, severity: Severity = "warning") -> None:
        found = PaxlstProblem(s.number, s.raw, reason, severity)
        if not self.lenient:
            raise InputError(f"PAXLST: {found.describe()}")
        if self.traveller is not None and not self.traveller_ok and severity == "warning":
            return  # the rest of a rejected traveller's group: its rejection says it all
        self.problems.append(found)
        if severity == "rejected":
            return  # reported as the traveller's rejection, attached to nothing kept
        if self.traveller is not None and self.traveller_ok:
            self.traveller.warnings.append(found)
        elif self.message is not None:
            self.message.warnings.append(found)
        else:
            self.outside.append(found)

    # ------------------------------------------------------------------ walking

    def read(self, segments: list[Segment]) -> None:
        handlers: dict[str, Callable[[Segment], None]] = {
            name[4:].upper(): getattr(self, name) for name in dir(self) if name.startswith("_on_")
        }
        for segment in segments:
            handler = handlers.get(segment.tag)
            if handler is not None:
                handler(segment)
            elif len(segment.tag) != 3 or not segment.tag.isalnum():
                self.problem(segment, f"unknown segment tag {segment.tag!r}")
            elif segment.tag not in _SKIPPED and self.message is None and not self.skipping:
                self.problem(segment, f"{segment.tag} segment outside a message (no UNH)")
            # other well-formed segments (COM, MEA, FTX, GEI, EMP...) are not needed here

    def finish(self, last: Segment | None) -> None:
        if self.message is not None and last is not None:
            self.problem(last, "message is not closed by UNT")
            self._close_message()

    def _close_traveller(self) -> None:
        message, traveller = self.message, self.traveller
        if traveller is not None and message is not None and self.traveller_ok:
            message.travellers.append(traveller)
        self.traveller = None
        self.traveller_ok = True
        self.document = None
        self.in_document = False

    def _close_message(self) -> None:
        self._close_traveller()
        message = self.message
        if message is None:
            return
        legs = legs_of(self.stops) or [PaxlstLeg(self.fallback_flight, "", None, "", None, "", "")]
        message.legs = legs
        message.flight = legs[0].flight
        message.departure_airport, message.departure_time = (
            legs[0].departure_airport,
            legs[0].departure_time,
        )
        message.arrival_airport, message.arrival_time = (
            legs[-1].arrival_airport,
            legs[-1].arrival_time,
        )
        for traveller in message.travellers:
            traveller.legs = travelled(legs, traveller.embarkation, traveller.disembarkation)
        self.flights.append(message)
        self.message = None

    def _need_message(self, s: Segment) -> PaxlstFlight | None:
        if self.message is None and not self.skipping:
            self.problem(s, f"{s.tag} segment outside a message (no UNH)")
        return self.message

    # ------------------------------------------------------------------ envelope

    def _on_unb(self, s: Segment) -> None:
        self.saw_unb = True
        if not s.get(1).startswith("UNO"):
            self.problem(s, f"unknown syntax identifier {s.get(1)!r} (read as UNOA)")

    def _on_unh(self, s: Segment) -> None:
        if not self.saw_unb:
            self.saw_unb = True  # said once per interchange
            self.problem(s, "the interchange has no UNB header")
        if self.message is not None:
            self.problem(s, "message is not closed by UNT before the next UNH")
            self._close_message()
        self._new_message(s.number)
        kind = s.get(2, 0)
        if kind != "PAXLST":
            self.skipping = True
            self.problem(s, f"message type is {kind!r}, not PAXLST: its segments are skipped")
            return
        self.skipping = False
        reference = s.get(3)
        self.fallback_flight = reference.split("/", 1)[0]  # e.g. OK688/071008/1310
        self.message = PaxlstFlight(
            "", "", None, "", None, reference=s.get(1), legs=[PaxlstLeg("", "", None, "", None)]
        )

    def _on_bgm(self, s: Segment) -> None:
        message = self._need_message(s)
        if message is not None and s.get(1):
            message.list_type = s.get(1)

    def _on_cnt(self, s: Segment) -> None:
        if self._need_message(s) is None:
            return
        self._close_traveller()
        qualifier, value = s.get(1, 0), s.get(1, 1) or s.get(2)  # CNT+42:n (also CNT+41+n)
        try:
            self.counts.append((s, qualifier, int(value)))
        except ValueError:
            self.problem(s, f"control count {value!r} is not a number")

    def _on_unt(self, s: Segment) -> None:
        message = self._need_message(s)
        if message is None:
            self.skipping = False
            return
        self._close_traveller()
        declared, actual = s.get(1), s.number - self.start + 1
        if not declared.isdigit():
            self.problem(s, f"UNT segment count {declared!r} is not a number")
        elif int(declared) != actual:
            self.problem(s, f"UNT declares {int(declared)} segments, the message has {actual}")
        for segment, qualifier, count in self.counts:
            if qualifier in ("41", "42") and count != self.parties:
                self.problem(
                    segment,
                    f"CNT+{qualifier} declares {count} travellers, the message has {self.parties}",
                )
        self._close_message()

    # ------------------------------------------------------------------ transport

    def _on_tdt(self, s: Segment) -> None:
        if self._need_message(s) is None:
            return
        self._close_traveller()
        self.seen_transport = True
        self.flight_id = s.get(2)
        if not self.flight_id:
            self.flight_id = self.fallback_flight
            self.problem(s, "TDT without a flight identifier")

    def _on_loc(self, s: Segment) -> None:
        if self._need_message(s) is None:
            return
        qualifier, code, text = s.get(1), s.get(2, 0), s.get(2, 3)
        place = code or text
        if self.traveller is None:
            if qualifier in _PLACE_QUALIFIERS:
                if not place:
                    self.problem(s, f"LOC+{qualifier} without a place")
                role = {"125": "departure", "87": "arrival"}.get(qualifier, "")
                flight = self.flight_id or self.fallback_flight
                self.stops.append(Stop(flight, qualifier, place, role))
            return
        if qualifier == "91":
            self._issuer(s, code, text)
        elif not place:
            self.problem(s, f"LOC+{qualifier} without a place")
        elif qualifier == "178":
            self.traveller.embarkation = place
        elif qualifier == "179":
            self.traveller.disembarkation = place
        elif qualifier == "180":
            self.traveller.birth_place = " ".join(p for p in (text, code) if p)
        elif qualifier == "174":
            self.traveller.residence = place

    def _issuer(self, s: Segment, code: str, text: str) -> None:
        document = self.document
        if document is None:
            if not self.in_document:
                self.problem(s, "LOC+91 outside a DOC group")
            return  # the DOC it belongs to was not kept (and said so)
        if not code and not text:
            self.problem(s, "LOC+91 without a place: the document's issuing country is unknown")
        elif not code:
            document.issuing_place = text
            self.problem(s, f"issuing country given as text {text!r}, not as a code")
        else:
            document.issuing_country = code
            document.issuing_place = text or None

    def _on_dtm(self, s: Segment) -> None:
        if self._need_message(s) is None:
            return
        qualifier, value, fmt = s.get(1, 0), s.get(1, 1), s.get(1, 2)
        if self.traveller is None:
            if qualifier in ("189", "232"):
                self._stop_time(s, qualifier, value, fmt)
            return
        if qualifier not in ("329", "36", "182"):
            return
        if qualifier != "329" and self.document is None:
            if not self.in_document:
                self.problem(s, f"DTM+{qualifier} outside a DOC group")
            return
        if not value:
            self.problem(s, f"DTM+{qualifier} without a date")
            return
        try:
            when, short = parse_edifact_time(value, fmt)
        except ValueError as exc:
            self.problem(s, str(exc))
            return
        day = when.date()
        if qualifier == "329":
            # Two-digit years: a birth "after" the flight belongs to the previous century.
            if short and day > (self.reference_day or date.today()):
                day = day.replace(year=day.year - 100)
            self.traveller.date_of_birth = day
            return
        document = self.document
        assert document is not None
        if qualifier == "36":
            if document.expiry is not None and document.expiry != day:
                self.problem(s, "a second DTM+36 for the same document: the first is kept")
            else:
                document.expiry = day
        else:
            document.issued = day

    def _stop_time(self, s: Segment, qualifier: str, value: str, fmt: str) -> None:
        if not self.stops:
            self.problem(s, f"DTM+{qualifier} without a LOC before it")
            return
        stop = self.stops[-1]
        if not stop.role:
            stop.role = "departure" if qualifier == "189" else "arrival"
        if not value:
            self.problem(s, f"DTM+{qualifier} without a date")
            return
        try:
            stop.time = parse_edifact_time(value, fmt)[0]
        except ValueError as exc:
            self.problem(s, str(exc))
            return
        if qualifier == "189" and self.reference_day is None:
            self.reference_day = stop.time.date()

    # ------------------------------------------------------------------ travellers

    def _on_nad(self, s: Segment) -> None:
        message = self._need_message(s)
        if message is None:
            return
        qualifier = s.get(1)
        if qualifier == "MS" or (qualifier not in _PARTIES and not self.seen_transport):
            message.sender = s.get(4) or s.get(3) or s.get(2)
            return
        self._close_traveller()
        names = s.elements[3] if len(s.elements) > 3 else []
        name = [part.strip() for part in names[:5]] + [""] * (5 - len(names[:5]))
        role = _PARTIES.get(qualifier) or (
            "crew" if message.list_type in _CREW_LISTS else "passenger"
        )
        self.traveller = PaxlstTraveller(
            surname=name[0],
            given_names=name[1],
            middle_names=" ".join(p for p in name[2:5] if p),
            role=role,
            party=qualifier,
            segment_number=s.number,
        )
        self.parties += 1
        if not name[0]:
            self.traveller_ok = False
            self.problem(s, "traveller without a surname (NAD element 4 is empty)", "rejected")

    def _on_att(self, s: Segment) -> None:
        if self.traveller is None or s.get(1) != "2":
            return
        sex = s.get(3).upper()
        if sex not in ("M", "F", "U", "X"):
            self.problem(s, f"unknown sex code {sex!r} (expected M, F, U or X)")
            return
        self.traveller.sex = "U" if sex == "X" else sex

    def _on_nat(self, s: Segment) -> None:
        if self.traveller is not None and self.traveller.nationality is None:
            self.traveller.nationality = s.get(2) or None

    def _on_rff(self, s: Segment) -> None:
        if self.traveller is None:
            return
        qualifier, value = s.get(1, 0), s.get(1, 1)
        if qualifier == "AVF":
            self.traveller.booking_ref = value or None
        elif qualifier == "ABO":
            self.traveller.record_id = value or None

    def _on_doc(self, s: Segment) -> None:
        if self._need_message(s) is None:
            return
        if self.traveller is None:
            self.problem(s, "DOC segment before any traveller (NAD)")
            return
        self.in_document = True
        self.document = None
        number = s.get(2)
        if not number:
            self.problem(s, "DOC without a document number: the document is not kept")
            return
        self.document = PaxlstDocument(s.get(1, 0) or None, number)
        self.traveller.documents.append(self.document)


def parse_paxlst(text: str, *, lenient: bool = False) -> PaxlstParseResult:
    """Parse a PAXLST interchange into messages, travellers and problems.

    Strict mode raises :class:`InputError` naming the first problem's segment
    number and the reason; lenient mode keeps every traveller that has a surname
    and reports what it could not use.
    """
    segments, _seps, notes = split_interchange(text)
    reader = _Reader(lenient)
    for note in notes:
        raw = Segment(note.segment_number, note.segment, "", [])
        reader.problem(raw, note.reason)
    if not segments or segments[0].tag not in ("UNA", "UNB", "UNH"):
        reason = "an interchange must start with UNA or UNB"
        if not lenient:
            raise InputError(f"PAXLST: segment 1: {reason}")
        found = PaxlstProblem(1, segments[0].raw if segments else text[:60], reason, "rejected")
        return PaxlstParseResult([], [*reader.problems, found], [*reader.outside, found])
    reader.read(segments)
    reader.finish(segments[-1])
    return PaxlstParseResult(reader.flights, reader.problems, reader.outside)

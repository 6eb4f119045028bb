"""UN/EDIFACT PAXLST (D02B, IATA implementation) passenger lists: parse and write.

Pure functions, no I/O. One interchange (``UNA``? ``UNB`` ... ``UNZ``) holds one or
more ``PAXLST`` messages, one per flight leg; each message names the flight, its
departure and arrival, and its travellers (``NAD+FL`` groups).

Parsing is strict by default: the first broken segment raises
:class:`threadline.exc.InputError` naming the segment's position and the reason.
With ``lenient=True`` the parser skips the broken traveller (or message) and
returns the good travellers together with a list of :class:`PaxlstProblem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from threadline.exc import InputError

__all__ = [
    "PaxlstFlight",
    "PaxlstParseResult",
    "PaxlstProblem",
    "PaxlstTraveller",
    "parse_paxlst",
    "write_paxlst",
]

_DEFAULT_UNA = ":+.? '"  # component, element, decimal, release, reserved, terminator


@dataclass(slots=True)
class PaxlstTraveller:
    """One ``NAD+FL`` group: a passenger and the travel document they presented."""

    surname: str
    given_names: str
    sex: str | None = None  # M, F or U (X in some feeds is reported as U)
    date_of_birth: date | None = None
    nationality: str | None = None  # ISO 3166 alpha-3 as carriers send it
    booking_ref: str | None = None  # RFF+AVF
    record_id: str | None = None  # RFF+ABO, the sender's own passenger reference
    document_type: str | None = None  # P passport, I identity card, V visa ...
    document_number: str | None = None
    document_expiry: date | None = None
    document_issuing_country: str | None = None  # alpha-3
    embarkation: str | None = None  # LOC+178 airport code
    disembarkation: str | None = None  # LOC+179 airport code


@dataclass(slots=True)
class PaxlstFlight:
    """One ``PAXLST`` message: a flight leg and its passengers."""

    flight: str
    departure_airport: str
    departure_time: datetime
    arrival_airport: str
    arrival_time: datetime
    sender: str = ""
    travellers: list[PaxlstTraveller] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PaxlstProblem:
    """A segment the lenient parser could not use, with where and why."""

    segment_number: int  # 1-based position in the interchange (UNA counts as 1 when present)
    segment: str
    reason: str


@dataclass(slots=True)
class PaxlstParseResult:
    """What the parser read: the flights (with their good travellers) and the problems."""

    flights: list[PaxlstFlight]
    problems: list[PaxlstProblem]

    @property
    def travellers(self) -> list[PaxlstTraveller]:
        """Every traveller of every flight, in file order."""
        return [t for f in self.flights for t in f.travellers]


# --------------------------------------------------------------------------- writing


_ESCAPE = str.maketrans({ch: "?" + ch for ch in ":+?'"})


def _escape(value: str) -> str:
    # str.translate runs in C: writing millions of travellers stays fast.
    return value.translate(_ESCAPE)


def _seg(*elements: str | tuple[str, ...]) -> str:
    parts: list[str] = []
    for element in elements:
        if isinstance(element, tuple):
            parts.append(":".join(_escape(c) for c in element))
        else:
            parts.append(_escape(element))
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return "+".join(parts) + "'"


def _yymmdd(value: date) -> str:
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _stamp(value: datetime) -> str:
    return f"{_yymmdd(value)}{value.hour:02d}{value.minute:02d}"


def write_paxlst(
    flights: list[PaxlstFlight],
    *,
    interchange_ref: str,
    sender: str,
    recipient: str,
    prepared: datetime,
    group: bool = True,
    newline: bool = True,
) -> str:
    """Write an interchange carrying one PAXLST message per flight.

    ``group`` adds the optional ``UNG``/``UNE`` functional group; ``newline`` puts
    each segment on its own line (parsers must ignore the line breaks either way).
    """
    out: list[str] = [f"UNA{_DEFAULT_UNA}"]
    out.append(
        _seg(
            "UNB",
            ("UNOA", "4"),
            sender,
            recipient,
            (prepared.strftime("%y%m%d"), prepared.strftime("%H%M")),
            interchange_ref,
        )
    )
    if group:
        out.append(
            _seg(
                "UNG",
                "PAXLST",
                sender,
                recipient,
                (prepared.strftime("%y%m%d"), prepared.strftime("%H%M")),
                "1",
                "UN",
                ("D", "02B"),
            )
        )
    for number, flight in enumerate(flights, start=1):
        out.extend(_message(flight, str(number)))
    if group:
        out.append(_seg("UNE", str(len(flights)), "1"))
    out.append(_seg("UNZ", "1" if group else str(len(flights)), interchange_ref))
    return ("\n" if newline else "").join(out) + ("\n" if newline else "")


def _message(flight: PaxlstFlight, ref: str) -> list[str]:
    body: list[str] = [
        _seg("UNH", ref, ("PAXLST", "D", "02B", "UN", "IATA"), flight.flight, ("01", "F")),
        _seg("BGM", "745"),
        _seg("NAD", "MS", "", "", flight.sender),
        _seg("TDT", "20", flight.flight),
        _seg("LOC", "125", flight.departure_airport),
        _seg("DTM", ("189", _stamp(flight.departure_time), "201")),
        _seg("LOC", "87", flight.arrival_airport),
        _seg("DTM", ("232", _stamp(flight.arrival_time), "201")),
    ]
    e = _escape  # per-traveller segments are formatted directly: millions of them at scale
    for t in flight.travellers:
        body.append(f"NAD+FL+++{e(t.surname)}:{e(t.given_names)}'")
        if t.sex:
            body.append(f"ATT+2++{e(t.sex)}'")
        if t.date_of_birth:
            body.append(f"DTM+329:{_yymmdd(t.date_of_birth)}'")
        if t.embarkation:
            body.append(f"LOC+178+{e(t.embarkation)}'")
        if t.disembarkation:
            body.append(f"LOC+179+{e(t.disembarkation)}'")
        if t.nationality:
            body.append(f"NAT+2+{e(t.nationality)}'")
        if t.booking_ref:
            body.append(f"RFF+AVF:{e(t.booking_ref)}'")
        if t.record_id:
            body.append(f"RFF+ABO:{e(t.record_id)}'")
        if t.document_number:
            body.append(f"DOC+{e(t.document_type or 'P')}:110:111+{e(t.document_number)}'")
            if t.document_expiry:
                body.append(f"DTM+36:{_yymmdd(t.document_expiry)}'")
            if t.document_issuing_country:
                body.append(f"LOC+91+{e(t.document_issuing_country)}'")
    body.append(_seg("CNT", ("42", str(len(flight.travellers)))))
    body.append(_seg("UNT", str(len(body) + 1), ref))
    return body


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class _Segment:
    number: int
    raw: str
    tag: str
    elements: list[list[str]]  # elements after the tag, each a list of components

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of element ``element`` (1-based after the tag), or ''."""
        if element - 1 >= len(self.elements):
            return ""
        comps = self.elements[element - 1]
        return comps[component] if component < len(comps) else ""


class _Broken(Exception):
    def __init__(self, segment: _Segment, reason: str) -> None:
        super().__init__(reason)
        self.segment = segment
        self.reason = reason


def _segments(text: str) -> list[_Segment]:
    """Split an interchange into segments, honouring UNA and the release character."""
    seps = _DEFAULT_UNA
    number = 0
    out: list[_Segment] = []
    body = text.lstrip("\ufeff \r\n\t")
    if body.startswith("UNA"):
        if len(body) < 9:
            raise InputError("PAXLST: segment 1 (UNA): service string advice is truncated")
        seps = body[3:9]
        number = 1
        out.append(_Segment(1, body[:9], "UNA", []))
        body = body[9:]
    comp, elem, release, term = seps[0], seps[1], seps[3], seps[5]
    has_release = release != " " and release in body  # a space in UNA means "none"
    number_pieces = body.split(term)
    pieces: list[str] = []
    current = ""
    for piece in number_pieces[:-1]:
        current += piece
        if has_release and (len(current) - len(current.rstrip(release))) % 2 == 1:
            current += term  # the terminator was released: it is data
            continue
        pieces.append(current)
        current = ""
    # Segments are cut with str.split; only those holding a release character are
    # walked character by character (millions of travellers must parse quickly).
    for piece in pieces:
        content = piece.strip()
        number += 1
        if has_release and release in content:
            elements = _released(content, comp, elem, release)
        else:
            elements = [e.split(comp) for e in content.split(elem)]
        out.append(_Segment(number, content + term, elements[0][0].strip(), elements[1:]))
    rest = (current + number_pieces[-1]).strip()
    if rest:
        seg = _Segment(number + 1, rest[:60], rest[:3], [])
        raise _Broken(seg, "segment is not terminated (missing the segment terminator)")
    return out


def _released(content: str, comp: str, elem: str, release: str) -> list[list[str]]:
    elements: list[list[str]] = []
    comps: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(content):
        ch = content[i]
        if ch == release and i + 1 < len(content):
            buf.append(content[i + 1])
            i += 2
            continue
        i += 1
        if ch == comp:
            comps.append("".join(buf))
            buf = []
        elif ch == elem:
            comps.append("".join(buf))
            elements.append(comps)
            comps, buf = [], []
        else:
            buf.append(ch)
    comps.append("".join(buf))
    elements.append(comps)
    return elements


def _date(segment: _Segment, value: str, with_time: bool = False) -> datetime:
    digits = value.strip()
    if digits.isdigit() and (len(digits) == 6 or (with_time and len(digits) in (10, 12))):
        if len(digits) == 12:
            year, rest = int(digits[:4]), digits[4:]
        else:
            yy, rest = int(digits[:2]), digits[2:]
            year = 2000 + yy if yy < 69 else 1900 + yy  # as strptime's %y
        hour, minute = (int(rest[4:6]), int(rest[6:8])) if len(rest) == 8 else (0, 0)
        try:
            return datetime(year, int(rest[:2]), int(rest[2:4]), hour, minute)
        except ValueError:
            pass
    raise _Broken(segment, f"invalid date {value!r} (expected YYMMDD)")


class _Reader:
    """Walks the segments and builds flights; collects or raises problems."""

    def __init__(self, lenient: bool) -> None:
        self.lenient = lenient
        self.flights: list[PaxlstFlight] = []
        self.problems: list[PaxlstProblem] = []
        self.flight: PaxlstFlight | None = None
        self.traveller: PaxlstTraveller | None = None
        self.traveller_ok = True
        self.message_start = 0
        self.count: int | None = None
        self.last_dtm_owner = ""

    def problem(self, segment: _Segment, reason: str) -> None:
        if not self.lenient:
            raise InputError(f"PAXLST: segment {segment.number} ({segment.raw[:60]}): {reason}")
        self.problems.append(PaxlstProblem(segment.number, segment.raw, reason))

    def close_traveller(self) -> None:
        if self.traveller is not None and self.flight is not None and self.traveller_ok:
            self.flight.travellers.append(self.traveller)
        self.traveller = None
        self.traveller_ok = True

    def read(self, segments: list[_Segment]) -> None:
        for segment in segments:
            try:
                self.step(segment)
            except _Broken as broken:
                self.problem(broken.segment, broken.reason)
                if self.traveller is not None:
                    self.traveller_ok = False

    def step(self, s: _Segment) -> None:
        handler = getattr(self, f"_on_{s.tag.lower()}", None)
        if handler is None:
            if not s.tag.isalpha() or len(s.tag) != 3:
                raise _Broken(s, f"unknown segment tag {s.tag!r}")
            return  # a well-formed segment this reader does not need (e.g. COM, EMP)
        handler(s)

    def _on_una(self, s: _Segment) -> None:
        return None

    def _on_unb(self, s: _Segment) -> None:
        if not s.get(1).startswith("UNO"):
            raise _Broken(s, f"unknown syntax identifier {s.get(1)!r}")

    def _on_ung(self, s: _Segment) -> None:
        return None

    def _on_une(self, s: _Segment) -> None:
        return None

    def _on_unz(self, s: _Segment) -> None:
        return None

    def _on_unh(self, s: _Segment) -> None:
        if s.get(2, 0) != "PAXLST":
            raise _Broken(s, f"message type is {s.get(2, 0)!r}, not PAXLST")
        self.flight = PaxlstFlight("", "", datetime.min, "", datetime.min)
        self.message_start = s.number
        self.count = None
        self.last_dtm_owner = ""

    def _need_flight(self, s: _Segment) -> PaxlstFlight:
        if self.flight is None:
            raise _Broken(s, f"{s.tag} segment outside a PAXLST message (no UNH before it)")
        return self.flight

    def _on_bgm(self, s: _Segment) -> None:
        self._need_flight(s)

    def _on_nad(self, s: _Segment) -> None:
        flight = self._need_flight(s)
        if s.get(1) == "MS":
            flight.sender = s.get(4) or s.get(3)
            return
        self.close_traveller()
        surname, given = s.get(4, 0).strip(), s.get(4, 1).strip()
        self.traveller = PaxlstTraveller(surname=surname, given_names=given)
        self.last_dtm_owner = "traveller"
        if not surname:
            raise _Broken(s, "traveller without a surname (NAD element 4 is empty)")

    def _on_tdt(self, s: _Segment) -> None:
        flight = self._need_flight(s)
        if not s.get(2):
            raise _Broken(s, "TDT without a flight identifier")
        flight.flight = s.get(2)

    def _on_loc(self, s: _Segment) -> None:
        flight = self._need_flight(s)
        qualifier, place = s.get(1), s.get(2)
        if not place:
            raise _Broken(s, f"LOC+{qualifier} without a place code")
        if qualifier in ("125", "87"):
            self.last_dtm_owner = qualifier
            if qualifier == "125":
                flight.departure_airport = place
            else:
                flight.arrival_airport = place
            return
        t = self.traveller
        if t is None:
            return
        if qualifier == "178":
            t.embarkation = place
        elif qualifier == "179":
            t.disembarkation = place
        elif qualifier == "91":
            t.document_issuing_country = place

    def _on_dtm(self, s: _Segment) -> None:
        flight = self._need_flight(s)
        qualifier, value = s.get(1, 0), s.get(1, 1)
        if qualifier == "189":
            flight.departure_time = _date(s, value, with_time=True)
        elif qualifier == "232":
            flight.arrival_time = _date(s, value, with_time=True)
        elif qualifier in ("329", "36") and self.traveller is not None:
            when = _date(s, value).date()
            if qualifier == "36":
                self.traveller.document_expiry = when
                return
            # Two-digit years: a birth "after" the flight belongs to the previous century.
            ref = flight.departure_time.date() if flight.departure_time.year > 1 else None
            if ref is not None and when > ref:
                when = when.replace(year=when.year - 100)
            self.traveller.date_of_birth = when

    def _on_att(self, s: _Segment) -> None:
        if self.traveller is not None and s.get(1) == "2":
            sex = s.get(3).upper()
            if sex not in ("M", "F", "U", "X"):
                raise _Broken(s, f"unknown sex code {sex!r} (expected M, F, U or X)")
            self.traveller.sex = "U" if sex == "X" else sex

    def _on_nat(self, s: _Segment) -> None:
        if self.traveller is not None:
            self.traveller.nationality = s.get(2) or None

    def _on_rff(self, s: _Segment) -> None:
        if self.traveller is None:
            return
        qualifier, value = s.get(1, 0), s.get(1, 1)
        if qualifier == "AVF":
            self.traveller.booking_ref = value or None
        elif qualifier == "ABO":
            self.traveller.record_id = value or None

    def _on_doc(self, s: _Segment) -> None:
        if self.traveller is None:
            raise _Broken(s, "DOC segment before any traveller (NAD+FL)")
        if not s.get(2):
            raise _Broken(s, "DOC without a document number")
        self.traveller.document_type = s.get(1, 0) or None
        self.traveller.document_number = s.get(2)

    def _on_cnt(self, s: _Segment) -> None:
        self.close_traveller()
        if s.get(1, 0) == "42":
            try:
                self.count = int(s.get(1, 1))
            except ValueError:
                raise _Broken(s, f"passenger count {s.get(1, 1)!r} is not a number") from None

    def _on_unt(self, s: _Segment) -> None:
        flight = self._need_flight(s)
        self.close_traveller()
        try:
            declared = int(s.get(1))
        except ValueError:
            raise _Broken(s, f"UNT segment count {s.get(1)!r} is not a number") from None
        actual = s.number - self.message_start + 1
        self.flight = None
        self.flights.append(flight)
        if declared != actual:
            raise _Broken(s, f"UNT declares {declared} segments, the message has {actual}")
        found = len(flight.travellers)
        if self.count is not None and self.count != found and not self.problems:
            raise _Broken(s, f"CNT+42 declares {self.count} travellers, the message has {found}")
        if not flight.flight or flight.departure_time == datetime.min:
            raise _Broken(s, "message ends without TDT flight or DTM+189 departure time")


def parse_paxlst(text: str, *, lenient: bool = False) -> PaxlstParseResult:
    """Parse a PAXLST interchange into flights and travellers.

    Strict mode raises :class:`InputError` naming the first broken segment's number
    and the reason; lenient mode skips what it cannot read and reports it.
    """
    reader = _Reader(lenient)
    try:
        segments = _segments(text)
    except _Broken as broken:
        if not lenient:
            raise InputError(
                f"PAXLST: segment {broken.segment.number} ({broken.segment.raw}): {broken.reason}"
            ) from None
        reader.problems.append(
            PaxlstProblem(broken.segment.number, broken.segment.raw, broken.reason)
        )
        segments = _segments(text[: text.rfind("'") + 1]) if "'" in text else []
    if not segments or segments[0].tag not in ("UNA", "UNB"):
        reason = "an interchange must start with UNA or UNB"
        if not lenient:
            raise InputError(f"PAXLST: segment 1: {reason}")
        reader.problems.append(PaxlstProblem(1, segments[0].raw if segments else "", reason))
    reader.read(segments)
    if reader.flight is not None:
        reader.close_traveller()
        reader.flights.append(reader.flight)
        last = segments[-1]
        reader.problem(last, "message is not closed by UNT")
    return PaxlstParseResult(reader.flights, reader.problems)

"""Where each field sits in the five MRZ formats (and one national layout), and telling them apart.

Positions are zero-based and end-exclusive here; messages to users count from 1
as Doc 9303 does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from threadline.exc import InputError
from threadline.primitives.mrz.checkdigit import DIGIT_TO_LETTER

MRZType = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]


class Kind(Enum):
    """What a field may contain, which decides the safe OCR correction."""

    ALPHA = "alpha"  # letters and fillers: codes, names, sex
    DIGIT = "digit"  # dates and check digits
    ALNUM = "alnum"  # document and personal numbers, optional data


@dataclass(frozen=True, slots=True)
class Span:
    """One field: its name, line (0-based), start and end (end exclusive) and kind."""

    name: str
    line: int
    start: int
    end: int
    kind: Kind


@dataclass(frozen=True, slots=True)
class Check:
    """A check digit: the field it protects, the spans it covers and where the digit is."""

    name: str
    covers: tuple[tuple[int, int, int], ...]  # (line, start, end)
    line: int
    position: int


@dataclass(frozen=True, slots=True)
class Layout:
    """The geometry of one MRZ type.

    ``variant`` names a national layout of an ICAO size that is not an ICAO 9303
    layout; ``nationality`` is the nationality such a layout implies without
    writing it.
    """

    type: MRZType
    lines: int
    length: int
    spans: tuple[Span, ...]
    checks: tuple[Check, ...]
    variant: str | None = None
    nationality: str | None = None

    def span(self, name: str) -> Span | None:
        """The first span called ``name``, if the layout has one."""
        return next((s for s in self.spans if s.name == name), None)

    def check(self, name: str) -> Check | None:
        """The check digit called ``name``, if the layout has one."""
        return next((c for c in self.checks if c.name == name), None)


def _line2_common(optional_end: int) -> list[Span]:
    # Shared by TD2, TD3 and both visas: positions 1-28 of the second line.
    return [
        Span("document_number", 1, 0, 9, Kind.ALNUM),
        Span("document_number_check", 1, 9, 10, Kind.DIGIT),
        Span("nationality", 1, 10, 13, Kind.ALPHA),
        Span("date_of_birth", 1, 13, 19, Kind.DIGIT),
        Span("date_of_birth_check", 1, 19, 20, Kind.DIGIT),
        Span("sex", 1, 20, 21, Kind.ALPHA),
        Span("expiry_date", 1, 21, 27, Kind.DIGIT),
        Span("expiry_date_check", 1, 27, 28, Kind.DIGIT),
        Span("optional_data", 1, 28, optional_end, Kind.ALNUM),
    ]


def _line1_header(length: int) -> list[Span]:
    return [
        Span("document_code", 0, 0, 2, Kind.ALPHA),
        Span("issuing_country", 0, 2, 5, Kind.ALPHA),
        Span("name", 0, 5, length, Kind.ALPHA),
    ]


_COMMON_CHECKS = (
    Check("document_number", ((1, 0, 9),), 1, 9),
    Check("date_of_birth", ((1, 13, 19),), 1, 19),
    Check("expiry_date", ((1, 21, 27),), 1, 27),
)

TD3 = Layout(
    "TD3",
    2,
    44,
    (
        *_line1_header(44),
        *_line2_common(42),
        Span("personal_number_check", 1, 42, 43, Kind.DIGIT),
        Span("composite_check", 1, 43, 44, Kind.DIGIT),
    ),
    (
        *_COMMON_CHECKS,
        Check("personal_number", ((1, 28, 42),), 1, 42),
        Check("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 43)), 1, 43),
    ),
)

TD2 = Layout(
    "TD2",
    2,
    36,
    (*_line1_header(36), *_line2_common(35), Span("composite_check", 1, 35, 36, Kind.DIGIT)),
    (*_COMMON_CHECKS, Check("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 35)), 1, 35)),
)

MRVA = Layout("MRVA", 2, 44, (*_line1_header(44), *_line2_common(44)), _COMMON_CHECKS)
MRVB = Layout("MRVB", 2, 36, (*_line1_header(36), *_line2_common(36)), _COMMON_CHECKS)

TD1 = Layout(
    "TD1",
    3,
    30,
    (
        Span("document_code", 0, 0, 2, Kind.ALPHA),
        Span("issuing_country", 0, 2, 5, Kind.ALPHA),
        Span("document_number", 0, 5, 14, Kind.ALNUM),
        Span("document_number_check", 0, 14, 15, Kind.DIGIT),
        Span("optional_data", 0, 15, 30, Kind.ALNUM),
        Span("date_of_birth", 1, 0, 6, Kind.DIGIT),
        Span("date_of_birth_check", 1, 6, 7, Kind.DIGIT),
        Span("sex", 1, 7, 8, Kind.ALPHA),
        Span("expiry_date", 1, 8, 14, Kind.DIGIT),
        Span("expiry_date_check", 1, 14, 15, Kind.DIGIT),
        Span("nationality", 1, 15, 18, Kind.ALPHA),
        Span("optional_data", 1, 18, 29, Kind.ALNUM),
        Span("composite_check", 1, 29, 30, Kind.DIGIT),
        Span("name", 2, 0, 30, Kind.ALPHA),
    ),
    (
        Check("document_number", ((0, 5, 14),), 0, 14),
        Check("date_of_birth", ((1, 0, 6),), 1, 6),
        Check("expiry_date", ((1, 8, 14),), 1, 14),
        Check("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), 1, 29),
    ),
)

LAYOUTS: dict[MRZType, Layout] = {layout.type: layout for layout in (TD1, TD2, TD3, MRVA, MRVB)}

# The French national identity card of 1988-2021 (still in use for years after)
# has an ID-2 sized zone of its own: surname and issuing office on line 1; issue
# year and month, office, card sequence, check, given names, birth, sex and a
# composite over both lines on line 2. No expiry and no nationality: the card is
# issued to French nationals only.
FRA_CNI = Layout(
    "TD2",
    2,
    36,
    (
        Span("document_code", 0, 0, 2, Kind.ALPHA),
        Span("issuing_country", 0, 2, 5, Kind.ALPHA),
        Span("surname", 0, 5, 30, Kind.ALPHA),
        Span("optional_data", 0, 30, 36, Kind.ALNUM),
        Span("issue_date", 1, 0, 4, Kind.DIGIT),
        Span("issuing_office", 1, 4, 7, Kind.ALNUM),
        Span("sequence_number", 1, 7, 12, Kind.DIGIT),
        Span("document_number_check", 1, 12, 13, Kind.DIGIT),
        Span("given_names", 1, 13, 27, Kind.ALPHA),
        Span("date_of_birth", 1, 27, 33, Kind.DIGIT),
        Span("date_of_birth_check", 1, 33, 34, Kind.DIGIT),
        Span("sex", 1, 34, 35, Kind.ALPHA),
        Span("composite_check", 1, 35, 36, Kind.DIGIT),
    ),
    (
        Check("document_number", ((1, 0, 12),), 1, 12),
        Check("date_of_birth", ((1, 27, 33),), 1, 33),
        Check("composite", ((0, 0, 36), (1, 0, 35)), 1, 35),
    ),
    variant="fra_cni_1988",
    nationality="FRA",
)

# A line one or two characters off is still recognisably an MRZ line of that
# format; parsing then reports the length instead of guessing a format.
_SLACK = 2


def _near(length: int, target: int) -> bool:
    return abs(length - target) <= _SLACK


def detect_layout(lines: list[str], is_country: Callable[[str], bool]) -> Layout:
    """The layout of an MRZ (lines already stripped): an ICAO type or a national layout.

    ``is_country`` tells an MRZ country code; the French card of the 1988 model
    starts ``IDFRA`` like an ICAO TD2 card but has digits where TD2 has the
    nationality.
    """
    kind = detect_type(lines)
    # Read the header as letters, so an OCR '1' for the 'I' does not hide the layout.
    header = "".join(DIGIT_TO_LETTER.get(char, char) for char in lines[0][:5])
    french = kind == "TD2" and header == "IDFRA" and len(lines[1]) >= 13
    if french and not is_country(lines[1][10:13].rstrip("<")):
        return FRA_CNI
    return LAYOUTS[kind]


def detect_type(lines: list[str]) -> MRZType:
    """Tell the MRZ format from the line count and lengths (lines already stripped).

    Raises :class:`InputError` when the lines cannot be a machine readable zone.
    """
    lengths = [len(line) for line in lines]
    shape = " x ".join(str(n) for n in lengths) or "no lines"
    if len(lines) == 3 and all(_near(n, 30) for n in lengths):
        return "TD1"
    if len(lines) == 2:
        is_visa = lines[0].startswith("V")
        if all(_near(n, 44) for n in lengths):
            return "MRVA" if is_visa else "TD3"
        if all(_near(n, 36) for n in lengths):
            return "MRVB" if is_visa else "TD2"
    raise InputError(
        f"not a machine readable zone: got {len(lines)} line(s) of length {shape}; "
        "expected 3 lines of 30 (TD1), 2 of 36 (TD2, MRV-B) or 2 of 44 (TD3, MRV-A)"
    )

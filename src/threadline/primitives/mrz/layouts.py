"""Where each field sits in the five MRZ formats, and telling the formats apart.

Positions are zero-based and end-exclusive here; messages to users count from 1
as Doc 9303 does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

from threadline.exc import InputError

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
    """The geometry of one MRZ type."""

    type: MRZType
    lines: int
    length: int
    spans: tuple[Span, ...]
    checks: tuple[Check, ...]


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

# A line one or two characters off is still recognisably an MRZ line of that
# format; parsing then reports the length instead of guessing a format.
_SLACK = 2


def _near(length: int, target: int) -> bool:
    return abs(length - target) <= _SLACK


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

"""Dates with partial precision: parse the forms sources use, compare with tolerance.

Watchlists often know only a birth year; a passenger list knows the full date;
a clerk may have swapped day and month. A comparison therefore returns a graded
agreement value with its reason rather than equal/not-equal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DateComparison",
    "PartialDate",
    "compare_dates",
    "date_agreement",
    "dates_apart",
    "parse_partial_date",
    "same_or_slip",
    "typing_slip",
]

_YMD = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


def _build(year: int, month: int | None, day: int | None) -> PartialDate | None:
    if not 1800 <= year <= 2200:
        return None
    if month is None:
        return PartialDate(year)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return PartialDate(year, month)
    try:
        date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def parse_partial_date(text: str | None) -> PartialDate | None:
    """Parse ``1974-08-12``, ``1974-08``, ``1974``, ``1974/08/12``, ``12.08.1974``, ``19740812``.

    Day-first forms (``12.08.1974``, ``12/08/1974``) are read as day.month.year,
    the European and ICAO convention. ISO timestamps keep their date part.
    Returns None for text that is not a valid date.
    """
    if text is None:
        return None
    value = text.strip()
    if "T" in value:
        value = value.split("T", 1)[0]
    match = _YMD.match(value)
    if match:
        year, month, day = match.groups()
        return _build(int(year), _int(month), _int(day))
    match = _DMY.match(value)
    if match:
        day, month, year = match.groups()
        return _build(int(year), int(month), int(day))
    match = _COMPACT.match(value)
    if match:
        year, month, day = match.groups()
        return _build(int(year), int(month), int(day))
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


@dataclass(frozen=True, slots=True)
class DateComparison:
    """How far two partial dates agree: ``value`` in -1 (contradict) .. 1 (same day).

    ``year_gap`` is how many years apart the two birth years are (0 when the same).
    """

    value: float
    reason: str
    year_gap: int = 0


def compare_dates(left: PartialDate, right: PartialDate, *, explain: bool = True) -> DateComparison:
    """Compare two partial dates at the precision both share.

    Agreement is graded by how much both sides actually know: the same full
    date is strong evidence, the same year alone is weak. Disagreement is graded
    too: a year one apart or a swapped day and month are typing errors more
    often than different people. With ``explain=False`` the reason is left
    empty (a screening pass that only needs the value to rank candidates).
    """
    value, reason, gap = _grade(left, right)
    return DateComparison(
        value, reason.format(left=left, right=right, gap=gap) if explain else "", gap
    )


def date_agreement(left: PartialDate, right: PartialDate) -> tuple[float, int]:
    """The value and year gap :func:`compare_dates` gives, without a reason or an object."""
    value, _reason, gap = _grade(left, right)
    return value, gap


# Two full dates one keyboard slip apart (one digit, two adjacent digits swapped) are
# graded no worse than this: "1985" typed "1958" is one person, not two 27 years apart.
SLIP_VALUE = -0.4


def _grade(left: PartialDate, right: PartialDate) -> tuple[float, str, int]:
    """The agreement value, the reason as a template and the gap in years."""
    value, reason, gap = _grade_fields(left, right)
    if value < SLIP_VALUE and left.day is not None and right.day is not None:
        slip = typing_slip(left, right)
        if slip is not None:
            return SLIP_VALUE, f"{slip}, a typing slip: {reason}", gap
    return value, reason, gap


def _grade_fields(left: PartialDate, right: PartialDate) -> tuple[float, str, int]:
    if left.year != right.year:
        gap = abs(left.year - right.year)
        if gap == 1:
            return -0.3, "birth years differ by one ({left} vs {right})", gap
        return -1.0, "birth years differ by {gap} ({left} vs {right})", gap
    if left.month is None or right.month is None:
        return 0.5, "same birth year {left.year}, no month to compare", 0
    if left.month != right.month:
        if _swapped(left, right):
            return 0.5, "day and month swapped ({left} vs {right})", 0
        return -0.6, "same year, different month ({left} vs {right})", 0
    if left.day is None or right.day is None:
        return 0.7, "same birth month {left.year}-{left.month:02d}, no day", 0
    if left.day != right.day:
        return -0.4, "same month, different day ({left} vs {right})", 0
    return 1.0, "same birth date {left}", 0


def typing_slip(left: PartialDate, right: PartialDate) -> str | None:
    """How two different full dates are one typing slip apart, or None.

    ``"one digit differs"``, ``"two digits transposed"`` (adjacent digits of
    YYYYMMDD) or ``"day and month swapped"``; None for equal dates, dates
    not both known to the day, and differences no single slip explains.
    """
    if left.day is None or right.day is None or left == right:
        return None
    if left.year != right.year and left.day != right.day:
        return None  # a digit of the year and one of the day: never one slip (not adjacent)
    if _swapped(left, right) and left.year == right.year:
        return "day and month swapped"
    a = f"{left.year:04d}{left.month:02d}{left.day:02d}"
    b = f"{right.year:04d}{right.month:02d}{right.day:02d}"
    differ = [i for i in range(8) if a[i] != b[i]]
    if len(differ) == 1:
        return "one digit differs"
    first = differ[0]
    if (
        len(differ) == 2
        and differ[1] == first + 1
        and a[first] == b[first + 1]
        and a[first + 1] == b[first]
    ):
        return "two digits transposed"
    return None


def _swapped(left: PartialDate, right: PartialDate) -> bool:
    return (
        left.day is not None
        and right.day is not None
        and left.day == right.month
        and left.month == right.day
    )


def same_or_slip(left: PartialDate, right: PartialDate) -> bool:
    """Whether two dates are equal, or two full dates one typing slip apart."""
    return left == right or typing_slip(left, right) is not None


def dates_apart(
    left_dates: Sequence[PartialDate], right_dates: Sequence[PartialDate]
) -> tuple[PartialDate, PartialDate] | None:
    """The closest pair of full birth dates when two persons' birth dates say they are two
    people, or None.

    Only when both sides know a full date, no pair of full dates is equal or a
    typing slip apart, and no pair of dates at all agrees (a year-only or
    year-month date that agrees leaves the decision as it was). Screening caps a
    match at ``possible`` by it, tracing holds such a pair back from the leads, and
    entity resolution keeps two such records out of one cluster.
    """
    if any(date_agreement(left, right)[0] >= 0 for left in left_dates for right in right_dates):
        return None
    closest: tuple[float, PartialDate, PartialDate] | None = None
    for left in (d for d in left_dates if d.day is not None):
        for right in (d for d in right_dates if d.day is not None):
            if same_or_slip(left, right):
                return None
            value, _gap = date_agreement(left, right)
            if closest is None or value > closest[0]:
                closest = (value, left, right)
    return None if closest is None else (closest[1], closest[2])

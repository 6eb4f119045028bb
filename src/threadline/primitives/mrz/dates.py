"""Two-digit MRZ years placed in a century, with the reason for each choice.

An MRZ writes dates as YYMMDD, so every year has a candidate in each century.
The rule, relative to a reference day (today unless the caller injects one):

- Expiry: the latest reading no more than ``HORIZON_YEARS`` (30) after today. A later
  expiry would mean a document issued in the future: ICAO recommends passports be
  valid for no more than ten years, and the longest validity any issuer grants is
  30 years (Belgian identity cards for holders over 75, since 2014). An expiry
  more than ten years ahead is kept but warned about.
- Birth: the latest reading that is not after today, not after the issue date
  where one is known, and before the expiry date. A birth pushed back a century by
  the expiry must still leave a holder younger than ``MAX_AGE_YEARS``; otherwise
  the two dates cannot both be right and the expiry is reported, not guessed.
- Unknown parts of a date of birth are written as fillers (Doc 9303 Part 3):
  ``7408<<`` is August 1974, ``74<<<<`` the year 1974, ``<<<<<<`` unknown.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from threadline.primitives.mrz.result import DateReading, Variant

HORIZON_YEARS = 30
LONG_VALIDITY_YEARS = 10
MAX_AGE_YEARS = 125


@dataclass(frozen=True, slots=True)
class Partial:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> date:
        """The first day the date may be."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day the date may be."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@dataclass(slots=True)
class Placed:
    """The dates of one zone placed in their centuries, with readings and problems."""

    birth: Partial | None = None
    expiry: Partial | None = None
    issue: Partial | None = None
    readings: list[DateReading] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _shape(raw: str) -> tuple[int, int | None, int | None] | None:
    """Year, month, day digits of ``YYMMDD`` with trailing unknown parts; None if malformed."""
    if raw.isdigit():
        return int(raw[:2]), int(raw[2:4]), int(raw[4:])
    if raw[:4].isdigit() and raw[4:] == "<<":
        return int(raw[:2]), int(raw[2:4]), None
    if raw[:2].isdigit() and raw[2:] == "<" * (len(raw) - 2):
        return int(raw[:2]), None, None
    return None


def _candidates(raw: str, around: date) -> list[Partial]:
    """Calendar readings of ``raw`` in the centuries around ``around``, latest first."""
    shape = _shape(raw)
    if shape is None:
        return []
    yy, month, day = shape
    out = []
    for century in range(around.year // 100 + 1, around.year // 100 - 3, -1):
        try:
            reading = Partial(century * 100 + yy, month, day)
            reading.earliest  # noqa: B018 - raises ValueError for 31 April, 29 February 1900
            reading.latest  # noqa: B018
        except ValueError:
            continue
        out.append(reading)
    return out


def place(
    birth: str | None,
    expiry: str | None,
    issue: str | None,
    *,
    today: date,
    issued: date | None = None,
) -> Placed:
    """Place the raw YYMMDD (or YYMM for ``issue``) dates of one zone."""
    placed = Placed()
    if issue is not None:
        placed.issue = _place_issue(issue, today, placed)
    if expiry is not None:
        placed.expiry = _place_expiry(expiry, today, placed)
    if birth is not None:
        placed.birth = _place_birth(birth, today, issued, placed)
    return placed


def _place_issue(raw: str, today: date, placed: Placed) -> Partial | None:
    readings = _candidates(raw + "<<", today) if raw.isdigit() else []
    readings = [p for p in readings if p.earliest <= today]
    if not readings:
        placed.errors.append(f"issue date {raw} is not a year and month (YYMM)")
        return None
    chosen = readings[0]
    later = _later(raw + "<<", chosen, today)
    rule = chosen.iso()
    if later:
        rule += f", not {later}: {later} would be after today ({today})"
    placed.readings.append(DateReading("issue_date", raw, chosen.iso(), rule))
    return chosen


def _later(raw: str, chosen: Partial, today: date) -> str | None:
    """The reading one century after ``chosen``, if it is a calendar date."""
    later = [p for p in _candidates(raw, add_years(today, 200)) if p.year == chosen.year + 100]
    return later[0].iso() if later else None


def _place_expiry(raw: str, today: date, placed: Placed) -> Partial | None:
    if raw == "<<<<<<":
        placed.variants.append(
            Variant(
                "no_expiry_date",
                "no expiry date: the zone writes the expiry as fillers, as some issuers do "
                "for documents issued without one (e.g. Moldovan identity cards for older "
                "holders); ICAO 9303 expects a date",
            )
        )
        placed.readings.append(DateReading("expiry_date", raw, None, "no expiry date (fillers)"))
        return None
    if not raw.isdigit() and _shape(raw) is not None:
        placed.errors.append(f"expiry date {raw} is incomplete: an expiry needs a full date")
        return None
    horizon = add_years(today, HORIZON_YEARS)
    readings = [p for p in _candidates(raw, today) if p.earliest <= horizon]
    if not readings:
        placed.errors.append(_not_a_date("expiry date", raw))
        return None
    chosen = readings[0]
    later = _later(raw, chosen, today)
    rule = chosen.iso()
    if later:
        rule += (
            f", not {later}: {later} would be more than {HORIZON_YEARS} years after today "
            f"({today}), longer than any document is valid"
        )
    placed.readings.append(DateReading("expiry_date", raw, chosen.iso(), rule))
    if chosen.earliest > add_years(today, LONG_VALIDITY_YEARS):
        placed.warnings.append(
            f"expiry date {chosen.iso()} is more than {LONG_VALIDITY_YEARS} years after today "
            f"({today}): ICAO recommends passports be valid for no more than ten years; only "
            "some identity cards run longer (up to 30 years)"
        )
    return chosen


def _not_a_date(label: str, raw: str) -> str:
    if _shape(raw) is None:
        return f"{label} {raw} is not a date (digits expected)"
    return f"{label} {raw} is not a calendar date"


def _place_birth(raw: str, today: date, issued: date | None, placed: Placed) -> Partial | None:
    if raw == "<<<<<<":
        placed.variants.append(
            Variant("birth_date_unknown", "date of birth unknown: the zone writes it as fillers")
        )
        placed.readings.insert(0, DateReading("date_of_birth", raw, None, "unknown (fillers)"))
        return None
    readings = _candidates(raw, today)
    if not readings:
        placed.errors.append(_not_a_date("date of birth", raw))
        return None
    limits = [(today, f"after today ({today})")]
    if issued is not None:
        limits.append((issued, f"after the issue date ({issued})"))
    if placed.issue is not None:
        limits.append((placed.issue.latest, f"after the issue date ({placed.issue.iso()})"))
    expiry = placed.expiry
    every = limits if expiry is None else [*limits, (expiry.earliest, _AFTER_EXPIRY)]
    chosen, rejected = _latest_within(readings, every)
    if expiry is not None and not _alive(chosen, today):
        # Both dates cannot be right; report the expiry rather than guess either.
        chosen, rejected = _latest_within(readings, limits)
        placed.errors.append(_conflict(raw, chosen, placed, today))
        placed.expiry = None
        placed.readings = [r for r in placed.readings if r.field != "expiry_date"]
    if chosen is None or not _alive(chosen, today):
        placed.errors.append(f"date of birth {raw} has no plausible century")
        return None
    rule = chosen.iso()
    if rejected is not None:
        rule += f", not {rejected[0]}: {rejected[0]} would be {rejected[1]}"
    placed.readings.insert(0, DateReading("date_of_birth", raw, chosen.iso(), rule))
    if chosen.day is None:
        placed.variants.append(
            Variant(
                "birth_date_partly_unknown",
                f"date of birth partly unknown ({raw}): Doc 9303 Part 3 writes unknown parts "
                f"as fillers; read as {chosen.iso()}",
            )
        )
    return chosen


_AFTER_EXPIRY = "after the expiry date"


def _alive(reading: Partial | None, today: date) -> bool:
    """A holder born on ``reading`` could be alive today."""
    return reading is not None and reading.latest >= add_years(today, -MAX_AGE_YEARS)


def _latest_within(
    readings: list[Partial], limits: list[tuple[date, str]]
) -> tuple[Partial | None, tuple[str, str] | None]:
    """The latest reading within every limit, and the later reading it beat (and why)."""
    rejected: tuple[str, str] | None = None
    for reading in readings:
        broken = next((why for limit, why in limits if not _within(reading, limit, why)), None)
        if broken is None:
            return reading, rejected
        if broken == _AFTER_EXPIRY:
            broken = f"{_AFTER_EXPIRY} ({next(lim for lim, w in limits if w == broken)})"
        rejected = (reading.iso(), broken)
    return None, rejected


def _within(reading: Partial, limit: date, why: str) -> bool:
    # Born before the expiry date; on the day of issue (or today) at the latest.
    if why == _AFTER_EXPIRY:
        return reading.earliest < limit
    return reading.earliest <= limit


def _conflict(raw: str, birth: Partial | None, placed: Placed, today: date) -> str:
    expiry = placed.expiry
    assert expiry is not None
    expiry_raw = next(r.read for r in placed.readings if r.field == "expiry_date")
    born = f" ({birth.iso()})" if birth is not None else ""
    return (
        f"expiry date {expiry_raw} cannot follow the date of birth {raw}{born}: "
        f"{expiry.iso()} is before it and {add_years(expiry.earliest, 100)} would be more "
        f"than {HORIZON_YEARS} years after today ({today}); a birth a century earlier would "
        f"make the holder older than {MAX_AGE_YEARS}"
    )

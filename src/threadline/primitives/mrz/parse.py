"""Parse and validate a machine readable zone (ICAO Doc 9303) into an explained result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from threadline.exc import InputError
from threadline.primitives.mrz.checkdigit import ALPHABET
from threadline.primitives.mrz.codes import is_mrz_country
from threadline.primitives.mrz.layouts import LAYOUTS, Layout, MRZType, detect_type
from threadline.primitives.mrz.zone import (
    Correction,
    Position,
    Zone,
    apply_field_types,
    describe_failure,
    document_number_positions,
    evaluate,
    prepare_overflow_check,
    repair_alphanumeric,
    span_positions,
)


@dataclass(frozen=True, slots=True)
class MRZFields:
    """The data fields of an MRZ, fillers removed; dates are ISO strings or None."""

    document_code: str
    issuing_country: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: str | None
    sex: str | None
    expiry_date: str | None
    optional_data: str

    def to_dict(self) -> dict[str, str | None]:
        """JSON-ready form of the fields."""
        return {
            "document_code": self.document_code,
            "issuing_country": self.issuing_country,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "optional_data": self.optional_data,
        }


@dataclass(frozen=True, slots=True)
class MRZResult:
    """A parsed MRZ with every check, every OCR correction and every problem as data.

    ``valid`` is true when every check digit passes and the dates, sex and country
    codes are plausible. ``lines`` holds the zone after corrections.
    """

    type: MRZType
    valid: bool
    checks: dict[str, bool]
    fields: MRZFields
    corrections: list[Correction] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lines: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """``{type, valid, checks, fields, corrections, errors}`` ready for JSON."""
        return {
            "type": self.type,
            "valid": self.valid,
            "checks": dict(self.checks),
            "fields": self.fields.to_dict(),
            "corrections": [c.to_dict() for c in self.corrections],
            "errors": list(self.errors),
        }


def normalise_lines(lines: Sequence[str]) -> list[str]:
    """Strip surrounding whitespace, upper-case and drop blank lines."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    return [line.strip().upper() for line in lines if line.strip()]


def parse_mrz(lines: Sequence[str], *, today: date | None = None) -> MRZResult:
    """Parse and validate the lines of one MRZ (TD1, TD2, TD3, MRV-A or MRV-B).

    ``today`` decides the century of a two-digit birth year (a birth date is never
    in the future). Raises :class:`InputError` when the lines are not an MRZ, have
    the wrong length or contain characters outside ``A-Z``, ``0-9`` and ``<``.
    """
    clean = normalise_lines(lines)
    layout = LAYOUTS[detect_type(clean)]
    _require_shape(layout, clean)
    zone = Zone(layout, [list(line) for line in clean])
    apply_field_types(zone)
    prepare_overflow_check(zone)
    for name in ("document_number", "personal_number"):
        if any(check.name == name for check in layout.checks):
            repair_alphanumeric(zone, name)
    checks = {check.name: evaluate(zone, check) for check in layout.checks}
    errors = [describe_failure(zone, c) for c in layout.checks if not checks[c.name]]
    errors.extend(zone.problems)
    fields = _fields(zone, today or date.today(), errors)
    return MRZResult(
        type=layout.type,
        valid=all(checks.values()) and not errors,
        checks=checks,
        fields=fields,
        corrections=list(zone.corrections),
        errors=errors,
        lines=tuple("".join(row) for row in zone.rows),
    )


def _require_shape(layout: Layout, lines: list[str]) -> None:
    for number, line in enumerate(lines, start=1):
        if len(line) != layout.length:
            difference = len(line) - layout.length
            what = "extra" if difference > 0 else "missing"
            raise InputError(
                f"{layout.type} line {number} has {len(line)} characters instead of "
                f"{layout.length} ({abs(difference)} {what}); re-read the zone"
            )
        for index, char in enumerate(line):
            if char not in ALPHABET:
                raise InputError(
                    f"{layout.type} line {number}, position {index + 1}: {char!r} is not an "
                    "MRZ character (A-Z, 0-9 and the filler '<')"
                )


def _span_text(zone: Zone, name: str, line: int | None = None) -> list[str]:
    return [
        zone.text(span_positions(s.line, s.start, s.end))
        for s in zone.layout.spans
        if s.name == name and (line is None or s.line == line)
    ]


def _fields(zone: Zone, today: date, errors: list[str]) -> MRZFields:
    number_positions, check_at = document_number_positions(zone)
    code = _span_text(zone, "document_code")[0].rstrip("<")
    issuing = _country(_span_text(zone, "issuing_country")[0], "issuing country", errors)
    nationality = _country(_span_text(zone, "nationality")[0], "nationality", errors)
    surname, given = _names(_span_text(zone, "name")[0], errors)
    birth = _date(_span_text(zone, "date_of_birth")[0], "date of birth", today, errors)
    expiry = _date(_span_text(zone, "expiry_date")[0], "expiry date", None, errors)
    return MRZFields(
        document_code=code,
        issuing_country=issuing,
        surname=surname,
        given_names=given,
        document_number=zone.text(number_positions).rstrip("<"),
        nationality=nationality,
        date_of_birth=birth,
        sex=_sex(_span_text(zone, "sex")[0], errors),
        expiry_date=expiry,
        optional_data=_optional(zone, set(number_positions) | {check_at}),
    )


def _country(raw: str, label: str, errors: list[str]) -> str:
    code = raw.rstrip("<")
    if not is_mrz_country(code):
        errors.append(f"{label} {raw!r} is not an ISO 3166-1 alpha-3 or ICAO-reserved code")
    return code


def _names(raw: str, errors: list[str]) -> tuple[str, str]:
    surname, _, given = raw.partition("<<")
    if any(not (char.isalpha() or char == "<") for char in raw):
        errors.append(f"name {raw.rstrip('<')!r} contains characters that are not letters")
    return _words(surname), _words(given)


def _words(part: str) -> str:
    # Inside a name '<' stands for a space; runs of fillers are padding.
    return " ".join(word for word in part.split("<") if word)


def _sex(raw: str, errors: list[str]) -> str | None:
    if raw in ("M", "F"):
        return raw
    if raw in ("<", "X"):
        return "X"
    errors.append(f"sex {raw!r} is not M, F, X or '<'")
    return None


def _date(raw: str, label: str, birth_before: date | None, errors: list[str]) -> str | None:
    """ISO date for YYMMDD; a birth date takes the latest century not in the future."""
    if not raw.isdigit():
        errors.append(f"{label} {raw} is not a date (digits expected)")
        return None
    yy, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    centuries = (2000, 1900) if birth_before is not None else (2000,)
    for century in centuries:
        try:
            value = date(century + yy, month, day)
        except ValueError:
            continue
        if birth_before is None or value <= birth_before:
            return value.isoformat()
    errors.append(f"{label} {raw} is not a calendar date")
    return None


def _optional(zone: Zone, used: set[Position]) -> str:
    parts = []
    for span in zone.layout.spans:
        if span.name != "optional_data":
            continue
        positions = [p for p in span_positions(span.line, span.start, span.end) if p not in used]
        text = zone.text(positions).strip("<")
        if text:
            parts.append(text)
    return " ".join(parts)

"""Parse and validate a machine readable zone (ICAO Doc 9303) into an explained result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from threadline.exc import InputError
from threadline.primitives.mrz.checkdigit import ALPHABET
from threadline.primitives.mrz.codes import is_mrz_country
from threadline.primitives.mrz.dates import Placed, place
from threadline.primitives.mrz.layouts import Layout, detect_layout
from threadline.primitives.mrz.ocr import read_zone
from threadline.primitives.mrz.result import (
    CheckDigit,
    MRZFields,
    MRZResult,
    Suggestion,
    Variant,
)
from threadline.primitives.mrz.specimens import specimen_reasons
from threadline.primitives.mrz.variants import (
    french_card_variant,
    judge_checks,
    long_number_variant,
)
from threadline.primitives.mrz.zone import (
    Position,
    Zone,
    document_number_positions,
    span_positions,
)

# ICAO 9303 document codes by the first letter: P passports, V visas, and A, C
# or I for the official travel documents (identity cards and the like).
_FIRST_LETTERS = {"TD3": "P", "MRVA": "V", "MRVB": "V", "TD1": "ACI", "TD2": "ACI"}


def normalise_lines(lines: Sequence[str]) -> list[str]:
    """Strip surrounding whitespace, upper-case and drop blank lines."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    return [line.strip().upper() for line in lines if line.strip()]


def parse_mrz(
    lines: Sequence[str], *, today: date | None = None, issued: date | None = None
) -> MRZResult:
    """Parse and validate the lines of one MRZ (TD1, TD2, TD3, MRV-A, MRV-B, French card).

    ``today`` (the real date by default) places two-digit years: an expiry no more
    than 30 years ahead, a birth neither in the future nor after ``issued`` (the
    issue date, where the caller knows it) or the expiry. OCR confusions are
    corrected only where the composite check digit confirms them; the others are
    returned as suggestions. Issuer variants and specimens are named in the result.
    Raises :class:`InputError` when the lines are not an MRZ, have the wrong length
    or contain characters outside ``A-Z``, ``0-9`` and ``<``.
    """
    clean = normalise_lines(lines)
    layout = detect_layout(clean, is_mrz_country)
    _require_shape(layout, clean)
    day = today or date.today()
    zone = Zone(layout, [list(line) for line in clean])
    suggestions = read_zone(zone)
    reading = _read(zone, day, issued)
    errors = reading.errors + zone.problems
    return MRZResult(
        type=layout.type,
        valid=all(c.passed for c in reading.checks) and not errors,
        checks={c.check: c.passed for c in reading.checks},
        fields=reading.fields,
        corrections=list(zone.corrections),
        errors=errors,
        lines=zone.lines(),
        warnings=[*reading.specimen, *(v.detail for v in reading.variants), *reading.warnings],
        specimen=bool(reading.specimen),
        variants=reading.variants,
        check_digits=reading.checks,
        dates=reading.dates.readings,
        suggestions=suggestions,
        suggested_fields=_suggested_fields(zone, suggestions, day, issued),
        reference_date=day,
    )


@dataclass(slots=True)
class _Reading:
    """Everything read from a zone once its OCR corrections are settled."""

    fields: MRZFields
    checks: list[CheckDigit]
    dates: Placed
    variants: list[Variant] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    specimen: list[str] = field(default_factory=list)


def _read(zone: Zone, today: date, issued: date | None) -> _Reading:
    errors: list[str] = []
    issuer = _text(zone, "issuing_country").rstrip("<")
    checks, variants, check_errors = judge_checks(zone, issuer)
    placed = place(
        zone.span_text("date_of_birth"),
        zone.span_text("expiry_date"),
        zone.span_text("issue_date"),
        today=today,
        issued=issued,
    )
    fields = _fields(zone, placed, errors)
    layout_variant = _layout_variant(zone, fields.document_number, placed)
    all_variants = [*layout_variant, *variants, *placed.variants]
    return _Reading(
        fields=fields,
        checks=checks,
        dates=placed,
        variants=all_variants,
        errors=check_errors + errors + placed.errors,
        warnings=placed.warnings,
        specimen=specimen_reasons(fields),
    )


def _layout_variant(zone: Zone, number: str, placed: Placed) -> list[Variant]:
    if zone.layout.variant == "fra_cni_1988":
        return [french_card_variant(placed.issue, placed.birth)]
    long_number = long_number_variant(zone, number)
    return [long_number] if long_number else []


def _suggested_fields(
    zone: Zone, suggestions: list[Suggestion], today: date, issued: date | None
) -> MRZFields | None:
    """The fields with every unambiguous suggestion applied, or None when there is none."""
    per_field: dict[str, list[Suggestion]] = {}
    for suggestion in suggestions:
        per_field.setdefault(suggestion.field, []).append(suggestion)
    single = [found[0] for found in per_field.values() if len(found) == 1]
    if not single:
        return None
    copy = Zone(zone.layout, [list(row) for row in zone.rows])
    for suggestion in single:
        for change in suggestion.changes:
            copy.rows[change.line - 1][change.position - 1] = change.to_char
    return _read(copy, today, issued).fields


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


def _text(zone: Zone, name: str) -> str:
    return zone.span_text(name) or ""


def _fields(zone: Zone, placed: Placed, errors: list[str]) -> MRZFields:
    layout = zone.layout
    number_positions, check_at = document_number_positions(zone)
    code = _document_code(_text(zone, "document_code"), layout, errors)
    issuing = _country(_text(zone, "issuing_country"), "issuing country", errors)
    if layout.nationality is not None:
        nationality = layout.nationality
    else:
        nationality = _country(_text(zone, "nationality"), "nationality", errors)
    if layout.span("name") is not None:
        surname, given = _names(_text(zone, "name"), errors)
    else:
        surname = _words(_text(zone, "surname"))
        given = _words(_text(zone, "given_names"))
        _names(_text(zone, "surname") + "<<" + _text(zone, "given_names"), errors)
    return MRZFields(
        document_code=code,
        issuing_country=issuing,
        surname=surname,
        given_names=given,
        document_number=zone.text(number_positions).rstrip("<"),
        nationality=nationality,
        date_of_birth=placed.birth.iso() if placed.birth else None,
        sex=_sex(_text(zone, "sex"), errors),
        expiry_date=placed.expiry.iso() if placed.expiry else None,
        optional_data=_optional(zone, set(number_positions) | {check_at}),
        issue_date=placed.issue.iso() if placed.issue else None,
    )


def _document_code(raw: str, layout: Layout, errors: list[str]) -> str:
    code = raw.rstrip("<")
    if not raw[:1].isalpha() or not all(c.isalpha() or c == "<" for c in raw):
        errors.append(f"document code {raw!r} must be letters (and a filler)")
    elif code[0] not in _FIRST_LETTERS[layout.type]:
        allowed = " or ".join(_FIRST_LETTERS[layout.type])
        errors.append(
            f"document code {code!r} does not fit a {layout.type} zone, whose code starts "
            f"with {allowed}"
        )
    return code


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

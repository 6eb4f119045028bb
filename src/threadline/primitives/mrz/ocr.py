"""OCR confusions (O/0, I/1, B/8, S/5, Z/2, G/6): corrected only when a check confirms them.

Two kinds of reading are possible. A letter in a digit field (or a digit in a
letter field) can only be one character; a confusable character in a document
or personal number is found by trying each swap against the field's check
digit. Either way a reading is applied only when the composite check digit,
which covers the same characters independently, passes with it. Everything
else (visas have no composite; names, nationality and sex are covered by no
check digit at all) stays as read and is offered as a :class:`Suggestion`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

from threadline.primitives.mrz.checkdigit import CONFUSABLE, DIGIT_TO_LETTER, LETTER_TO_DIGIT
from threadline.primitives.mrz.layouts import Check, Kind
from threadline.primitives.mrz.result import Correction, Suggestion
from threadline.primitives.mrz.variants import passes_by_issuer_variant
from threadline.primitives.mrz.zone import (
    Position,
    Zone,
    check_inputs,
    covered_positions,
    document_number_positions,
    evaluate,
    overflow_positions,
    span_positions,
)

# Each swap tried spends the check digit's power to catch a misread (it passes
# by chance one time in ten), so one change per field and few positions.
_MAX_REPAIR_POSITIONS = 12
_ALNUM_CHECKS = ("document_number", "personal_number")


@dataclass(frozen=True, slots=True)
class Reading:
    """One proposed character at one position, and the field it belongs to."""

    position: Position
    to_char: str
    field: str


def read_zone(zone: Zone) -> list[Suggestion]:
    """Apply the readings the composite confirms to ``zone``; return the others as suggestions."""
    forced = _forced_readings(zone)
    original = {r.position: zone.char(r.position) for r in forced}
    _apply(zone, forced)
    swaps = {name: _swaps(zone, name) for name in _failing_alnum(zone)}
    composite = zone.layout.check("composite")
    combos = _confirmed(zone, composite, swaps) if composite is not None else []
    _apply(zone, [Reading(p, c, "") for p, c in original.items()])  # back to the zone as read
    if composite is not None and len(combos) == 1:
        return _confirm(zone, forced, combos[0], [*covered_positions(composite), _at(composite)])
    _report_ambiguity(zone, swaps)
    if composite is None:
        reason = "not applied: this format has no composite check digit to confirm it"
    elif combos:
        reason = "not applied: several readings pass the composite check digit"
    else:
        reason = "not applied: the composite check digit does not confirm it"
    suggestions = _forced_suggestions(zone, forced, reason, covered=set())
    for name, options in swaps.items():
        why = reason if len(options) == 1 else _ambiguous(name, len(options))
        suggestions.extend(_swap_suggestion(zone, name, option, why) for option in options)
    return suggestions


def _at(check: Check) -> Position:
    return (check.line, check.position)


def _forced_readings(zone: Zone) -> list[Reading]:
    """Characters of the wrong kind for their field, mapped to the only character they can be."""
    readings = []
    for span in zone.layout.spans:
        if span.kind is Kind.ALNUM:
            continue
        mapping = LETTER_TO_DIGIT if span.kind is Kind.DIGIT else DIGIT_TO_LETTER
        for position in span_positions(span.line, span.start, span.end):
            char = zone.char(position)
            if char in mapping:
                readings.append(Reading(position, mapping[char], span.name))
    overflow = overflow_positions(zone)
    if overflow and zone.char(overflow[-1]) in LETTER_TO_DIGIT:
        # A long number's check digit sits in the optional data, which allows letters.
        at = overflow[-1]
        readings.append(Reading(at, LETTER_TO_DIGIT[zone.char(at)], "document_number_check"))
    return readings


def _apply(zone: Zone, readings: list[Reading]) -> None:
    for reading in readings:
        zone.rows[reading.position[0]][reading.position[1]] = reading.to_char


def _failing_alnum(zone: Zone) -> list[str]:
    failing = [
        name
        for name in _ALNUM_CHECKS
        if (check := zone.layout.check(name)) is not None and not evaluate(zone, check)
    ]
    if "document_number" in failing and passes_by_issuer_variant(zone):
        failing.remove("document_number")  # judged (and named) as the issuer's variant
    return failing


def _field_positions(zone: Zone, name: str) -> list[Position]:
    check = zone.layout.check(name)
    assert check is not None
    if name == "document_number":
        return document_number_positions(zone)[0]
    return span_positions(*check.covers[0])


def _swaps(zone: Zone, name: str) -> list[tuple[Position, ...]]:
    """Single confusable swaps in an alphanumeric field that make its check digit pass."""
    check = zone.layout.check(name)
    assert check is not None
    alnum = {
        p
        for span in zone.layout.spans
        if span.kind is Kind.ALNUM
        for p in span_positions(span.line, span.start, span.end)
    }
    candidates = [
        p for p in _field_positions(zone, name) if p in alnum and zone.char(p) in CONFUSABLE
    ]
    if len(candidates) > _MAX_REPAIR_POSITIONS:
        return []
    return [(p,) for p in candidates if _passes_with(zone, check, (p,))]


def _passes_with(zone: Zone, check: Check, chosen: tuple[Position, ...]) -> bool:
    saved = [(p, zone.char(p)) for p in chosen]
    for (line, index), char in saved:
        zone.rows[line][index] = CONFUSABLE[char]
    try:
        return evaluate(zone, check)
    finally:
        for (line, index), char in saved:
            zone.rows[line][index] = char


def _confirmed(
    zone: Zone, composite: Check, swaps: dict[str, list[tuple[Position, ...]]]
) -> list[dict[str, tuple[Position, ...]]]:
    """Every choice of one swap per failing field with which the composite passes."""
    names = list(swaps)
    choices = [swaps[name] or [()] for name in names]
    passing = []
    for combo in product(*choices):
        chosen = tuple(p for option in combo for p in option)
        if _passes_with(zone, composite, chosen):
            passing.append(dict(zip(names, combo, strict=True)))
    return passing


def _confirm(
    zone: Zone,
    forced: list[Reading],
    combo: dict[str, tuple[Position, ...]],
    covered: list[Position],
) -> list[Suggestion]:
    inside = set(covered)
    for reading in forced:
        if reading.position in inside:
            kind = "digit" if reading.to_char.isdigit() else "letter"
            zone.set(
                reading.position,
                reading.to_char,
                reading.field,
                f"{kind} expected in {reading.field}; the composite check digit confirms it",
            )
    for name, option in combo.items():
        label = name.replace("_", " ")
        for position in option:
            zone.set(
                position,
                CONFUSABLE[zone.char(position)],
                name,
                f"confusable character; the corrected {label} passes its check digit "
                "and the composite check digit",
            )
    return _forced_suggestions(zone, forced, "", covered=inside)


def _forced_suggestions(
    zone: Zone, forced: list[Reading], reason: str, *, covered: set[Position]
) -> list[Suggestion]:
    """One suggestion per field for the forced readings not applied (outside ``covered``)."""
    suggestions = []
    for name, readings in _by_field(r for r in forced if r.position not in covered):
        positions = _positions_of(zone, name, readings)
        label = name.replace("_", " ")
        why = reason or f"not applied: no check digit covers the {label}"
        if not _checked(zone, readings):
            why = f"not applied: no check digit covers the {label}"
        suggestions.append(_suggestion(zone, name, positions, readings, why))
    return suggestions


def _checked(zone: Zone, readings: list[Reading]) -> bool:
    """True when some check digit covers (or is) one of the readings' positions."""
    spots = {r.position for r in readings}
    for check in zone.layout.checks:
        if spots & (set(covered_positions(check)) | {_at(check)}):
            return True
    return bool(spots & set(overflow_positions(zone)))


def _by_field(readings: Iterator[Reading]) -> list[tuple[str, list[Reading]]]:
    grouped: dict[str, list[Reading]] = {}
    for reading in readings:
        grouped.setdefault(reading.field, []).append(reading)
    return list(grouped.items())


def _positions_of(zone: Zone, name: str, readings: list[Reading]) -> list[Position]:
    span = zone.layout.span(name)
    if span is None:
        return [r.position for r in readings]
    positions = span_positions(span.line, span.start, span.end)
    if not {r.position for r in readings} <= set(positions):
        return [r.position for r in readings]
    return positions


def _suggestion(
    zone: Zone, name: str, positions: list[Position], readings: list[Reading], reason: str
) -> Suggestion:
    new = {r.position: r.to_char for r in readings}
    changes = tuple(
        Correction(p[0] + 1, p[1] + 1, zone.char(p), new[p], name, reason) for p in sorted(new)
    )
    reading = "".join(new.get(p, zone.char(p)) for p in positions)
    return Suggestion(name, zone.text(positions), reading, changes, reason)


def _swap_suggestion(
    zone: Zone, name: str, option: tuple[Position, ...], reason: str
) -> Suggestion:
    readings = [Reading(p, CONFUSABLE[zone.char(p)], name) for p in option]
    return _suggestion(zone, name, _field_positions(zone, name), readings, reason)


def _ambiguous(name: str, count: int) -> str:
    return f"not applied: {count} readings pass the {name.replace('_', ' ')} check digit"


def _report_ambiguity(zone: Zone, swaps: dict[str, list[tuple[Position, ...]]]) -> None:
    for name, options in swaps.items():
        if len(options) < 2:
            continue
        positions = _field_positions(zone, name)
        readings = sorted(
            "".join(CONFUSABLE[zone.char(p)] if p in option else zone.char(p) for p in positions)
            for option in options
        )
        data, _ = check_inputs(zone, _check(zone, name))
        zone.problems.append(
            f"{name.replace('_', ' ')} {data!r} fails its check digit and {len(readings)} OCR "
            f"readings would pass ({', '.join(readings)}); not corrected"
        )


def _check(zone: Zone, name: str) -> Check:
    check = zone.layout.check(name)
    assert check is not None
    return check

"""The character grid of one MRZ: OCR correction by field type and check digit evaluation.

Corrections are recorded as data so a reviewer sees exactly which characters
were changed and why; nothing is changed silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from threadline.primitives.mrz.checkdigit import (
    CONFUSABLE,
    DIGIT_TO_LETTER,
    LETTER_TO_DIGIT,
    check_digit,
    check_passes,
)
from threadline.primitives.mrz.layouts import Check, Kind, Layout

Position = tuple[int, int]  # (line, index), both zero-based

# Each variant passes a check digit by chance with probability 1/10, so every
# variant tried spends the check digit's power to detect a misread. One change
# at a time keeps false repairs rare; a number with two misreads stays failing.
_MAX_REPAIR_CHANGES = 1
_MAX_REPAIR_POSITIONS = 12


@dataclass(frozen=True, slots=True)
class Correction:
    """One character changed before validation (line and position count from 1)."""

    line: int
    position: int
    from_char: str
    to_char: str
    field: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``{line, position, from, to, field, reason}``."""
        return {
            "line": self.line,
            "position": self.position,
            "from": self.from_char,
            "to": self.to_char,
            "field": self.field,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Zone:
    """A mutable grid of MRZ characters with the corrections applied to it."""

    layout: Layout
    rows: list[list[str]]
    corrections: list[Correction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def text(self, positions: list[Position]) -> str:
        """The characters at ``positions`` joined."""
        return "".join(self.rows[line][index] for line, index in positions)

    def set(self, position: Position, char: str, field_name: str, reason: str) -> None:
        """Replace one character and record the correction."""
        line, index = position
        old = self.rows[line][index]
        self.rows[line][index] = char
        self.corrections.append(Correction(line + 1, index + 1, old, char, field_name, reason))


def span_positions(line: int, start: int, end: int) -> list[Position]:
    """Positions of a span on one line."""
    return [(line, index) for index in range(start, end)]


def apply_field_types(zone: Zone) -> None:
    """Map confusable characters to the kind (letter or digit) their field requires."""
    for span in zone.layout.spans:
        if span.kind is Kind.ALNUM:
            continue  # alphanumeric fields are only repaired against a check digit
        mapping = LETTER_TO_DIGIT if span.kind is Kind.DIGIT else DIGIT_TO_LETTER
        wanted = "digit" if span.kind is Kind.DIGIT else "letter"
        for position in span_positions(span.line, span.start, span.end):
            char = zone.rows[position[0]][position[1]]
            if char in mapping:
                zone.set(position, mapping[char], span.name, f"{wanted} expected in {span.name}")


def document_number_positions(zone: Zone) -> tuple[list[Position], Position]:
    """Positions of the document number and of its check digit.

    TD1 and TD2 let a number longer than nine characters continue in the optional
    data: the check digit position then holds ``<`` and the overflow ends with
    the check digit (Doc 9303 Parts 5 and 6).
    """
    check = _check(zone.layout, "document_number")
    line, start, end = check.covers[0]
    positions = span_positions(line, start, end)
    check_at: Position = (check.line, check.position)
    if zone.layout.type not in ("TD1", "TD2") or zone.rows[check.line][check.position] != "<":
        return positions, check_at
    optional = next(s for s in zone.layout.spans if s.name == "optional_data" and s.line == line)
    overflow: list[Position] = []
    for index in range(optional.start, optional.end):
        if zone.rows[line][index] == "<":
            break
        overflow.append((line, index))
    if not overflow:
        return positions, check_at
    return positions + overflow[:-1], overflow[-1]


def _check(layout: Layout, name: str) -> Check:
    return next(check for check in layout.checks if check.name == name)


def check_inputs(zone: Zone, check: Check) -> tuple[str, Position]:
    """The data a check digit covers and the position of the digit itself."""
    if check.name == "document_number":
        positions, at = document_number_positions(zone)
        return zone.text(positions), at
    positions = [p for covered in check.covers for p in span_positions(*covered)]
    return zone.text(positions), (check.line, check.position)


def evaluate(zone: Zone, check: Check) -> bool:
    """True when the check digit of ``check`` matches its data."""
    data, (line, index) = check_inputs(zone, check)
    digit = zone.rows[line][index]
    if check.name == "personal_number" and digit == "<" and set(data) <= {"<"}:
        return True  # Doc 9303 Part 4: an empty personal number may have a filler check
    return check_passes(data, digit)


def describe_failure(zone: Zone, check: Check) -> str:
    """A human-readable sentence for a failing check digit."""
    data, (line, index) = check_inputs(zone, check)
    label = check.name.replace("_", " ")
    return (
        f"{label} check digit {zone.rows[line][index]!r} (line {line + 1}, position "
        f"{index + 1}) does not match {data!r}, which gives {check_digit(data)}"
    )


def prepare_overflow_check(zone: Zone) -> None:
    """Map a letter read in a long document number's overflow check digit to a digit."""
    _, at = document_number_positions(zone)
    check = _check(zone.layout, "document_number")
    if at == (check.line, check.position):
        return
    char = zone.rows[at[0]][at[1]]
    if char in LETTER_TO_DIGIT:
        zone.set(at, LETTER_TO_DIGIT[char], "document_number_check", "digit expected")


def repair_alphanumeric(zone: Zone, name: str) -> None:
    """Try OCR-confusable alternatives in a failing alphanumeric field.

    A variant is accepted only when it is the single variant with the fewest
    changes that makes the field's check digit pass and, where the format has
    one, the composite check digit too; an ambiguous field is left as read and
    the ambiguity reported.
    """
    check = _check(zone.layout, name)
    if evaluate(zone, check):
        return
    if name == "document_number":
        positions, _ = document_number_positions(zone)
    else:
        positions = span_positions(*check.covers[0])
    candidates = [p for p in positions if zone.rows[p[0]][p[1]] in CONFUSABLE]
    if len(candidates) > _MAX_REPAIR_POSITIONS:
        return
    composite = next((c for c in zone.layout.checks if c.name == "composite"), None)
    for count in range(1, min(_MAX_REPAIR_CHANGES, len(candidates)) + 1):
        passing = [
            chosen
            for chosen in combinations(candidates, count)
            if _passes_with(zone, check, chosen)
        ]
        if composite is not None:
            # The composite covers the same characters: a reading it rejects is a guess.
            passing = [c for c in passing if _passes_with(zone, composite, c)]
        if len(passing) == 1:
            label = name.replace("_", " ")
            reason = f"confusable character; the corrected {label} passes its check digit"
            for position in passing[0]:
                zone.set(position, CONFUSABLE[zone.rows[position[0]][position[1]]], name, reason)
            return
        if len(passing) > 1:
            readings = sorted(_reading(zone, positions, chosen) for chosen in passing)
            zone.problems.append(
                f"{name.replace('_', ' ')} {zone.text(positions)!r} fails its check digit and "
                f"{len(readings)} OCR readings would pass ({', '.join(readings)}); not corrected"
            )
            return


def _swapped(zone: Zone, chosen: tuple[Position, ...]) -> list[tuple[Position, str]]:
    return [(p, zone.rows[p[0]][p[1]]) for p in chosen]


def _passes_with(zone: Zone, check: Check, chosen: tuple[Position, ...]) -> bool:
    saved = _swapped(zone, chosen)
    for (line, index), char in saved:
        zone.rows[line][index] = CONFUSABLE[char]
    try:
        return evaluate(zone, check)
    finally:
        for (line, index), char in saved:
            zone.rows[line][index] = char


def _reading(zone: Zone, positions: list[Position], chosen: tuple[Position, ...]) -> str:
    picked = set(chosen)
    return "".join(
        CONFUSABLE[zone.rows[line][index]] if (line, index) in picked else zone.rows[line][index]
        for line, index in positions
    )

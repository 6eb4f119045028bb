"""The character grid of one MRZ: where each check digit's data is, and whether it passes.

Corrections are recorded as data so a reviewer sees exactly which characters
were changed and why; nothing is changed silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from threadline.primitives.mrz.checkdigit import check_digit, check_passes
from threadline.primitives.mrz.layouts import Check, Layout
from threadline.primitives.mrz.result import Correction

Position = tuple[int, int]  # (line, index), both zero-based


@dataclass(slots=True)
class Zone:
    """A mutable grid of MRZ characters with the corrections applied to it."""

    layout: Layout
    rows: list[list[str]]
    corrections: list[Correction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def text(self, positions: list[Position]) -> str:
        """The characters at ``positions`` joined."""
        rows = self.rows
        return "".join([rows[line][index] for line, index in positions])

    def char(self, position: Position) -> str:
        """The character at ``position``."""
        return self.rows[position[0]][position[1]]

    def set(self, position: Position, char: str, field_name: str, reason: str) -> None:
        """Replace one character and record the correction."""
        line, index = position
        old = self.rows[line][index]
        self.rows[line][index] = char
        self.corrections.append(Correction(line + 1, index + 1, old, char, field_name, reason))

    def span_text(self, name: str) -> str | None:
        """The text of the first span called ``name``; None when the layout has none."""
        span = self.layout.span(name)
        if span is None:
            return None
        return self.text(span_positions(span.line, span.start, span.end))

    def lines(self) -> tuple[str, ...]:
        """The zone as text, one string a line."""
        return tuple("".join(row) for row in self.rows)


def span_positions(line: int, start: int, end: int) -> list[Position]:
    """Positions of a span on one line."""
    return list(_span(line, start, end))


@cache
def _span(line: int, start: int, end: int) -> tuple[Position, ...]:
    # Layouts have a few dozen spans; each zone asks for them many times over.
    return tuple((line, index) for index in range(start, end))


def overflow_positions(zone: Zone) -> list[Position]:
    """Where a long document number continues in the optional data (its check digit last).

    TD1 and TD2 let a number longer than nine characters continue in the optional
    data: the check digit position then holds ``<`` and the overflow ends with
    the check digit (Doc 9303 Parts 5 and 6). Empty for every other zone.
    """
    check = zone.layout.check("document_number")
    if check is None or zone.layout.variant is not None:
        return []
    if zone.layout.type not in ("TD1", "TD2") or zone.rows[check.line][check.position] != "<":
        return []
    line = check.covers[0][0]
    optional = next(s for s in zone.layout.spans if s.name == "optional_data" and s.line == line)
    overflow: list[Position] = []
    for index in range(optional.start, optional.end):
        if zone.rows[line][index] == "<":
            break
        overflow.append((line, index))
    return overflow


def document_number_positions(zone: Zone) -> tuple[list[Position], Position]:
    """Positions of the document number and of its check digit (long numbers included)."""
    check = zone.layout.check("document_number")
    assert check is not None
    positions = span_positions(*check.covers[0])
    overflow = overflow_positions(zone)
    if not overflow:
        return positions, (check.line, check.position)
    return positions + overflow[:-1], overflow[-1]


def check_inputs(zone: Zone, check: Check) -> tuple[str, Position]:
    """The data a check digit covers and the position of the digit itself."""
    if check.name == "document_number":
        positions, at = document_number_positions(zone)
        return zone.text(positions), at
    return zone.text(covered_positions(check)), (check.line, check.position)


def covered_positions(check: Check) -> list[Position]:
    """Every position a check digit's data spans (as the layout places it)."""
    return [p for covered in check.covers for p in span_positions(*covered)]


def evaluate(zone: Zone, check: Check) -> bool:
    """True when the check digit of ``check`` matches its data."""
    data, at = check_inputs(zone, check)
    return passes(check, data, zone.char(at))


def passes(check: Check, data: str, digit: str, expected: int | None = None) -> bool:
    """True when ``digit`` is the check digit of ``data`` (``expected``, if already known)."""
    if check.name == "personal_number" and digit == "<" and set(data) <= {"<"}:
        return True  # Doc 9303 Part 4: an empty personal number may have a filler check
    if expected is None:
        return check_passes(data, digit)
    return digit.isdigit() and int(digit) == expected


def describe_failure(zone: Zone, check: Check) -> str:
    """A human-readable sentence for a failing check digit."""
    data, (line, index) = check_inputs(zone, check)
    label = check.name.replace("_", " ")
    return (
        f"{label} check digit {zone.rows[line][index]!r} (line {line + 1}, position "
        f"{index + 1}) does not match {data!r}, which gives {check_digit(data)}"
    )

"""UN/EDIFACT syntax (ISO 9735) as PAXLST interchanges use it: separators, segments, dates.

Pure functions, no I/O. The service string advice ``UNA`` names six characters:
component and element separators, decimal mark, release character, the
repetition separator (syntax version 4; a space in version 3 means none) and the
segment terminator. Without ``UNA`` the defaults apply (``:+.? '``), with ``*``
as repetition separator when ``UNB`` declares syntax version 4.

Splitting never raises: what cannot be used becomes a :class:`SyntaxNote`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "DEFAULT_UNA",
    "Segment",
    "Separators",
    "SyntaxNote",
    "parse_edifact_time",
    "split_interchange",
]

DEFAULT_UNA = ":+.? '"  # component, element, decimal, release, repetition/reserved, terminator
_START = re.compile(r"UNA|UNB|UNH")
_SYNTAX_VERSION = re.compile(r"UNB.[A-Z]{4}.(\d)")


@dataclass(frozen=True, slots=True)
class Separators:
    """The six service characters of an interchange ('' = not used)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = ""
    terminator: str = "'"

    @classmethod
    def from_una(cls, advice: str) -> Separators:
        """Separators from the six characters after ``UNA``."""
        release = "" if advice[3] == " " else advice[3]
        repetition = "" if advice[4] == " " else advice[4]
        return cls(advice[0], advice[1], advice[2], release, repetition, advice[5])


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its 1-based number in the file, its text, tag and elements."""

    number: int
    raw: str
    tag: str
    elements: list[list[str]]  # elements after the tag, each a list of components

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of element ``element`` (1-based after the tag), or ''."""
        if element - 1 >= len(self.elements):
            return ""
        comps = self.elements[element - 1]
        return comps[component].strip() if component < len(comps) else ""


@dataclass(frozen=True, slots=True)
class SyntaxNote:
    """Something in the interchange's syntax that was ignored or guessed, with where."""

    segment_number: int
    segment: str
    reason: str


def _separators(body: str, notes: list[SyntaxNote]) -> tuple[Separators, str, bool]:
    """The separators, the text after ``UNA`` (if any) and whether ``UNA`` was present."""
    if body.startswith("UNA"):
        if len(body) < 9:
            notes.append(SyntaxNote(1, body[:20], "service string advice (UNA) is truncated"))
            return Separators(), "", True
        return Separators.from_una(body[3:9]), body[9:], True
    version = _SYNTAX_VERSION.match(body)
    seps = Separators(repetition="*" if version and int(version.group(1)) >= 4 else "")
    if "'" not in body:
        # No UNA and no default terminator: some systems end segments with another
        # character (a test-script convention writes '"'). Take the one ending the first line.
        line = body.split("\n", 1)[0].rstrip()
        last = line[-1:] if line else ""
        if last and not last.isalnum() and last not in (seps.element, seps.component, " "):
            notes.append(
                SyntaxNote(1, line[:60], f"no UNA and no ' in the text: segments end with {last!r}")
            )
            seps = Separators(repetition=seps.repetition, terminator=last)
    return seps, body, False


def split_interchange(text: str) -> tuple[list[Segment], Separators, list[SyntaxNote]]:
    """Segments of an interchange, its separators and notes on what was skipped or guessed.

    Segments are numbered from 1 in file order (``UNA`` counts as 1 when present).
    Text before the first ``UNA``/``UNB``/``UNH`` (a transmission header) and text
    after the last terminator are skipped with a note. Line breaks between
    segments are ignored.
    """
    notes: list[SyntaxNote] = []
    body = text.lstrip("\ufeff \r\n\t")
    found = _START.search(body)
    if found is None:
        return [], Separators(), notes
    if found.start():
        skipped = body[: found.start()].strip()
        notes.append(SyntaxNote(1, skipped[:60], "text before the interchange header ignored"))
        body = body[found.start() :]
    seps, rest, has_una = _separators(body, notes)
    segments: list[Segment] = []
    number = 0
    if has_una:
        number = 1
        segments.append(Segment(1, body[:9], "UNA", []))
    pieces, tail = _cut(rest, seps)
    for piece in pieces:
        content = piece.strip()
        if not content:
            continue
        number += 1
        segments.append(_segment(number, content, seps))
    tail = tail.strip()
    if tail:
        number += 1
        head = tail[:3]
        if head.isalpha() and head.isupper() and tail[3:4] in (seps.element, ""):
            notes.append(SyntaxNote(number, tail[:60], "last segment is not terminated"))
            segments.append(_segment(number, tail, seps))
        else:
            notes.append(
                SyntaxNote(number, tail[:60], "text after the last segment terminator ignored")
            )
    return segments, seps, notes


def _cut(text: str, seps: Separators) -> tuple[list[str], str]:
    """Segment texts (without terminator) and what follows the last terminator."""
    term, release = seps.terminator, seps.release
    parts = text.split(term)
    if not release or release not in text:
        return parts[:-1], parts[-1]
    pieces: list[str] = []
    current = ""
    for part in parts[:-1]:
        current += part
        if (len(current) - len(current.rstrip(release))) % 2 == 1:
            current += term  # the terminator was released: it is data
            continue
        pieces.append(current)
        current = ""
    return pieces, current + parts[-1]


def _segment(number: int, content: str, seps: Separators) -> Segment:
    # Segments are cut with str.split; only those holding a release character are
    # walked character by character (millions of travellers must parse quickly).
    rep, comp = seps.repetition, seps.component
    if seps.release and seps.release in content:
        elements = _released(content, seps)
    elif rep and rep in content:
        elements = [e.split(rep, 1)[0].split(comp) for e in content.split(seps.element)]
    else:
        elements = [e.split(comp) for e in content.split(seps.element)]
    return Segment(number, content + seps.terminator, elements[0][0].strip(), elements[1:])


def _released(content: str, seps: Separators) -> list[list[str]]:
    elements: list[list[str]] = []
    comps: list[str] = []
    buf: list[str] = []
    skipping = False  # after a repetition separator: only the first repetition is kept
    i = 0
    while i < len(content):
        ch = content[i]
        if ch == seps.release and i + 1 < len(content):
            if not skipping:
                buf.append(content[i + 1])
            i += 2
            continue
        i += 1
        if ch == seps.element:
            comps.append("".join(buf))
            elements.append(comps)
            comps, buf, skipping = [], [], False
        elif skipping:
            continue
        elif ch == seps.component:
            comps.append("".join(buf))
            buf = []
        elif seps.repetition and ch == seps.repetition:
            skipping = True
        else:
            buf.append(ch)
    comps.append("".join(buf))
    elements.append(comps)
    return elements


# --------------------------------------------------------------------------- dates

# Date/time format qualifiers (code list 2379) and the digits each carries.
_FORMATS = {"101": 6, "102": 8, "201": 10, "203": 12, "204": 14}
_LABELS = {6: "YYMMDD", 8: "CCYYMMDD", 10: "YYMMDDHHMM", 12: "CCYYMMDDHHMM", 14: "CCYYMMDDHHMMSS"}


def parse_edifact_time(value: str, fmt: str = "") -> tuple[datetime, bool]:
    """A DTM value as (datetime, whether the year was given with two digits).

    Formats: ``101`` YYMMDD, ``102`` CCYYMMDD, ``201`` YYMMDDHHMM, ``203``
    CCYYMMDDHHMM, ``204`` CCYYMMDDHHMMSS; without a format the number of digits
    decides (6, 8, 10, 12 or 14). Two-digit years follow ``strptime``'s ``%y``
    (69-99 are 19xx). Raises ValueError with the reason.
    """
    digits = value.strip()
    fmt = fmt.strip()
    expected = _FORMATS.get(fmt)
    if fmt and expected is None:
        raise ValueError(f"unknown date format {fmt!r} for {value!r}")
    lengths = (expected,) if expected else tuple(_FORMATS.values())
    if not digits.isdigit() or len(digits) not in lengths:
        label = _LABELS[expected or (len(digits) if len(digits) in _LABELS else 6)]
        raise ValueError(f"invalid date {value!r} (expected {label})")
    short = len(digits) in (6, 10)
    if short:
        yy = int(digits[:2])
        year, rest = (2000 + yy if yy < 69 else 1900 + yy), digits[2:]
    else:
        year, rest = int(digits[:4]), digits[4:]
    hour = int(rest[4:6]) if len(rest) >= 6 else 0
    minute = int(rest[6:8]) if len(rest) >= 8 else 0
    second = int(rest[8:10]) if len(rest) >= 10 else 0
    try:
        return datetime(year, int(rest[:2]), int(rest[2:4]), hour, minute, second), short
    except ValueError:
        raise ValueError(f"invalid date {value!r} (no such day or time)") from None

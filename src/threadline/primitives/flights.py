"""Flight designators as manifests write them: the carrier's code and the flight number.

A designator (IATA Resolution 762) is the airline's two-character code, or an
ICAO three-letter code, followed by a number of one to four digits and an
optional operational suffix letter: ``ZZ100``, ``U2 1234``, ``BAW12A``. Manifests
carry it whole (PAXLST ``TDT``, the manifest CSV's ``flight`` column); a screen
names the carrier and the number apart so an officer reads them as a timetable
does. A designator that does not have this shape is kept whole as the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FlightDesignator", "parse_flight"]

# Three letters first: "BAW12" is British Airways' ICAO code, not carrier "BA" with "W12".
_DESIGNATOR = re.compile(r"^(?P<carrier>[A-Z]{3}|[A-Z0-9]{2})\s*(?P<number>\d{1,4}[A-Z]?)$")


@dataclass(frozen=True, slots=True)
class FlightDesignator:
    """A flight as ``carrier`` + ``number`` (carrier '' when the text has no such shape)."""

    text: str
    carrier: str
    number: str

    def __str__(self) -> str:
        return f"{self.carrier}{self.number}" if self.carrier else self.number


def parse_flight(text: str) -> FlightDesignator:
    """Split a designator into carrier and number; anything else stays whole as the number."""
    cleaned = " ".join(text.split()).upper()
    found = _DESIGNATOR.match(cleaned)
    if found is None or found["carrier"].isdigit():
        return FlightDesignator(text.strip(), "", cleaned)
    return FlightDesignator(text.strip(), found["carrier"], found["number"])

"""Airports by IATA code: name, city, country and position, from the ``airportsdata``
package (MIT; data from OurAirports, public domain), read once and kept.

Manifests name airports by their three-letter IATA code (PAXLST ``LOC``, the manifest
CSV's airport columns). A trail or a map needs where that is: which country a
traveller was flying to, and where to draw it. An unknown code (a closed airport, a
typing slip) is ``None``: the code is still shown, just not placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["Airport", "airport"]


@dataclass(frozen=True, slots=True)
class Airport:
    """One airport: its IATA code, name, city, ISO 3166 country and position (WGS 84)."""

    iata: str
    name: str
    city: str
    country: str
    lat: float
    lon: float

    def describe(self) -> str:
        """``CMN (Casablanca, MA)``: how a trail names it."""
        where = ", ".join(part for part in (self.city, self.country) if part)
        return f"{self.iata} ({where})" if where else self.iata


@cache
def _airports() -> dict[str, Airport]:
    import airportsdata

    return {
        code: Airport(
            code, row["name"], row["city"], row["country"], float(row["lat"]), float(row["lon"])
        )
        for code, row in airportsdata.load("IATA").items()
    }


def airport(code: str | None) -> Airport | None:
    """The airport a three-letter IATA code names (any case, spaces ignored), or None."""
    if not code:
        return None
    return _airports().get(code.strip().upper())

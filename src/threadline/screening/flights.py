"""The flights a manifest is about, as it states them: so a screen names what it screened.

An officer screening a morning's manifests asks first "which flight is this?".
Each flight leg the travellers are on becomes one entry: the designator (carrier
and number apart), departure airport and local time, arrival airport and local
time, and how many travellers the manifest lists on it. A PAXLST progressive
flight gives one entry per leg; a CSV or PAXLST file holding several flights, one
entry per flight. Entries keep the order in which the manifest first names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.ingest.readers.manifests import TravelLeg, TravelRecord
from threadline.primitives.flights import parse_flight

__all__ = ["ManifestFlight", "manifest_flights"]


@dataclass
class ManifestFlight:
    """One flight leg of a manifest and the travellers listed on it."""

    leg: TravelLeg
    travellers: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        flight = parse_flight(self.leg.flight)
        return {
            "flight": self.leg.flight,
            "carrier": flight.carrier,
            "number": flight.number,
            "departure_airport": self.leg.departure_airport,
            "departure_time": self.leg.departure_time,
            "arrival_airport": self.leg.arrival_airport,
            "arrival_time": self.leg.arrival_time,
            "travellers": len(self.travellers),
        }


def manifest_flights(records: Sequence[TravelRecord]) -> list[dict[str, Any]]:
    """Every flight leg the manifest's travellers are on, in the manifest's order."""
    found: dict[TravelLeg, ManifestFlight] = {}
    for item in records:
        for leg in item.travel_legs:
            found.setdefault(leg, ManifestFlight(leg)).travellers.add(item.record_id)
    return [entry.to_dict() for entry in found.values()]

"""Routes: the country sequences people travel along, from Trip entities.

A traveller's trips, ordered by start date, give a chain of countries
(start of the first trip, every change of country, end of the last trip).
Chains are counted: origin -> transit... -> destination, with how many
travellers and trips, and when.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from followthemoney.proxy import EntityProxy


@dataclass
class Route:
    origin: str
    transit: list[str]
    destination: str
    travellers: set[str] = field(default_factory=set)
    trips: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "transit": self.transit,
            "destination": self.destination,
            "travellers": len(self.travellers),
            "trips": len(self.trips),
            "first": self.first,
            "last": self.last,
        }


def _place(location_ids: list[str], countries: Mapping[str, set[str]], trip: EntityProxy) -> str:
    for location in location_ids:
        found = sorted(countries.get(location, ()))
        if found:
            return found[0]
    own = sorted(c.upper() for c in trip.get("country"))
    return own[0] if own else "?"


def summarise_routes(
    trips: list[EntityProxy], countries: Mapping[str, set[str]]
) -> list[dict[str, Any]]:
    """Route summary of the given Trip entities, most travelled first."""
    legs: dict[str, list[tuple[str, str, str, str, str | None]]] = defaultdict(list)
    for trip in trips:
        start = _place(trip.get("startLocation"), countries, trip)
        end = _place(trip.get("endLocation"), countries, trip)
        begins = min(trip.get("startDate") + trip.get("date") or [""])
        ends = max(trip.get("endDate") or [begins]) or None
        assert trip.id is not None
        for traveller in trip.get("involved") or [f"trip:{trip.id}"]:
            legs[traveller].append((begins, trip.id, start, end, ends))
    routes: dict[tuple[str, ...], Route] = {}
    for traveller, items in legs.items():
        items.sort()
        chain: list[str] = []
        for _begins, _id, start, end, _ends in items:
            for place in (start, end):
                if not chain or chain[-1] != place:
                    chain.append(place)
        if len(chain) < 2:
            continue
        key = tuple(chain)
        route = routes.setdefault(key, Route(chain[0], chain[1:-1], chain[-1]))
        if not traveller.startswith("trip:"):
            route.travellers.add(traveller)
        route.trips.update(i[1] for i in items)
        dates = [i[0] for i in items if i[0]] + [i[4] for i in items if i[4]]
        if dates:
            route.first = min([d for d in (route.first, *dates) if d])
            route.last = max([d for d in (route.last, *dates) if d])
    ranked = sorted(routes.values(), key=lambda r: (-len(r.trips), r.origin, r.destination))
    return [r.to_dict() for r in ranked]

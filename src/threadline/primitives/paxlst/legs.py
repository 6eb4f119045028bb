"""Flight legs of a PAXLST message, and the legs each traveller is on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from threadline.primitives.paxlst.model import PaxlstLeg

__all__ = ["Stop", "legs_of", "travelled"]


@dataclass(slots=True)
class Stop:
    """A place of the transport section, in order; a leg is a departure and an arrival."""

    flight: str
    qualifier: str
    place: str
    role: str  # departure, arrival, or '' for LOC+92 until its DTM tells
    time: datetime | None = None


def legs_of(stops: list[Stop]) -> list[PaxlstLeg]:
    """Legs from the transport section's places: each departure opens one, an arrival closes it.

    ``LOC+92`` (a routing place of a progressive flight) is a departure or an
    arrival as its ``DTM+189/232`` says; without a date it closes an open leg of
    the same flight, or opens a new one.
    """
    legs: list[PaxlstLeg] = []
    open_leg: PaxlstLeg | None = None
    for stop in stops:
        role = stop.role or (
            "arrival" if open_leg is not None and open_leg.flight == stop.flight else "departure"
        )
        if role == "departure":
            open_leg = PaxlstLeg(stop.flight, stop.place, stop.time, "", None, stop.qualifier)
            legs.append(open_leg)
            continue
        if open_leg is None or open_leg.flight != stop.flight:
            legs.append(PaxlstLeg(stop.flight, "", None, stop.place, stop.time, "", stop.qualifier))
        else:
            open_leg.arrival_airport, open_leg.arrival_time = stop.place, stop.time
            open_leg.arrival_qualifier = stop.qualifier
        open_leg = None
    return legs


def travelled(legs: list[PaxlstLeg], embark: str | None, disembark: str | None) -> list[int]:
    """The legs a traveller is on: from where they board (LOC+178) to where they leave (179).

    A place that is no leg's end (the traveller's whole journey is wider than the
    message) leaves that side open: the first or last leg.
    """
    start = next((i for i, leg in enumerate(legs) if embark and leg.departure_airport == embark), 0)
    end = next(
        (
            i
            for i in range(len(legs) - 1, start - 1, -1)
            if disembark and legs[i].arrival_airport == disembark
        ),
        len(legs) - 1,
    )
    return list(range(start, end + 1))

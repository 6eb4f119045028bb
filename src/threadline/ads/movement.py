"""Where a persona's ads were posted over time: timeline, moves and movement flags.

The same operator posting from New York, then Los Angeles, then Miami may be
moving a victim. The timeline lists each ad's date, country and place in time
order; a *move* is a change of place between consecutive ads. Flags:
``multi_city`` (two or more places) and ``cross_border`` (two or more
countries). They describe, they do not score: movement language in an ad's text
is a weak signal (docs/ads.md), and an honest agency may post in many cities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from threadline.ads.features import AdFeatures


@dataclass(frozen=True, slots=True)
class Stop:
    """One ad on the timeline."""

    posted_at: str  # ISO 8601
    ad_id: str
    country: str
    place: str  # "CC:City" when the gazetteer knows it, else the location text

    def to_dict(self) -> dict[str, Any]:
        return {"posted_at": self.posted_at, "ad_id": self.ad_id, "country": self.country,
                "place": self.place}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Movement:
    """A persona's timeline and what it shows."""

    timeline: tuple[Stop, ...]
    places: tuple[str, ...]  # in order of first appearance
    countries: tuple[str, ...]
    moves: tuple[dict[str, str], ...]  # {from, to, at, ad_id}

    @property
    def multi_city(self) -> bool:
        return len(self.places) >= 2

    @property
    def cross_border(self) -> bool:
        return len(self.countries) >= 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "multi_city": self.multi_city,
            "cross_border": self.cross_border,
            "places": list(self.places),
            "countries": list(self.countries),
            "moves": list(self.moves),
            "timeline": [s.to_dict() for s in self.timeline],
        }


def _place(ad: AdFeatures) -> str:
    if ad.city:
        return ad.city
    text = " ".join(ad.location.split())
    return f"{ad.country}:{text}" if text else ad.country


def movement(ads: Sequence[AdFeatures]) -> Movement:
    """Timeline and movement of the ads of one persona."""
    ordered = sorted(ads, key=lambda a: (a.posted_at.isoformat(), a.ad_id))
    stops = tuple(Stop(a.posted_at.isoformat(), a.ad_id, a.country, _place(a)) for a in ordered)
    moves = []
    for before, after in pairwise(stops):
        if before.place != after.place:
            moves.append({"from": before.place, "to": after.place, "at": after.posted_at,
                          "ad_id": after.ad_id})  # fmt: skip
    places = tuple(dict.fromkeys(s.place for s in stops))
    countries = tuple(dict.fromkeys(s.country for s in stops))
    return Movement(stops, places, countries, tuple(moves))

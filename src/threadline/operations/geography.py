"""Approximate country centres and continents (a small public data file, no network)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "countries.csv"

CONTINENTS = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
}


@dataclass(frozen=True)
class CountryPlace:
    code: str
    continent: str  # continent code (AF, AS, EU, NA, SA, OC)
    lat: float
    lon: float


@lru_cache(maxsize=1)
def country_places() -> dict[str, CountryPlace]:
    """Every country of the data file by ISO alpha-2 code."""
    with DATA.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {
            row["code"]: CountryPlace(
                row["code"], row["continent"], float(row["lat"]), float(row["lon"])
            )
            for row in csv.DictReader(lines)
        }


def continent_of(code: str) -> str | None:
    """Continent name of a country code (None when the data file lacks it)."""
    place = country_places().get(code)
    return CONTINENTS[place.continent] if place else None


def continents(codes: list[str]) -> list[str]:
    """Distinct continents the countries are on, in a stable order."""
    found = {continent_of(c) for c in codes}
    return [name for name in CONTINENTS.values() if name in found]

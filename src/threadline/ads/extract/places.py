"""City mentions, from a small gazetteer data file (``cities.yaml``).

Names are matched on folded text, so "Sao Paulo" and "São Paulo" are one city.
A city named in the ad's ``location`` field is reported with field "location".
In the title and text a city must be capitalised, and names that are also
ordinary words ("Nice", "Cali", "Salvador") count only in their own country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from threadline.ads.extract.folding import fold
from threadline.ads.extract.trie import trie_pattern


@dataclass(frozen=True, slots=True)
class PlaceFind:
    """A city: ``value`` is ``CC:Canonical Name``."""

    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Compiled city names; ``names`` maps a folded alias to ``CC:Canonical``."""

    version: int
    names: dict[str, str]
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (loaded and compiled once)."""
    text = resources.files("threadline.ads.extract").joinpath("cities.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    names: dict[str, str] = {}
    for country, cities in data["cities"].items():
        for entry in cities:
            aliases = [a.strip() for a in str(entry).split("|")]
            for alias in aliases:
                names.setdefault(fold(alias), f"{country}:{aliases[0]}")
    # Two-letter aliases ("LA") only in capitals, matched separately below.
    long_names = sorted((n for n in names if len(n) > 2), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + trie_pattern(long_names) + r")(?![\w-])")
    return Gazetteer(int(data["version"]), names, pattern)


_CAPITALS_RE = re.compile(r"(?<![\w-])[A-Z]{2}(?![\w-])")
_WORDLIKE = frozenset({"nice", "cali", "palma", "faro", "salvador", "phoenix", "cork", "beira"})


def find_places(original: str, folded: str, country: str | None = None) -> list[PlaceFind]:
    """Cities named in one field (``country``: the ad's, for word-like names)."""
    g = gazetteer()
    found = []
    for m in g.pattern.finditer(folded):
        value = g.names[m.group()]
        if not original[m.start()].isupper():
            continue
        if m.group() in _WORDLIKE and not value.startswith(f"{country}:"):
            continue
        found.append(PlaceFind(value, m.start(), m.end()))
    for m in _CAPITALS_RE.finditer(original):
        short = g.names.get(fold(m.group()))
        if short is not None and len(m.group()) == 2:
            found.append(PlaceFind(short, m.start(), m.end()))
    return found

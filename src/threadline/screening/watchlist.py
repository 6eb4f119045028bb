"""Watchlist index: find the few entries worth scoring without scanning the list.

Each watchlist person is normalised once and filed under blocking keys taken
from its name parts: every ASCII form, the spelling-variant key, the metaphone
key, a four-letter prefix (typos rarely hit the first letters), the sorted
letters (transpositions keep them) and pairs of variant keys from the same
name (which keep common first names useful once their own lists are too long
to read). A query gathers the entries that share
keys, ranks them by the summed rarity (IDF) of the shared keys, and runs the
full explained matcher on the top few only.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from threadline.screening.matching import (
    POSSIBLE_THRESHOLD,
    Decision,
    FeatureContribution,
    PersonQuery,
    PreparedPerson,
    prepare_entity,
    prepare_query,
    score_prepared,
)

__all__ = ["ScreeningHit", "WatchlistEntry", "WatchlistIndex", "blocking_keys"]

# Keys shared by more entries than this are not read at query time: they cost
# time and say little (pair keys still cover common names).
DEFAULT_MAX_POSTING = 2_000
# How many of the best-blocked entries get the full matcher.
DEFAULT_CANDIDATES = 10
_MAX_PAIR_TOKENS = 6


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """A watchlist person: its entity id, collection and notice kind (red, yellow...)."""

    entity_id: str
    collection: str
    notice: str | None
    person: PreparedPerson


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A watchlist entry the query may be, with the explained score."""

    entity_id: str
    collection: str
    notice: str | None
    score: float
    decision: Decision
    explanation: list[FeatureContribution] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {
            "entity_id": self.entity_id,
            "collection": self.collection,
            "notice": self.notice,
            "score": round(self.score, 4),
            "decision": self.decision,
            "explanation": [c.to_dict() for c in self.explanation],
        }


def blocking_keys(person: PreparedPerson) -> set[str]:
    """The index keys of a prepared person (see the module docstring)."""
    keys: set[str] = set()
    for name in person.names:
        variant_keys: list[str] = []
        for token in name.tokens:
            if token.is_initial:
                continue
            keys.update("t:" + form for form in token.forms)
            keys.add("k:" + token.key)
            if len(token.phonetic) >= 2:
                keys.add("p:" + token.phonetic)
            if len(token.text) >= 4:
                # letters sorted: a transposition ("Afiz"/"Faiz") keeps the key
                keys.add("a:" + "".join(sorted(token.text)))
            if len(token.text) >= 5:
                keys.add("x:" + token.text[:4])
            variant_keys.append(token.key)
        head = sorted(set(variant_keys[:_MAX_PAIR_TOKENS]))
        for i, first in enumerate(head):
            for second in head[i + 1 :]:
                keys.add(f"b:{first}|{second}")
    for doc in person.documents:
        keys.add("d:" + doc)
    return keys


class WatchlistIndex:
    """An in-memory blocking index over watchlist persons with explained scoring."""

    def __init__(
        self,
        *,
        max_posting: int = DEFAULT_MAX_POSTING,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> None:
        self.entries: list[WatchlistEntry] = []
        self.max_posting = max_posting
        self.candidates = candidates
        self._postings: dict[str, list[int]] = {}

    @classmethod
    def from_entities(
        cls, entities: Iterable[Any], collection: str = "", notice: str | None = None, **kw: int
    ) -> WatchlistIndex:
        """Build an index from Person proxies (all in one collection)."""
        index = cls(**kw)
        for entity in entities:
            index.add(entity, collection=collection, notice=notice)
        return index

    def __len__(self) -> int:
        return len(self.entries)

    def freeze(self) -> None:
        """Call once loading is done: keeps the garbage collector from re-scanning the index.

        A 100,000-entry index is millions of small objects; without this, an
        occasional full collection stalls a query for seconds.
        """
        gc.collect()
        gc.freeze()

    def add(self, entity: Any, collection: str = "", notice: str | None = None) -> None:
        """File one Person proxy under its blocking keys; nameless entities are skipped."""
        person = prepare_entity(entity)
        if not person.names:
            return
        number = len(self.entries)
        self.entries.append(WatchlistEntry(str(entity.id), collection, notice, person))
        for key in blocking_keys(person):
            self._postings.setdefault(key, []).append(number)

    def candidates_for(self, person: PreparedPerson, limit: int | None = None) -> list[int]:
        """Entry numbers sharing the rarest keys with ``person``, best first."""
        total = max(len(self.entries), 1)
        weights: dict[int, float] = {}
        for key in blocking_keys(person):
            posting = self._postings.get(key)
            if not posting or len(posting) > self.max_posting:
                continue
            idf = math.log(1.0 + total / len(posting))
            for number in posting:
                weights[number] = weights.get(number, 0.0) + idf
        top = limit if limit is not None else self.candidates
        ranked = sorted(weights.items(), key=lambda item: -item[1])[:top]
        return [number for number, _ in ranked]

    def screen(
        self,
        query: PersonQuery | Any,
        limit: int = 10,
        min_score: float = POSSIBLE_THRESHOLD,
    ) -> list[ScreeningHit]:
        """Screen a query (a :class:`PersonQuery` or a Person proxy); best hits first.

        Only hits scoring at least ``min_score`` (default: the "possible"
        threshold) are returned, at most ``limit`` of them.
        """
        prepared = query if isinstance(query, PreparedPerson) else _prepare(query)
        hits: list[ScreeningHit] = []
        for number in self.candidates_for(prepared):
            entry = self.entries[number]
            result = score_prepared(prepared, entry.person)
            if result.score >= min_score:
                hits.append(
                    ScreeningHit(
                        entry.entity_id,
                        entry.collection,
                        entry.notice,
                        result.score,
                        result.decision,
                        result.explanation,
                    )
                )
        hits.sort(key=lambda hit: (-hit.score, hit.entity_id))
        return hits[:limit]


def _prepare(query: Any) -> PreparedPerson:
    return prepare_query(query) if isinstance(query, PersonQuery) else prepare_entity(query)

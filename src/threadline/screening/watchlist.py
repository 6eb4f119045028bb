"""Watchlist index: find the few entries worth scoring without scanning the list.

Each watchlist person is normalised once and filed under blocking keys taken
from its name parts: every ASCII form, the spelling-variant key, the metaphone
key, a four-letter prefix (typos rarely hit the first letters), the sorted
letters (transpositions keep them), pairs of variant keys from the same
name (which keep common first names useful once their own lists are too long
to read) and name parts with the birth year (which rank the right one of many
namesakes first). A query gathers the entries that share keys, ranks them by
the summed rarity (IDF) of the shared keys with numpy, and runs the full
explained matcher on the top few only.

The same postings give the name frequency the matcher's caps need: how many
entries carry the name parts a query matched (entries filed under all their
variant keys), counted only for the few hits that would otherwise be a match.
"""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt

from threadline.primitives.name_compare import NameAlignment, load_name_data
from threadline.primitives.names import NameToken, PersonName
from threadline.screening.matching import (
    POSSIBLE_THRESHOLD,
    AlignmentMemo,
    Decision,
    FeatureContribution,
    NameCount,
    PersonQuery,
    PreparedPerson,
    prepare_entity,
    prepare_query,
    score_decision,
    score_prepared,
)

__all__ = ["ScreeningHit", "WatchlistEntry", "WatchlistIndex", "blocking_keys"]

# Keys shared by more entries than this are not read at query time: they cost
# time and say little (pair keys and name-and-year keys still cover common names).
# At 100,000 synthetic entries, 300 found every traveller's own entry, as 2,000 did.
DEFAULT_MAX_POSTING = 300
# How many of the best-blocked entries get the full matcher.
DEFAULT_CANDIDATES = 10
_MAX_PAIR_TOKENS = 6
# A query reads name-and-year keys this many years either side of its birth years.
QUERY_YEAR_SPREAD = 1
# Up to this many posting entries a query sums in a dict rather than with numpy.
_SMALL_QUERY = 256
# Up to this many list entries a query sums its totals in arrays indexed by entry number
# (12 bytes an entry up to the largest the query meets, allocated per query, 3 MiB at
# most); longer lists sort the query's occurrences instead.
_DENSE_ENTRIES = 1 << 18


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """A watchlist person: its entity id, collection and notice kind (red, yellow...)."""

    entity_id: str
    collection: str
    notice: str | None
    person: PreparedPerson


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A watchlist entry the query may be, with the explained score.

    The explanation is built from the prepared query and entry when first read
    and then kept: a caller that keeps only some hits (a manifest keeps match
    and possible) does not build the others'. ``explain`` is what builds it.
    """

    entity_id: str
    collection: str
    notice: str | None
    score: float
    decision: Decision
    explain: Callable[[], list[FeatureContribution]] = field(
        default=list, repr=False, compare=False
    )
    _explanation: list[FeatureContribution] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def explanation(self) -> list[FeatureContribution]:
        """The per-feature contributions that sum to the score."""
        found = self._explanation
        if found is None:
            found = self.explain()
            object.__setattr__(self, "_explanation", found)
        return found

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


def _explanation(
    query: PreparedPerson,
    cand: PreparedPerson,
    memo: AlignmentMemo,
    caps: bool,
    name_count: NameCount,
    hold: bool = False,
) -> list[FeatureContribution]:
    # the screening's memo holds the name alignment its score was computed with
    return score_prepared(
        query, cand, memo=memo, caps=caps, name_count=name_count, hold=hold
    ).explanation


@lru_cache(maxsize=200_000)
def _part_keys(token: NameToken) -> tuple[str, ...]:
    """The keys of one name part alone, in the order :func:`blocking_keys` adds them (a part
    is one object per spelling: the border meets the same parts again and again)."""
    keys = ["t:" + form for form in token.forms]
    keys.append("k:" + token.key)
    if len(token.phonetic) >= 2:
        keys.append("p:" + token.phonetic)
    if len(token.text) >= 4:
        # letters sorted: a transposition ("Afiz"/"Faiz") keeps the key
        keys.append("a:" + "".join(sorted(token.text)))
    if len(token.text) >= 5:
        keys.append("x:" + token.text[:4])
    return tuple(keys)


def blocking_keys(person: PreparedPerson, *, year_spread: int = 0) -> set[str]:
    """The index keys of a prepared person (see the module docstring).

    ``year_spread`` widens the name-and-birth-year keys to that many years either
    side: a query reads ``y:`` keys of neighbouring years, entries are filed under
    their own year only.
    """
    keys: set[str] = set()
    years = {
        year + delta
        for year in {date.year for date in person.birth_dates}
        for delta in range(-year_spread, year_spread + 1)
    }
    full_dates = [str(date) for date in person.birth_dates if date.day is not None]
    for name in person.names:
        variant_keys: list[str] = []
        for token in name.tokens:
            if token.is_initial:
                continue
            keys.update(_part_keys(token))
            # a name part with the birth year: ranks the right one of many namesakes first
            keys.update(f"y:{token.key}|{year}" for year in years)
            # and with the full birth date: the right one of many same-year namesakes
            keys.update(f"e:{token.key}|{date}" for date in full_dates)
            keys.update(f"i:{token.text[0]}|{date}" for date in full_dates)
            variant_keys.append(token.key)
        head = sorted(set(variant_keys[:_MAX_PAIR_TOKENS]))
        for i, first in enumerate(head):
            for second in head[i + 1 :]:
                keys.add(f"b:{first}|{second}")
    for doc in person.documents:
        keys.add("d:" + doc)
    return keys


# How many name alignments an index keeps between queries (some 40 MB when full).
ALIGNMENT_MEMO_LIMIT = 100_000


class WatchlistIndex:
    """An in-memory blocking index over watchlist persons with explained scoring.

    ``caps`` (default on) lets the matcher decide a match ``possible`` for
    namesakes: full birth dates that differ beyond a typing slip, or a name
    several entries share without an identifier agreeing (see
    :func:`~threadline.screening.matching.score_prepared`).
    """

    def __init__(
        self,
        *,
        max_posting: int = DEFAULT_MAX_POSTING,
        candidates: int = DEFAULT_CANDIDATES,
        caps: bool = True,
    ) -> None:
        self.entries: list[WatchlistEntry] = []
        self.max_posting = max_posting
        self.candidates = candidates
        self.caps = caps
        self._name_counts: dict[frozenset[str], int] = {}
        # Name alignments by (query name, entry name) text, kept across queries: a border
        # sees the same travellers and the same common names again and again, and an
        # alignment depends on the two texts alone. Bounded: emptied when full.
        self._alignments: AlignmentMemo = {}
        self._pending: dict[str, list[int]] = {}  # postings added since the last compile
        self._postings = _Postings.empty()

    @classmethod
    def from_entities(
        cls, entities: Iterable[Any], collection: str = "", notice: str | None = None, **kw: Any
    ) -> WatchlistIndex:
        """Build an index from Person proxies (all in one collection)."""
        index = cls(**kw)
        for entity in entities:
            index.add(entity, collection=collection, notice=notice)
        return index

    def __len__(self) -> int:
        return len(self.entries)

    def freeze(self) -> None:
        """Call once loading is done: compiles the postings and keeps the GC off the index.

        A 100,000-entry index is millions of small objects; without ``gc.freeze``, an
        occasional full collection stalls a query for seconds. The person-name data
        (nicknames, known variants) is loaded here too, so no first query waits for it.
        """
        self._compile()
        load_name_data()
        gc.collect()
        gc.freeze()

    def add(self, entity: Any, collection: str = "", notice: str | None = None) -> None:
        """File one Person proxy under its blocking keys; nameless entities are skipped."""
        self.add_prepared(str(entity.id), prepare_entity(entity), collection, notice)

    def add_prepared(
        self,
        entity_id: str,
        person: PreparedPerson,
        collection: str = "",
        notice: str | None = None,
    ) -> None:
        """File an already prepared person; skipped when it has no name."""
        if not person.names:
            return
        number = len(self.entries)
        self.entries.append(WatchlistEntry(entity_id, collection, notice, person))
        for key in blocking_keys(person):
            self._pending.setdefault(key, []).append(number)

    def _compile(self) -> None:
        if self._pending:
            self._postings = self._postings.merged(self._pending, len(self.entries))
            self._pending = {}
            self._name_counts = {}

    def name_count(self, name: PersonName, alignment: NameAlignment) -> int:
        """How many entries carry every candidate name part ``alignment`` matched.

        Counted from the variant-key postings (so "Mohamed" and "Muhammad" are one
        name), initials aside; remembered per set of keys until entries are added.
        """
        self._compile()
        tokens = name.tokens
        keys = frozenset(
            "k:" + tokens[j].key
            for option in alignment.accepted
            for j in option[2]
            if j < len(tokens) and not tokens[j].is_initial
        )
        if not keys:
            return 0
        found = self._name_counts.get(keys)
        if found is None:
            found = self._name_counts[keys] = self._postings.sharing(keys)
        return found

    def candidates_for(self, person: PreparedPerson, limit: int | None = None) -> list[int]:
        """Entry numbers sharing the rarest keys with ``person``, best first.

        Entries are ranked by the summed IDF of the keys they share with the query;
        keys filed under more than ``max_posting`` entries are not read. Ties at the
        cut are broken the same way on every run over the same index.
        """
        self._compile()
        top = limit if limit is not None else self.candidates
        postings = self._postings
        lengths, most = postings.lengths, self.max_posting
        keys = blocking_keys(person, year_spread=QUERY_YEAR_SPREAD)
        slots = [slot for slot in map(postings.slots.get, keys) if slot is not None]
        slots = sorted([slot for slot in slots if lengths[slot] <= most])
        if not slots or top <= 0:
            return []
        return postings.top(slots, top)

    def screen(
        self,
        query: PersonQuery | Any,
        limit: int = 10,
        min_score: float = POSSIBLE_THRESHOLD,
        *,
        hold: bool = False,
    ) -> list[ScreeningHit]:
        """Screen a query (a :class:`PersonQuery` or a Person proxy); best hits first.

        Only hits scoring at least ``min_score`` (default: the "possible"
        threshold) are returned, at most ``limit`` of them. ``hold`` is for a
        border check, where a ``match`` holds the person: a name alone (with or
        without a shared nationality) is then at most ``possible``.
        """
        prepared = query if isinstance(query, PreparedPerson) else _prepare(query)
        hits: list[ScreeningHit] = []
        memo = self._alignments
        if len(memo) > ALIGNMENT_MEMO_LIMIT:
            memo.clear()
        caps, count = self.caps, self.name_count
        for number in self.candidates_for(prepared):
            entry = self.entries[number]
            scored = score_decision(
                prepared, entry.person, memo=memo, caps=caps, name_count=count, hold=hold,
                at_least=min_score,
            )  # fmt: skip
            if scored is None:
                continue  # below min_score whatever the names: not compared
            score, decision = scored
            if score >= min_score:
                explain = partial(_explanation, prepared, entry.person, memo, caps, count, hold)
                hit = ScreeningHit(
                    entry.entity_id, entry.collection, entry.notice, score, decision, explain
                )
                hits.append(hit)
        hits.sort(key=lambda hit: (-hit.score, hit.entity_id))
        return hits[:limit]


class _Postings:
    """Posting lists in one flat array (CSR): the entries filed under each key.

    A query gathers the lists of its keys, sums each entry's IDF with
    ``numpy.bincount`` and picks the best few with ``argpartition``: no Python
    loop over entries, and no sort of every entry a query touched.
    """

    def __init__(self, slots: dict[str, int], starts: list[int], flat: npt.NDArray[np.int32],
                 total: int) -> None:  # fmt: skip
        self.slots = slots  # key -> slot
        self.starts = starts  # slot -> start in flat; starts[slot + 1] is its end
        self.lengths = [b - a for a, b in itertools.pairwise(starts)]
        self.idf = [math.log(1.0 + max(total, 1) / max(n, 1)) for n in self.lengths]
        # the same lengths and IDFs as arrays: a query picks its slots' with one index
        self.length_array = np.asarray(self.lengths, dtype=np.int32)
        self.idf_array = np.asarray(self.idf, dtype=np.float64)
        self.flat = flat
        self.total = total

    @classmethod
    def empty(cls) -> _Postings:
        return cls({}, [0], np.zeros(0, dtype=np.int32), 0)

    def merged(self, pending: dict[str, list[int]], total: int) -> _Postings:
        """These postings plus ``pending`` (entry numbers only ever grow, so lists stay sorted)."""
        lists: dict[str, Any] = {
            key: self.flat[self.starts[slot] : self.starts[slot + 1]]
            for key, slot in self.slots.items()
        }
        # keys new to the index take their slots in sorted order, not in the order a set of
        # keys happened to give them (Python's per-process string hashing): the order of the
        # slots is the order a query's scores are summed in, so its ties at the cut follow it
        for key in sorted(pending):
            numbers = pending[key]
            old = lists.get(key)
            added = np.asarray(numbers, dtype=np.int32)
            lists[key] = added if old is None else np.concatenate((old, added))
        slots = {key: slot for slot, key in enumerate(lists)}
        starts = [0]
        for numbers in lists.values():
            starts.append(starts[-1] + len(numbers))
        flat = np.concatenate(list(lists.values())) if lists else np.zeros(0, dtype=np.int32)
        return _Postings(slots, starts, flat.astype(np.int32, copy=False), total)

    def sharing(self, keys: Iterable[str]) -> int:
        """How many entries are filed under every one of ``keys``."""
        found: npt.NDArray[np.int32] | None = None
        lists = []
        for key in keys:
            slot = self.slots.get(key)
            if slot is None:
                return 0
            lists.append(self.flat[self.starts[slot] : self.starts[slot + 1]])
        for numbers in sorted(lists, key=len):
            found = numbers if found is None else np.intersect1d(found, numbers, assume_unique=True)
            if not len(found):
                return 0
        return 0 if found is None else len(found)

    def top(self, slots: list[int], limit: int) -> list[int]:
        """The ``limit`` entries with the highest summed IDF over ``slots``, best first
        (lower numbers first on equal totals; see :func:`_tied_top` for ties at the cut)."""
        starts, flat = self.starts, self.flat
        if sum(self.lengths[s] for s in slots) <= _SMALL_QUERY:
            # a few entries: numpy's fixed cost per call is more than a dict's work
            sums: dict[int, float] = {}
            for s in slots:
                weight = self.idf[s]
                for number in flat[starts[s] : starts[s + 1]].tolist():
                    sums[number] = sums.get(number, 0.0) + weight
            if len(sums) > limit:
                # only entries reaching the limit-th best total can be among the best
                floor = sorted(sums.values(), reverse=True)[limit - 1]
                sums = {number: total for number, total in sums.items() if total >= floor}
            return sorted(sums, key=lambda number: (-sums[number], number))[:limit]
        ids = np.concatenate([flat[starts[s] : starts[s + 1]] for s in slots])
        chosen = np.array(slots)
        weights = np.repeat(self.idf_array[chosen], self.length_array[chosen])
        # each occurrence's entry total; every total sums its entry's IDFs in slot order
        if self.total <= _DENSE_ENTRIES:
            # one slot per entry number up to the largest here: no sort of the occurrences
            totals = np.bincount(ids, weights=weights)
            at = totals[ids]
            positions = np.arange(len(ids), dtype=np.int32)
            seen = np.empty(len(totals), dtype=np.int32)
            seen[ids] = positions
            once = seen[ids] == positions  # one occurrence of each entry
            entries, entry_totals = ids[once], at[once]
        else:  # a list so long that an array of its size costs more than sorting
            entries, inverse = np.unique(ids, return_inverse=True)
            entry_totals = np.bincount(inverse, weights=weights)
            at = entry_totals[inverse]
        # An entry occurs at most once per slot, so the best `limit` entries have an
        # occurrence among the best limit * len(slots) occurrences (`reach`); the ranking is
        # of the entries among those. When the entries at or above the limit-th best total
        # have no more occurrences than that, all of them are among those, and they are
        # ranked here directly: by total, then by number.
        reach = limit * len(slots)
        if len(entries) > limit > 0:
            floor = np.partition(entry_totals, len(entries) - limit)[len(entries) - limit]
            if len(ids) > reach and np.count_nonzero(at >= floor) > reach:
                # more occurrences tie at the cut than fit: the ones argpartition picks decide
                return _tied_top(ids, at, reach, limit)
            best = entry_totals >= floor
            entries, entry_totals = entries[best], entry_totals[best]
        order = np.lexsort((entries, -entry_totals))[:limit]
        return [int(n) for n in entries[order]]


def _tied_top(
    ids: npt.NDArray[np.int32], at: npt.NDArray[np.float64], reach: int, limit: int
) -> list[int]:
    """The best ``limit`` entries among the ``reach`` best occurrences ``argpartition``
    picks (``at``: each occurrence's entry total), best first, lower numbers first on a tie.

    When more occurrences tie at the cut than ``reach`` leaves room for, some of the tied
    entries are not among them, whatever their number: which ones is argpartition's choice,
    the same on every call with the same occurrences."""
    picked = np.argpartition(at, len(ids) - reach)[len(ids) - reach :]
    entries, first = np.unique(ids[picked], return_index=True)
    order = np.lexsort((entries, -at[picked][first]))[:limit]
    return [int(n) for n in entries[order]]


def _prepare(query: Any) -> PreparedPerson:
    return prepare_query(query) if isinstance(query, PersonQuery) else prepare_entity(query)

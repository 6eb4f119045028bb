"""Compare two names part by part, in any order, and say how each part matched.

Each pair of parts gets the best of: exact, transliteration (equal in some
ASCII form), variant (same spelling-variant group), phonetic (same metaphone
key), fuzzy (optimal-string-alignment similarity over the forms, so a
transposition counts as one edit) or initial ("L" vs "Lynn"). Parts are
then aligned one-to-one, best pairs first; two adjacent parts on one side
may align with one part on the other ("Abdul Hai" vs "Abdulhai"). The score
weighs how much of each name is covered, so a missing middle name costs less
than a different surname.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from threadline.primitives.names import NameToken, PersonName, is_common, token_weight

__all__ = ["NameAlignment", "PartMatch", "align_names", "compare_tokens"]

# Similarity granted per kind of agreement; fuzzy uses the measured similarity.
EXACT = 1.0
TRANSLITERATION = 0.97
VARIANT = 0.92
PHONETIC = 0.8
INITIAL = 0.5
# Below these edit-distance similarities two parts are not considered the same.
_FUZZY_MIN_LONG = 0.75  # parts of 8+ letters: two edits allowed
_FUZZY_MIN_SHORT = 0.8  # parts of 5-7 letters: one edit
# The whole-name fallback (concatenated parts) catches shifted word boundaries
# ("Arefullaha Ref" vs "Arefullah Aref"); it is discounted and needs to be close.
_JOINED_MIN = 0.85
_JOINED_DISCOUNT = 0.95


@dataclass(frozen=True, slots=True)
class PartMatch:
    """How one or two query parts matched one or two candidate parts."""

    query: tuple[str, ...]
    candidate: tuple[str, ...]
    kind: str  # exact | transliteration | variant | phonetic | fuzzy | initial | joined
    similarity: float

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {
            "query": " ".join(self.query),
            "candidate": " ".join(self.candidate),
            "kind": self.kind,
            "similarity": round(self.similarity, 3),
        }


@dataclass(frozen=True, slots=True)
class NameAlignment:
    """The best alignment of two names: a score in 0..1 and the part matches behind it."""

    score: float
    matches: tuple[PartMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    rare_parts: int = 0  # matched query parts that are neither initials nor common names


def _fuzzy(left: frozenset[str], right: frozenset[str]) -> float:
    best = 0.0
    for a in left:
        for b in right:
            shortest = min(len(a), len(b))
            if shortest < 4:
                continue
            sim = OSA.normalized_similarity(a, b)
            floor = _FUZZY_MIN_LONG if shortest >= 8 else _FUZZY_MIN_SHORT
            if shortest == 4:
                floor = 0.75  # "jhon" vs "john" is one edit too
            if sim >= floor and sim > best:
                best = sim
    return best


@lru_cache(maxsize=500_000)
def compare_tokens(left: NameToken, right: NameToken) -> tuple[float, str]:
    """Similarity (0..1) of two name parts and the kind of agreement; ``(0, "none")``."""
    if left.text == right.text:
        return EXACT, "exact"
    if left.forms & right.forms:
        return TRANSLITERATION, "transliteration"
    if left.key == right.key:
        return VARIANT, "variant"
    if left.is_initial or right.is_initial:
        if left.text[0] == right.text[0]:
            return INITIAL, "initial"
        return 0.0, "none"
    fuzzy = _fuzzy(left.forms, right.forms)
    # Phonetic keys collide easily on short names (Hannah/Hahn), so the
    # spellings must also be half-similar and share their first letter.
    phonetic = (
        PHONETIC
        if len(left.phonetic) >= 3
        and left.phonetic == right.phonetic
        and left.text[0] == right.text[0]
        and OSA.normalized_similarity(left.text, right.text) >= 0.5
        else 0.0
    )
    if phonetic > fuzzy:
        return phonetic, "phonetic"
    if fuzzy > 0.0:
        return fuzzy, "fuzzy"
    return 0.0, "none"


# A possible part match: (similarity, query part indexes, candidate part indexes, kind).
# A plain tuple: alignments create many of these per pair of names.
_Option = tuple[float, tuple[int, ...], tuple[int, ...], str]


def _by_similarity(option: _Option) -> float:
    return -option[0]


def _by_similarity_then_size(option: _Option) -> tuple[float, int]:
    return -option[0], len(option[1]) + len(option[2])


def _joined_token(first: NameToken, second: NameToken) -> NameToken:
    forms = frozenset(a + b for a in first.forms for b in second.forms)
    text = first.text + second.text
    return NameToken(first.original + second.original, text, forms, text, "", token_weight(text))


def _single_options(query: tuple[NameToken, ...], cand: tuple[NameToken, ...]) -> list[_Option]:
    options: list[_Option] = []
    for i, q in enumerate(query):
        for j, c in enumerate(cand):
            sim, kind = compare_tokens(q, c)
            if sim > 0.0:
                options.append((sim, (i,), (j,), kind))
    options.sort(key=_by_similarity)
    return options


def _joined_options(
    query: tuple[NameToken, ...],
    cand: tuple[NameToken, ...],
    used_q: dict[int, float],
    used_c: dict[int, float],
) -> list[_Option]:
    """Two adjacent parts written as one on the other side ("abdul hai" / "abdulhai").

    Only parts the one-to-one pass left unmatched are tried, and only pairs
    whose joined length is within two letters of the single part.
    """
    options: list[_Option] = []
    sides = ((query, cand, used_q, used_c, False), (cand, query, used_c, used_q, True))
    for side_a, side_b, used_a, used_b, flip in sides:
        for i in range(len(side_a) - 1):
            first, second = side_a[i], side_a[i + 1]
            if i in used_a and i + 1 in used_a:
                continue
            length = len(first.text) + len(second.text)
            joined: NameToken | None = None
            for j, other in enumerate(side_b):
                if j in used_b or other.is_initial or other.text[0] != first.text[0]:
                    continue
                if abs(len(other.text) - length) > 2:
                    continue
                joined = joined or _joined_token(first, second)
                sim, _kind = compare_tokens(joined, other)
                if sim >= _FUZZY_MIN_SHORT:
                    pair, single = (i, i + 1), (j,)
                    q_idx, c_idx = (single, pair) if flip else (pair, single)
                    options.append((sim * 0.98, q_idx, c_idx, "joined"))
    return options


def _greedy(
    options: list[_Option], q_tokens: tuple[NameToken, ...], c_tokens: tuple[NameToken, ...]
) -> tuple[dict[int, float], dict[int, float], list[PartMatch]]:
    """Accept options best first while both sides' parts are still free."""
    used_q: dict[int, float] = {}
    used_c: dict[int, float] = {}
    matches: list[PartMatch] = []
    for similarity, q_idx, c_idx, kind in options:
        if any(i in used_q for i in q_idx) or any(j in used_c for j in c_idx):
            continue
        for i in q_idx:
            used_q[i] = similarity
        for j in c_idx:
            used_c[j] = similarity
        matches.append(
            PartMatch(
                tuple(q_tokens[i].text for i in q_idx),
                tuple(c_tokens[j].text for j in c_idx),
                kind,
                similarity,
            )
        )
    return used_q, used_c, matches


def _coverage(tokens: tuple[NameToken, ...], covered: dict[int, float]) -> float:
    total = sum(t.weight for t in tokens)
    if total == 0.0:
        return 0.0
    return sum(tokens[i].weight * sim for i, sim in covered.items()) / total


def align_names(query: PersonName, candidate: PersonName) -> NameAlignment:
    """Align the parts of two names regardless of order and score the result.

    The score blends how much of the shorter-covered side is explained (60%)
    with the better-covered side (40%): "John Smith" against "John Paul Smith"
    scores about 0.8, against "John Brown" about 0.5.
    """
    q_tokens, c_tokens = query.tokens, candidate.tokens
    if not q_tokens or not c_tokens:
        return NameAlignment(0.0, (), tuple(t.text for t in q_tokens), ())
    singles = _single_options(q_tokens, c_tokens)
    used_q, used_c, matches = _greedy(singles, q_tokens, c_tokens)
    if len(used_q) < len(q_tokens) and len(used_c) < len(c_tokens):
        # Parts left over on both sides: a part may be written split on one side.
        joined_options = _joined_options(q_tokens, c_tokens, used_q, used_c)
        if joined_options:
            options = singles + joined_options
            options.sort(key=_by_similarity_then_size)
            used_q, used_c, matches = _greedy(options, q_tokens, c_tokens)
    cov_q, cov_c = _coverage(q_tokens, used_q), _coverage(c_tokens, used_c)
    score = 0.6 * min(cov_q, cov_c) + 0.4 * max(cov_q, cov_c)
    unmatched_q = tuple(t.text for i, t in enumerate(q_tokens) if i not in used_q)
    unmatched_c = tuple(t.text for j, t in enumerate(c_tokens) if j not in used_c)
    joined = (
        _joined_similarity(q_tokens, c_tokens, max(_JOINED_MIN, score / _JOINED_DISCOUNT))
        if score < _JOINED_DISCOUNT
        else 0.0
    )
    if joined >= _JOINED_MIN and joined * _JOINED_DISCOUNT > score:
        whole = PartMatch(
            tuple(t.text for t in q_tokens), tuple(t.text for t in c_tokens), "joined", joined
        )
        rare = sum(1 for t in q_tokens if not t.is_initial and not is_common(t))
        return NameAlignment(joined * _JOINED_DISCOUNT, (whole,), (), (), rare)
    rare = sum(1 for i in used_q if not q_tokens[i].is_initial and not is_common(q_tokens[i]))
    return NameAlignment(score, tuple(matches), unmatched_q, unmatched_c, rare)


def _joined_similarity(
    query: tuple[NameToken, ...], cand: tuple[NameToken, ...], floor: float
) -> float:
    """Similarity of the names written without spaces, as written and with parts sorted.

    Similarities below ``floor`` (which could not change the result) come back as 0.
    """
    short = sum(len(t.text) for t in query)
    long = sum(len(t.text) for t in cand)
    short, long = min(short, long), max(short, long)
    if long == 0 or short / long < floor:
        # OSA similarity is at most short/long: too different in length to reach the floor
        return 0.0
    as_written = OSA.normalized_similarity(
        "".join(t.text for t in query), "".join(t.text for t in cand), score_cutoff=floor
    )
    by_sorted = OSA.normalized_similarity(
        "".join(sorted(t.text for t in query)),
        "".join(sorted(t.text for t in cand)),
        score_cutoff=floor,
    )
    return max(as_written, by_sorted)

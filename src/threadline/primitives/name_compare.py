"""Compare two names part by part, in any order, and say how each part matched.

Each pair of parts gets the best of: exact, transliteration (equal in some
ASCII form), variant (same spelling-variant group), phonetic (same metaphone
key), fuzzy (optimal-string-alignment similarity over the forms, so a
transposition counts as one edit) or initial ("L" vs "Lynn"); in a person's
name also nickname ("Ben" vs "Benjamin") and known variant (two spellings in
one Wikidata name item, "Sergejs" vs "Sergey"), read from rigour's name data
(MIT) and never granted to a pair the gendered-form rules keep apart. Parts are
then aligned one-to-one, best pairs first; two adjacent parts on one side
may align with one part on the other ("Abdul Hai" vs "Abdulhai"). The score
weighs how much of each name is covered, so a missing middle name costs less
than a different surname.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter, mul

from rapidfuzz.distance import OSA
from rigour.names import SymbolCategory, analyze_names
from rigour.names.tag import NameTypeTag

from threadline.primitives import arabic, han, maghrebi
from threadline.primitives.name_forms import distinct_forms, gendered_endings
from threadline.primitives.names import NameProfile, NameToken, PersonName, token_weight

__all__ = [
    "NameAlignment",
    "PartMatch",
    "align_names",
    "compare_tokens",
    "distinct_reason",
    "load_name_data",
    "named_reason",
    "score_bound",
]

# Similarity granted per kind of agreement; fuzzy uses the measured similarity.
EXACT = 1.0
TRANSLITERATION = 0.97
VARIANT = 0.92
UNVOWELLED = 0.92  # Arabic script read without its short vowels: as sure as a variant
MAGHREBI = 0.92  # an Arabic name in French (Maghrebi) spelling read as its English spelling
PHONETIC = 0.8
INITIAL = 0.5
# From rigour's person-name data: a nickname and its full name ("Ben"/"Benjamin") agree a
# little below a spelling variant (one nickname stands for several names: Ted is Edward or
# Theodore); two spellings in one Wikidata name item ("Sergejs"/"Sergey") as surely as a
# spelling variant of Threadline's own table.
NICKNAME = 0.9
KNOWN_VARIANT = 0.92
# Below these edit-distance similarities two parts are not considered the same.
_FUZZY_MIN_LONG = 0.75  # parts of 8+ letters: two edits allowed
_FUZZY_MIN_SHORT = 0.8  # parts of 5-7 letters: one edit
# The whole-name fallback (concatenated parts) catches shifted word boundaries
# ("Arefullaha Ref" vs "Arefullah Aref"); it is discounted and needs to be close.
_JOINED_MIN = 0.85
_JOINED_DISCOUNT = 0.95
# Two adjacent parts matched as one part on the other side ("Abdul Hai" / "Abdulhai").
_JOINED_PART_DISCOUNT = 0.98
# Two names that each keep a whole part the other lacks disagree on that part: by the
# names alone they are alike at best, never the same (below a screening match at 0.8).
CONFLICT_CEILING = 0.78
# The parts two such names leave over, written together, must be at least this alike for
# the whole-name fallback to read them as one part written another way ("Ref"/"Aref").
_LEFTOVER_MIN = 0.75
# A name written short: every part of one name (two whole parts at least) found in the
# other, each at least as surely as a phonetic match. The parts left out weigh less: the
# better-covered side counts 70% rather than 40%.
_SHORT_MIN = PHONETIC
_SHORT_BLEND = 0.3
# Scripts whose parts are compared whole, never letter by letter.
_WHOLE = frozenset({"hangul", "han"})
_NICK, _NAME = SymbolCategory.NICK, SymbolCategory.NAME
# Parts of at most this many letters match only exactly, as a transliteration or a variant.
_SHORT_PART = 3
# The kind of two parts that are spelled alike but name different people (see name_forms).
DISTINCT = "distinct"


@dataclass(frozen=True, slots=True)
class PartMatch:
    """How one or two query parts matched one or two candidate parts."""

    query: tuple[str, ...]
    candidate: tuple[str, ...]
    # exact | transliteration | variant | unvowelled | nickname | known_variant | phonetic |
    # fuzzy | initial | joined
    kind: str
    similarity: float

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {
            "query": " ".join(self.query),
            "candidate": " ".join(self.candidate),
            "kind": self.kind,
            "similarity": round(self.similarity, 3),
        }


# A possible part match: (similarity, query part indexes, candidate part indexes, kind).
# A plain tuple: alignments create many of these per pair of names.
_Option = tuple[float, tuple[int, ...], tuple[int, ...], str]


@dataclass(frozen=True, slots=True)
class NameAlignment:
    """The best alignment of two names: a score in 0..1 and the part matches behind it.

    ``accepted`` holds the part matches as (similarity, query part indexes,
    candidate part indexes, kind); :attr:`matches` and the unmatched parts are
    built from it when asked for (to explain a hit), not for every candidate
    a screening scores.
    """

    score: float
    query_parts: tuple[str, ...]
    candidate_parts: tuple[str, ...]
    accepted: tuple[_Option, ...]
    rare_parts: int = 0  # matched query parts that are neither initials nor common names
    # every part of one name was found in the other, which has more (see _written_short)
    shortened: bool = False
    # the person's own name on one side is the father's on the other (see _lineage_crossed)
    lineage_crossed: bool = False

    @property
    def matches(self) -> tuple[PartMatch, ...]:
        """How the parts matched, best first."""
        q_parts, c_parts = self.query_parts, self.candidate_parts
        return tuple(
            PartMatch(tuple(q_parts[i] for i in q_idx), tuple(c_parts[j] for j in c_idx), kind, sim)
            for sim, q_idx, c_idx, kind in self.accepted
        )

    @property
    def unmatched_query(self) -> tuple[str, ...]:
        """Query parts no part match covers, in written order."""
        used = {i for option in self.accepted for i in option[1]}
        return tuple(part for i, part in enumerate(self.query_parts) if i not in used)

    @property
    def unmatched_candidate(self) -> tuple[str, ...]:
        """Candidate parts no part match covers, in written order."""
        used = {j for option in self.accepted for j in option[2]}
        return tuple(part for j, part in enumerate(self.candidate_parts) if j not in used)


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


# How two parts compare: (similarity, kind of agreement).
_Compare = Callable[[NameToken, NameToken], tuple[float, str]]


@lru_cache(maxsize=500_000)
def compare_tokens(left: NameToken, right: NameToken) -> tuple[float, str]:
    """Similarity (0..1) of two parts of a person's name and the kind of agreement;
    ``(0, "none")`` when they do not agree."""
    return _compare(left, right, True)


@lru_cache(maxsize=50_000)
def _compare_spellings(left: NameToken, right: NameToken) -> tuple[float, str]:
    """:func:`compare_tokens` for parts of an organisation's or vessel's name: by their
    spelling alone, without the person-name data ("Bill" is no nickname in a company)."""
    return _compare(left, right, False)


def _compare(left: NameToken, right: NameToken, person: bool) -> tuple[float, str]:
    if left.script == "han" == right.script:
        # characters that share a pinyin are still other characters ("石" and "市": shi)
        if han.simplified(left.original) == han.simplified(right.original):
            return EXACT, "exact"
        return 0.0, "none"
    if left.script == "hangul" == right.script:
        # syllables whose romanisations meet are still other syllables (정 and 종: MR chong)
        return (EXACT, "exact") if left.original == right.original else (0.0, "none")
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
    if left.script or right.script:  # only parts in a script that decides how they compare
        spelled = _unvowelled(left, right)
        if spelled is not None:
            # an Arabic-script part against a romanisation: its written letters decide
            return (UNVOWELLED, "unvowelled") if spelled else (0.0, "none")
        if left.script in _WHOLE or right.script in _WHOLE:
            # a Korean or Chinese part's romanisations are all in its forms: "yeong" is
            # not "jong", and the given name "jihun" is not "jihyun"
            return 0.0, "none"
    if distinct_forms(left.text, right.text) is not None or (
        (len(left.forms) > 1 or len(right.forms) > 1) and _distinct_forms(left, right)
    ):
        return 0.0, DISTINCT  # a man's and a woman's name, or a patronymic and a surname
    if person and _gendered_names(left, right):
        return 0.0, DISTINCT  # Luis/Luisa, Mario/Maria: two names in the name data
    named = _named_alike(left, right) if person else None
    if person and not left.script and not right.script:
        read = _maghrebi(left, right)
        if read is not None:
            # an Arabic name in French (Maghrebi) spelling: its reading decides, as the
            # letters of an Arabic-script part do (the name data first, where it knows both)
            if named is not None:
                return named
            # another root is another name: kept apart from the whole-name comparison too
            return (MAGHREBI, "maghrebi") if read else (0.0, DISTINCT)
    if min(len(left.text), len(right.text)) <= _SHORT_PART:
        if named is not None:
            return named  # "Ben" and "Benjamin", "Li" and "Lee"
        # a short given name ("An", "Wei") is compared whole: "Anh" and "Wen" are others;
        # a letter typed twice ("Yyu" for "Yu") is the one slip that keeps it whole
        a, b = left.text, right.text
        if a[0] == b[0] and len(a) != len(b) and _undoubled(a) == _undoubled(b):
            return _FUZZY_MIN_SHORT, "fuzzy"
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
    if named is not None and named[0] >= max(phonetic, fuzzy):
        return named
    if phonetic > fuzzy:
        return phonetic, "phonetic"
    if fuzzy > 0.0:
        return fuzzy, "fuzzy"
    return 0.0, "none"


_NO_SYMBOLS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


@lru_cache(maxsize=200_000)
def _symbols(token: NameToken) -> tuple[frozenset[str], frozenset[str]]:
    """The nickname groups and the name items (Wikidata ids) rigour's person-name data
    tags a part with, as written (rigour reads every script, and without case):
    ``({"BEN", ...}, {"Q816407", ...})`` for "Ben". Remembered per part and per spelling:
    "OKAFOR" on a passport is looked up once with the list's "Okafor"."""
    return _spelled_symbols(token.original.casefold())


@lru_cache(maxsize=200_000)
def _spelled_symbols(text: str) -> tuple[frozenset[str], frozenset[str]]:
    nicks: set[str] = set()
    names: set[str] = set()
    analysed = analyze_names(NameTypeTag.PER, [text], consolidate=False, phonetics=False,
                             numerics=False, rewrite=False)  # fmt: skip
    for name in analysed:
        whole = len(name.parts)
        for span in name.spans:
            if len(span.parts) != whole:
                continue  # a symbol of some of the words rigour reads in the part ("バラク")
            symbol = span.symbol
            category = symbol.category
            if category == _NICK:
                nicks.add(symbol.id)
            elif category == _NAME:
                names.add(symbol.id)
    if not nicks and not names:
        return _NO_SYMBOLS
    return frozenset(nicks), frozenset(names)


def load_name_data() -> None:
    """Build rigour's person-name tagger now (7-10 s of CPU and about 0.4 GiB, once a
    process) rather than on the first comparison that needs it: a watchlist index calls
    this when it is built (:meth:`WatchlistIndex.freeze`)."""
    analyze_names(NameTypeTag.PER, ["Benjamin"], consolidate=False, phonetics=False,
                  numerics=False, rewrite=False)  # fmt: skip


def _named_alike(left: NameToken, right: NameToken) -> tuple[float, str] | None:
    """A nickname and its full name, or two spellings in one name item of rigour's data;
    None when neither. Two spellings with a stem in common whose endings say a man's and
    a woman's name in every form they take (see :func:`_feminine_ending`; "sinha", the
    letter-exact form of सिंह, is also "simh") are never known variants."""
    left_nicks, left_names = _symbols(left)
    if not left_nicks and not left_names:
        return None
    right_nicks, right_names = _symbols(right)
    if left_nicks and not left_nicks.isdisjoint(right_nicks):
        return NICKNAME, "nickname"
    if (
        left_names
        and not left_names.isdisjoint(right_names)
        and not all(_feminine_ending(a, b) for a in left.forms for b in right.forms)
    ):
        return KNOWN_VARIANT, "known_variant"
    return None


def _gendered_names(left: NameToken, right: NameToken) -> bool:
    """Whether two given names are a man's and a woman's form by their endings
    (:func:`threadline.primitives.name_forms.gendered_endings`) that rigour's name data
    knows as two names: each part in a name item, none (and no nickname group) shared."""
    if not any(gendered_endings(a, b) for a in _spellings(left) for b in _spellings(right)):
        return False
    left_nicks, left_names = _symbols(left)
    right_nicks, right_names = _symbols(right)
    return (
        bool(left_names and right_names)
        and left_names.isdisjoint(right_names)
        and left_nicks.isdisjoint(right_nicks)
    )


def _spellings(token: NameToken) -> frozenset[str] | tuple[str]:
    """The part as written, or every romanisation of an Arabic, Korean or Chinese part."""
    return token.forms if token.script else (token.text,)


def _feminine_ending(left: str, right: str) -> bool:
    """Whether two spellings share a stem of three letters or more and differ only in
    endings of up to three letters, one of them ending in -a or -e where the other does
    not: Luca/Lucy, Goran/Goranka, Valentin/Valentine, Simone/Simona. A name item may hold
    a man's and a woman's name; these stay as their spelling compares them."""
    stem = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        stem += 1
    if stem < 3:
        return False
    rest_left, rest_right = left[stem:], right[stem:]
    if len(rest_left) > 3 or len(rest_right) > 3 or rest_left[-1:] == rest_right[-1:]:
        return False
    return rest_left.endswith(("a", "e")) or rest_right.endswith(("a", "e"))


def named_reason(left: NameToken, right: NameToken) -> str | None:
    """Why two parts of a person's name agree by rigour's name data: "'ben' is a nickname
    of 'benjamin'", "'sergejs' is a known variant of 'sergey'"; None when they do not."""
    found = _named_alike(left, right)
    if found is None:
        return None
    a, b = left.text, right.text
    if found[1] == "known_variant":
        return f"{a!r} is a known variant of {b!r}"
    shared = _symbols(left)[0] & _symbols(right)[0]
    # a group is named after its nickname ("TED2": the second group "Ted" is in)
    nicks = {group.lower().rstrip("0123456789") for group in shared}
    if b in nicks and a not in nicks:
        a, b = b, a
    return f"{a!r} is a nickname of {b!r}"


def _written_whole(token: NameToken) -> bool:
    """Whether the part is written in Hangul or Chinese characters (compared whole)."""
    return token.script in _WHOLE


def _unvowelled(left: NameToken, right: NameToken) -> bool | None:
    """Whether an Arabic-script part and a part in another script spell the same name;
    None when neither or both are in Arabic script, or the letters cannot be read."""
    left_arabic, right_arabic = left.script == "arabic", right.script == "arabic"
    if left_arabic == right_arabic:
        return None
    if left_arabic:
        return arabic.spells(left.original, right.forms)
    return arabic.spells(right.original, left.forms)


_ARTICLES = ("al", "el")
# The conventions that mark a part as an Arabic name in French spelling: a soft c, dj.
_FRENCH_CONSONANTS = frozenset({"c", "dj"})


@lru_cache(maxsize=200_000)
def _readings(token: NameToken) -> tuple[maghrebi.Reading, ...]:
    """The Maghrebi readings of a part's forms, for a part written in French or English
    letters (not a transliteration of another script, nor "Vučić"); a part written after a
    separate article ("Al Akhdar", "El Amine") is also read with the article as "l-"
    (Lakhdar, Lamine)."""
    if not maghrebi.in_french_letters(token.original):
        return ()
    found = [r for form in sorted(token.forms) if (r := maghrebi.reading(form)) is not None]
    text = token.text
    if text[0] in "aeiou" and any(article + text in token.forms for article in _ARTICLES):
        joined = maghrebi.reading("l" + text)
        if joined is not None:
            found.append(joined._replace(conventions=joined.conventions | {"article"}))
    # a reading spelled with letters no Arabic name is written with decides nothing
    return tuple(r for r in found if r.arabic_letters)


def _maghrebi(left: NameToken, right: NameToken) -> bool | None:
    """True when two Latin parts are one Arabic name and a Maghrebi convention explains how
    their spellings differ (Nacer/Nasser, Cherif/Sharif, Ezzine/El Zein); False when a part
    in French spelling of an Arabic name (a soft c, dj) and the other have other consonants
    in as many places (Nacer/Nader: another name); None when the reading says nothing."""
    other = False
    left_readings = _readings(left)
    right_readings = _readings(right) if left_readings else ()
    for a in left_readings:
        for b in right_readings:
            if maghrebi.same_name(a, b):
                if maghrebi.explains(a, b):
                    return True
            elif (
                not other
                and not (_FRENCH_CONSONANTS.isdisjoint(a.conventions)
                         and _FRENCH_CONSONANTS.isdisjoint(b.conventions))
                and maghrebi.other_root(a, b)
            ):  # fmt: skip
                other = True
    return False if other else None


def _distinct_forms(left: NameToken, right: NameToken) -> bool:
    """Whether the parts are a man's and a woman's form, or a patronymic and a surname,
    in any of their transliterations ("Кузнецов" is "kuznecov" and "kuznetsov")."""
    return any(distinct_forms(a, b) is not None for a in left.forms for b in right.forms)


def distinct_reason(left: NameToken, right: NameToken) -> str | None:
    """Why two parts are different names though spelled alike (see name_forms), in the
    first of their transliterations that shows it; None when they are not such a pair."""
    for a in (left.text, *sorted(left.forms)):
        for b in (right.text, *sorted(right.forms)):
            reason = distinct_forms(a, b)
            if reason is not None:
                return reason
    if not left.script and not right.script and _maghrebi(left, right) is False:
        return f"{left.text!r} and {right.text!r} read as Arabic names have other consonants"
    if _gendered_names(left, right):
        return (
            f"{left.text!r} and {right.text!r} are two names in the name data, a man's and a "
            "woman's form by their endings"
        )
    return None


def _undoubled(text: str) -> str:
    """``text`` with every run of one letter written once ("yyu" -> "yu")."""
    return "".join(char for i, char in enumerate(text) if i == 0 or text[i - 1] != char)


_similarity = itemgetter(0)


def _by_similarity_then_size(option: _Option) -> tuple[float, int]:
    return -option[0], len(option[1]) + len(option[2])


@lru_cache(maxsize=50_000)
def _joined_token(first: NameToken, second: NameToken) -> NameToken:
    """Two parts written as one (one token per pair, so its comparisons are cached too)."""
    forms = frozenset(a + b for a in first.forms for b in second.forms)
    text = first.text + second.text
    script = first.script if first.script == second.script else ""
    return NameToken(
        first.original + second.original, text, forms, text, "", token_weight(text), script
    )


def _single_options(
    query: tuple[NameToken, ...], cand: tuple[NameToken, ...], compare: _Compare
) -> list[_Option]:
    options: list[_Option] = []
    for i, q in enumerate(query):
        q_index = (i,)
        for j, c in enumerate(cand):
            sim, kind = compare(q, c)
            if sim > 0.0:
                options.append((sim, q_index, (j,), kind))
    # best first; equal similarities keep their order (reverse sorts are stable too)
    options.sort(key=_similarity, reverse=True)
    return options


def _joined_options(
    query: tuple[NameToken, ...],
    cand: tuple[NameToken, ...],
    used_q: dict[int, float],
    used_c: dict[int, float],
    compare: _Compare,
) -> list[_Option]:
    """Two adjacent parts written as one on the other side ("abdul hai" / "abdulhai").

    Only parts the one-to-one pass left unmatched are tried, and only pairs
    whose joined length is within two letters of the single part.
    """
    options: list[_Option] = []
    sides = ((query, cand, used_q, used_c, False), (cand, query, used_c, used_q, True))
    for side_a, side_b, used_a, used_b, flip in sides:
        if len(side_a) < 2:
            continue  # no two parts to join
        # the parts of side b a joined pair may match: unmatched and not initials
        free = [
            (j, other) for j, other in enumerate(side_b) if j not in used_b and len(other.text) != 1
        ]
        if not free:
            continue
        for i in range(len(side_a) - 1):
            if i in used_a and i + 1 in used_a:
                continue
            first, second = side_a[i], side_a[i + 1]
            length = len(first.text) + len(second.text)
            initial = first.text[0]
            joined: NameToken | None = None
            for j, other in free:
                text = other.text
                if not _may_join(initial, length, bool(first.script), text[0], len(text),
                                 bool(other.script)):  # fmt: skip
                    continue
                joined = joined or _joined_token(first, second)
                sim, _kind = compare(joined, other)
                if sim >= _FUZZY_MIN_SHORT:
                    pair, single = (i, i + 1), (j,)
                    q_idx, c_idx = (single, pair) if flip else (pair, single)
                    options.append((sim * _JOINED_PART_DISCOUNT, q_idx, c_idx, "joined"))
    return options


def _may_join(
    initial: str, length: int, scripted: bool, first: str, size: int, in_script: bool
) -> bool:
    """Whether two adjacent parts (the first's initial and script, their joined length) may
    be one part on the other side (its first letter, length and script): the same first
    letter and a length within two letters; a part romanised from Arabic, Hangul or Chinese
    characters need not share either ("우진" is "ujin" and "Woo-jin")."""
    return scripted or in_script or (first == initial and abs(size - length) <= 2)


def _greedy(options: list[_Option]) -> tuple[dict[int, float], dict[int, float], list[_Option]]:
    """Accept options best first while both sides' parts are still free."""
    used_q: dict[int, float] = {}
    used_c: dict[int, float] = {}
    accepted: list[_Option] = []
    for option in options:
        similarity, q_idx, c_idx, _kind = option
        if len(q_idx) == 1 and len(c_idx) == 1:
            i, j = q_idx[0], c_idx[0]
            if i in used_q or j in used_c:
                continue
            used_q[i] = similarity
            used_c[j] = similarity
        else:
            if any(i in used_q for i in q_idx) or any(j in used_c for j in c_idx):
                continue
            for i in q_idx:
                used_q[i] = similarity
            for j in c_idx:
                used_c[j] = similarity
        accepted.append(option)
    return used_q, used_c, accepted


def _coverage(side: NameProfile, covered: dict[int, float]) -> float:
    total = side.total_weight
    if total == 0.0:
        return 0.0
    weights = side.weights
    return sum([weights[i] * sim for i, sim in covered.items()]) / total


def align_names(query: PersonName, candidate: PersonName) -> NameAlignment:
    """Align the parts of two names regardless of order and score the result.

    The score blends how much of the shorter-covered side is explained (60%)
    with the better-covered side (40%): "John Smith" against "John Paul Smith"
    scores about 0.8, against "John Brown" about 0.5.
    """
    q_tokens, c_tokens = query.tokens, candidate.tokens
    if not q_tokens or not c_tokens:
        return NameAlignment(0.0, tuple(t.text for t in q_tokens), (), ())
    q_side, c_side = query.profile, candidate.profile
    compare = compare_tokens if query.person and candidate.person else _compare_spellings
    singles = _single_options(q_tokens, c_tokens, compare)
    used_q, used_c, accepted = _greedy(singles)
    if len(used_q) < len(q_tokens) and len(used_c) < len(c_tokens):
        # Parts left over on both sides: a part may be written split on one side.
        joined_options = _joined_options(q_tokens, c_tokens, used_q, used_c, compare)
        if joined_options:
            options = singles + joined_options
            options.sort(key=_by_similarity_then_size)
            used_q, used_c, accepted = _greedy(options)
    cov_q = _coverage(q_side, used_q)
    cov_c = _coverage(c_side, used_c)
    low, high = min(cov_q, cov_c), max(cov_q, cov_c)
    score = 0.6 * low + 0.4 * high
    shortened = query.person and candidate.person and _written_short(q_tokens, c_tokens, used_q,
                                                                     used_c, accepted)  # fmt: skip
    if shortened:
        score = _SHORT_BLEND * low + (1.0 - _SHORT_BLEND) * high
    elif score > CONFLICT_CEILING and _conflict(q_tokens, c_tokens, used_q, used_c):
        score = CONFLICT_CEILING
    crossed = _lineage_crossed(query, candidate, accepted)
    if crossed:
        # a son and his father: alike at best, and no reading of the letters makes them one
        score = min(score, CONFLICT_CEILING)
    elif score < _JOINED_DISCOUNT:
        joined = _joined_similarity(q_side, c_side, max(_JOINED_MIN, score / _JOINED_DISCOUNT))
        if (
            joined >= _JOINED_MIN
            and joined * _JOINED_DISCOUNT > score
            and not _kept_apart(q_tokens, c_tokens, used_q, used_c, compare, query.person)
        ):
            whole = (joined, tuple(range(len(q_tokens))), tuple(range(len(c_tokens))), "joined")
            rare = sum(q_side.rare)
            return NameAlignment(
                joined * _JOINED_DISCOUNT, q_side.texts, c_side.texts, (whole,), rare
            )
    rare_flags = q_side.rare
    rare = sum([1 for i in used_q if rare_flags[i]])
    return NameAlignment(
        score, q_side.texts, c_side.texts, tuple(accepted), rare, shortened, crossed
    )


@lru_cache(maxsize=65_536)
def score_bound(query: PersonName, candidate: PersonName) -> float:
    """A score :func:`align_names` cannot exceed for these names, at part of its cost.

    Each part is credited with its best agreement with any part on the other side, by the
    comparison the alignment uses (nicknames and known variants included: as if every
    part could have its best partner), and with a joined match's similarity where
    two adjacent parts could be read as one across (the same first letter and length test
    the alignment applies); the whole-name comparison is taken as it is. A screening
    aligns the names of a candidate only when this bound lets it reach the threshold:
    most candidates a common surname brings in share that surname and nothing else.
    Remembered: a border meets the same travellers' names and the same entries again.
    """
    q_tokens, c_tokens = query.tokens, candidate.tokens
    if not q_tokens or not c_tokens:
        return 0.0
    q_best = [0.0] * len(q_tokens)
    c_best = [0.0] * len(c_tokens)
    compare = compare_tokens if query.person and candidate.person else _compare_spellings
    for i, q in enumerate(q_tokens):
        best = 0.0
        for j, c in enumerate(c_tokens):
            sim = compare(q, c)[0]
            if sim > best:
                best = sim
            if sim > c_best[j]:
                c_best[j] = sim
        q_best[i] = best
    q_side, c_side = query.profile, candidate.profile
    _joinable(q_side.pairs, c_side.joinable, q_best, c_best)
    _joinable(c_side.pairs, q_side.joinable, c_best, q_best)
    cov_q = (
        sum(map(mul, q_side.weights, q_best)) / q_side.total_weight if q_side.total_weight else 0.0
    )
    cov_c = (
        sum(map(mul, c_side.weights, c_best)) / c_side.total_weight if c_side.total_weight else 0.0
    )
    low, high = min(cov_q, cov_c), max(cov_q, cov_c)
    if (
        query.person
        and candidate.person
        and (min(q_best) >= _SHORT_MIN or min(c_best) >= _SHORT_MIN)
    ):
        # every part of one side may be found in the other: the name may be written short
        parts = _SHORT_BLEND * low + (1.0 - _SHORT_BLEND) * high
    else:
        parts = 0.6 * low + 0.4 * high
    whole = _joined_similarity(q_side, c_side, _JOINED_MIN) * _JOINED_DISCOUNT
    return max(parts, whole)


def _joinable(
    pairs: tuple[tuple[int, str, int, bool], ...],
    parts: tuple[tuple[int, str, int, bool], ...],
    best_a: list[float],
    best_b: list[float],
) -> None:
    """Credit the parts a joined match could cover (:func:`_may_join`, as the alignment tests)."""
    for i, initial, length, scripted in pairs:
        for j, first, size, in_script in parts:
            # _may_join, written out: a bound is computed for most candidates a query meets
            if scripted or in_script or (first == initial and abs(size - length) <= 2):
                if best_a[i] < _JOINED_PART_DISCOUNT:
                    best_a[i] = _JOINED_PART_DISCOUNT
                if best_a[i + 1] < _JOINED_PART_DISCOUNT:
                    best_a[i + 1] = _JOINED_PART_DISCOUNT
                if best_b[j] < _JOINED_PART_DISCOUNT:
                    best_b[j] = _JOINED_PART_DISCOUNT


def _conflict(
    query: tuple[NameToken, ...],
    cand: tuple[NameToken, ...],
    used_q: dict[int, float],
    used_c: dict[int, float],
) -> bool:
    """Whether each name keeps a whole part (not an initial) that matched nothing on the
    other: "Azzam Zureik al-Harbi" against "Azzam Zureik al-Subhi" disagree on a part,
    where "Azzam Zureik" against either only leaves one out."""
    return any(len(t.text) > 1 for i, t in enumerate(query) if i not in used_q) and any(
        len(t.text) > 1 for j, t in enumerate(cand) if j not in used_c
    )


def _written_short(
    query: tuple[NameToken, ...],
    cand: tuple[NameToken, ...],
    used_q: dict[int, float],
    used_c: dict[int, float],
    accepted: list[_Option],
) -> bool:
    """Whether one name is the other written short: every part of one (two whole parts at
    least) found in the other, which keeps parts of its own, and no part matched below a
    phonetic match (an initial or a slip says too little to stand for a part left out).
    "Dost Mohammad" is "Dost Mohammad Khan Haqqani" written short; "John Brown" is not
    "John Paul Smith" (a part differs: the other side is not covered)."""
    full_q, full_c = len(used_q) == len(query), len(used_c) == len(cand)
    if full_q == full_c:
        return False
    short = query if full_q else cand
    if sum([1 for t in short if len(t.text) > 1]) < 2:
        return False
    return all(option[0] >= _SHORT_MIN for option in accepted)


def _lineage_crossed(query: PersonName, candidate: PersonName, accepted: list[_Option]) -> bool:
    """Whether the names, both written with "bin"/"ibn"/"bint", put one name on either side
    of it: the part just before the particle (the person's own name) matched to the part
    just after it on the other side (the father's). "Salman bin Muhammad" is the son of
    "Muhammad bin Salman" or his father, not him. Only those two parts are looked at: a
    surname written first ("al-Rawi, Muhammad bin Salman") moves nothing around the particle."""
    q_at, c_at = query.lineage, candidate.lineage
    if q_at is None or c_at is None:
        return False
    crossings = {(q_at - 1, c_at), (q_at, c_at - 1)}
    return any(
        (q_idx[0], c_idx[0]) in crossings
        for _sim, q_idx, c_idx, _kind in accepted
        if len(q_idx) == 1 and len(c_idx) == 1
    )


def _kept_apart(
    query: tuple[NameToken, ...],
    cand: tuple[NameToken, ...],
    used_q: dict[int, float],
    used_c: dict[int, float],
    compare: _Compare,
    person: bool,
) -> bool:
    """True when the parts left unmatched differ in a way the whole-name comparison must not
    paper over: a gendered form or a patronymic, or short parts on both sides ("Wei Zhang"
    is not "Wen Zhang"). A short part that begins a longer one is another given name only in
    a person's name: "Van der Bilt" is the company "Vanderbilt"."""
    free_q = [t for i, t in enumerate(query) if i not in used_q]
    free_c = [t for j, t in enumerate(cand) if j not in used_c]
    if not free_q or not free_c:
        return False
    if all(len(t.text) <= _SHORT_PART for t in free_q + free_c):
        return True
    if any(_written_whole(t) for t in free_q + free_c):
        return True  # a Korean or Chinese given name is compared whole, never as letters
    if person and any(_short_prefix(q.text, c.text) for q in free_q for c in free_c):
        return True
    if any(compare(q, c)[1] == DISTINCT for q in free_q for c in free_c):
        return True
    # whole parts left over on both sides that are not one part written another way (a
    # shifted boundary, "Ref"/"Aref"): a different father's or family name
    whole_q = "".join([t.text for t in free_q if len(t.text) > 1])
    whole_c = "".join([t.text for t in free_c if len(t.text) > 1])
    return bool(whole_q and whole_c) and (
        OSA.normalized_similarity(whole_q, whole_c, score_cutoff=_LEFTOVER_MIN) == 0.0
    )


def _short_prefix(left: str, right: str) -> bool:
    """A short given name and a longer one that starts with it are two names: "An" and
    "Anh", "Lan" and "Lanh", "Hoa" and "Hoai" (Vietnamese given names are whole words)."""
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    return len(short) <= _SHORT_PART < len(long) and long.startswith(short)


def _joined_similarity(query: NameProfile, cand: NameProfile, floor: float) -> float:
    """Similarity of the names written without spaces, as written and with parts sorted.

    Similarities below ``floor`` (which could not change the result) come back as 0.
    """
    short, long = min(query.letters, cand.letters), max(query.letters, cand.letters)
    if long == 0 or short / long < floor:
        # OSA similarity is at most short/long: too different in length to reach the floor
        return 0.0
    as_written = OSA.normalized_similarity(query.joined, cand.joined, score_cutoff=floor)
    by_sorted = OSA.normalized_similarity(
        query.joined_sorted, cand.joined_sorted, score_cutoff=floor
    )
    return max(as_written, by_sorted)

"""Person-name normalisation: tokens in comparable ASCII forms, variant keys, phonetic keys.

A name in any script becomes a :class:`PersonName`: a tuple of :class:`NameToken`,
each carrying every ASCII form its original can take (ICU, ICAO 9303, anyascii),
the canonical key of its spelling-variant group (Mohammed, Muhammad, Mukhammad
-> ``muhammad``), and a metaphone key. Honorifics and generational suffixes are
dropped; particles (al-, bin, van, de...) are folded into the following token
so "al-Tikriti", "Al Tikriti" and "Altikriti" compare equal. Surname/given-name
order is never assumed: comparison aligns tokens in any order.

Everything here is pure and cached; entity resolution reuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from rigour.text.phonetics import metaphone

from threadline.primitives import arabic, han, hangul
from threadline.primitives.name_forms import is_patronymic
from threadline.primitives.translit import ascii_forms

__all__ = [
    "HONORIFICS",
    "NAME_DROPPED",
    "NAME_SEPARATORS",
    "PARTICLES",
    "NameProfile",
    "NameToken",
    "PersonName",
    "canonical_key",
    "common_keys",
    "is_common",
    "is_honorific",
    "parse_name",
    "part_token",
    "phonetic_key",
    "plain_part",
    "split_name",
    "token_weight",
    "written_script",
]

# Titles, honorifics and suffixes that say nothing about identity. Religious
# and customary titles (haji, mullah, maulavi) are common in South and West
# Asian watchlist entries and are used inconsistently between sources.
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "fr",
    "sr", "jr", "ii", "iii", "iv", "md", "phd", "esq", "sheikh", "shaikh", "shaykh", "sheik",
    "haji", "hajji", "hadji", "mullah", "mulla", "maulavi", "mawlawi", "maulvi", "mawlana",
    "maulana", "qari", "sayyed", "syed", "hon", "general", "gen", "col", "maj", "capt", "lt",
    "sgt"
})  # fmt: skip
# Particles that attach to the next name part; sources write them joined,
# hyphenated or apart, so they are folded into that part. The Arabic article assimilated
# to the next consonant is "ad", "ar", "as"... in English spelling and "ech", "es", "et",
# "ez" in French (Maghrebi) spelling ("Ech-Cherif", "Ez-Zine"); "ed", "en" and "er" are
# left out ("Ed" is a given name; "En" and "Er" are Chinese syllables).
PARTICLES = frozenset({
    "al", "el", "ul", "ad", "ar", "as", "an", "ash", "at", "az", "ech", "es", "et", "ez", "bin",
    "ibn", "bint", "ben", "van", "von", "der", "den", "de", "da", "das", "dos", "do", "del",
    "della", "di", "du", "la", "le", "wa"
})  # fmt: skip
# Particles that are also a given name: at the very start of a name "Ben" is as often
# Benjamin ("Ben Okafor") as the particle of a surname written first ("BEN ALI Zineb").
_GIVEN_PARTICLES = frozenset({"ben"})
# Particles that say "son (daughter) of": the part after one is the father's name. "Ben"
# is left out: in North African names it makes fixed surnames ("Ben Ali").
_LINEAGE_PARTICLES = frozenset({"bin", "ibn", "bint"})
_SEPARATORS = re.compile(r"[\s,.;:/\\()\[\]{}\"“”«»„<>|+&*#!?=~\-‐‑–—_]+")
_DROPPED = re.compile(r"['’ʼ`´ʻ]")
# What split_name() splits on and drops (set-based callers run the same patterns in SQL).
NAME_SEPARATORS = _SEPARATORS
NAME_DROPPED = _DROPPED
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True, eq=False)
class NameToken:
    """One part of a name, ready to compare.

    Tokens compare and hash by identity (they are cached per spelling), which
    keeps the per-pair comparison cache cheap.

    ``text`` is the display form (lower-case ASCII), ``forms`` every ASCII form
    the original can take, ``key`` the canonical variant key (``text`` itself
    when the part is in no variant group), ``phonetic`` its metaphone key.
    """

    original: str
    text: str
    forms: frozenset[str]
    key: str
    phonetic: str
    weight: float  # what the part says about identity: see token_weight()
    # the script of the part as written when it decides how it compares: "arabic" (read
    # without short vowels), "hangul" or "han" (compared whole); "" for any other
    script: str = ""

    @property
    def is_initial(self) -> bool:
        """A single letter, as in "Jennifer L. McClellan"."""
        return len(self.text) == 1


class NameProfile(NamedTuple):
    """What comparing a name reads of its tokens, computed once when the name is made."""

    texts: tuple[str, ...]
    weights: tuple[float, ...]
    total_weight: float
    letters: int
    joined: str  # the parts written without spaces, as written
    joined_sorted: str  # and in sorted order
    rare: tuple[bool, ...]  # per part: neither an initial (or a light part) nor a common name
    # what a joined match ("Abdul Hai" / "Abdulhai") needs of two adjacent parts: (first
    # part's index, its first letter, the pair's length, whether the first is in a script)
    pairs: tuple[tuple[int, str, int, bool], ...]
    # and of a part it may match (initials never do): (index, first letter, length, script)
    joinable: tuple[tuple[int, str, int, bool], ...]


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as written and its comparable tokens (order as written).

    ``person`` is False for an organisation's or a vessel's name: the person-name data
    (nicknames, known variants) is not read for its parts.
    """

    original: str
    tokens: tuple[NameToken, ...]
    person: bool = True
    # the index of the first part written after "bin", "ibn" or "bint" (the father's name,
    # the parts before it the person's own), when the name states one; see parse_name
    lineage: int | None = field(default=None, compare=False)
    profile: NameProfile = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tokens = self.tokens
        texts = tuple(t.text for t in tokens)
        common = common_keys()
        profile = NameProfile(
            texts,
            tuple(t.weight for t in tokens),
            sum(t.weight for t in tokens),
            sum(map(len, texts)),
            "".join(texts),
            "".join(sorted(texts)),
            # an initial or a light leading "Ben" (weight 1) is no rare evidence
            tuple(t.weight > 1.0 and t.key not in common for t in tokens),
            tuple(
                (i, tokens[i].text[0], len(tokens[i].text) + len(tokens[i + 1].text),
                 bool(tokens[i].script))
                for i in range(len(tokens) - 1)
            ),
            tuple(
                (j, t.text[0], len(t.text), bool(t.script))
                for j, t in enumerate(tokens)
                if len(t.text) != 1
            ),
        )  # fmt: skip
        object.__setattr__(self, "profile", profile)

    @property
    def keys(self) -> frozenset[str]:
        """Canonical variant keys of the tokens (used for blocking)."""
        return frozenset(token.key for token in self.tokens)


def token_weight(text: str) -> float:
    """How much a part says about identity: longer parts say more, initials little, and a
    patronymic half its length (international passports and many lists leave it out, so
    its absence says less than a missing given name or surname)."""
    if len(text) == 1:
        return 1.0
    weight = float(min(len(text), 10))
    return weight / 2 if is_patronymic(text) else weight


def _ascii_token(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


@lru_cache(maxsize=1)
def _variant_table() -> dict[str, str]:
    """Map each spelling in the variant data file to its group's canonical key."""
    table: dict[str, str] = {}
    source = resources.files("threadline.primitives").joinpath("data/name_variants.txt")
    for line in source.read_text(encoding="utf-8").splitlines():
        entries = line.split("#", 1)[0].split()
        if not entries:
            continue
        canonical = _ascii_token(entries[0])
        for entry in entries:
            for form in ascii_forms(_DROPPED.sub("", entry)):
                table.setdefault(_ascii_token(form), canonical)
    return table


def canonical_key(token: str) -> str | None:
    """Canonical key of a lower-case ASCII token's variant group, or None."""
    return _variant_table().get(token)


@lru_cache(maxsize=1)
def common_keys() -> frozenset[str]:
    """Variant keys of the world's most common given names and surnames."""
    source = resources.files("threadline.primitives").joinpath("data/common_names.txt")
    keys: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        for entry in line.split("#", 1)[0].split():
            token = _ascii_token(entry)
            keys.add(canonical_key(token) or token)
    return frozenset(keys)


def is_common(token: NameToken) -> bool:
    """Whether the part is one of the world's most common given names or surnames."""
    return token.key in common_keys()


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """Metaphone key of a lower-case ASCII token (empty for digits-only tokens)."""
    return str(metaphone(token)) if token and not token.isdigit() else ""


@lru_cache(maxsize=200_000)
def _make_token(raw: str, prefix: str = "") -> NameToken | None:
    forms: list[str] = []
    for form in ascii_forms(raw):
        ascii_text = _ascii_token(form)
        if ascii_text:
            forms.append(ascii_text)
    if not forms:
        return None
    text = forms[0]
    all_forms = set(forms)
    if prefix:
        # "al-tikriti" is also written "altikriti"; keep both.
        all_forms.update(prefix + form for form in forms)
    key = text
    # the forms in a fixed order (the transliterations', then the prefixed ones sorted), so
    # a part whose forms fall in two variant groups gets the same key in every process
    for form in (*forms, *sorted(all_forms.difference(forms))):
        found = canonical_key(form)
        if found is not None:
            key = found
            break
    return NameToken(
        original=raw,
        text=text,
        forms=frozenset(all_forms),
        key=key,
        phonetic=phonetic_key(text),
        weight=token_weight(text),
        script=written_script(raw),
    )


@lru_cache(maxsize=64)
def _light_token(raw: str) -> NameToken | None:
    """A leading particle that may be a given name ("Ben"): a part of its own that weighs
    as little as an initial, so the reading as a particle costs as little as a missing
    initial and the reading as a given name can still meet "Benjamin"."""
    token = _make_token(raw)
    return None if token is None else replace(token, weight=1.0)


def written_script(raw: str) -> str:
    """The script of a raw part that changes how it is compared (see NameToken.script)."""
    if raw.isascii():
        return ""
    if arabic.is_arabic(raw):
        return "arabic"
    if hangul.is_hangul(raw):
        return "hangul"
    return "han" if han.is_han(raw) else ""


def _plain(part: str) -> str:
    """The first ASCII form of a raw part, lower-case alphanumerics only ("" if none)."""
    forms = ascii_forms(part)
    return _ascii_token(forms[0]) if forms else ""


def plain_part(part: str) -> str:
    """The form of a raw part that :func:`parse_name` tests against honorifics and particles."""
    return _plain(part)


def part_token(part: str, prefix: str = "") -> NameToken | None:
    """The token :func:`parse_name` makes of one raw part (after ``prefix``, the plain
    forms of the particles folded into it); None when the part has no ASCII form."""
    return _make_token(part, prefix)


def is_honorific(part: str, plain: str | None = None) -> bool:
    """Whether a raw part is a title or suffix to drop (``plain``: its :func:`plain_part`).

    A part in Arabic script is read without its short vowels, so its plain form can
    spell a Latin title by accident ("عمر", Omar, is "mr"): only Latin titles are listed,
    so such parts are never titles here.
    """
    plain = _plain(part) if plain is None else plain
    return plain in HONORIFICS and not arabic.is_arabic(part)


def split_name(text: str) -> list[str]:
    """Split a name as written into its raw parts (any script), dropping apostrophes."""
    return [part for part in _SEPARATORS.split(_DROPPED.sub("", text)) if part]


@lru_cache(maxsize=200_000)
def parse_name(text: str, person: bool = True) -> PersonName:
    """Normalise a full name in any script into comparable tokens.

    With ``person=False`` (organisations, vessels...) honorifics and particles
    are kept as ordinary parts: "General Motors" is not a title and a name.

    >>> [t.text for t in parse_name("Dr. Sab'awi Ibrahim AL-TIKRITI").tokens]
    ['sabawi', 'ibrahim', 'tikriti']
    """
    raw_parts = split_name(text)
    if person and len(raw_parts) == 1:
        # a Korean name in Hangul or a Chinese name in characters written as one run:
        # surname, then given name ("정식 김" is already in parts, and "정식" there is a
        # given name)
        raw_parts = hangul.split_name(raw_parts[0])
        if len(raw_parts) == 1:
            raw_parts = han.split_name(raw_parts[0])
    elif not person:
        # an organisation or vessel in Chinese characters: a syllable a part, as the pinyin
        # of its name is written ("海洋之星", Hai Yang Zhi Xing)
        raw_parts = [p for part in raw_parts for p in (list(part) if han.is_han(part) else [part])]
    parts = [p for p in raw_parts if not is_honorific(p)] if person else raw_parts
    if not parts:  # a name that is only a title ("Sheikh") keeps it
        parts = raw_parts
    tokens: list[NameToken] = []
    prefix = ""
    lineage: int | None = None
    for index, part in enumerate(parts):
        plain = _plain(part)
        if person and lineage is None and tokens and plain in _LINEAGE_PARTICLES:
            lineage = len(tokens)  # the next part is the father's name
        if person and plain in PARTICLES and index + 1 < len(parts):
            if plain in _GIVEN_PARTICLES and not tokens and not prefix:
                # "Ben Okafor" or "BEN ALI Zineb": kept light, and still folded into the
                # next part so "Ben Ali" keeps its joined form "benali"
                light = _light_token(part)
                if light is not None:
                    tokens.append(light)
            prefix += plain
            continue
        token = _make_token(part, prefix)
        prefix = ""
        if token is not None:
            tokens.append(token)
    if lineage is not None and lineage >= len(tokens):
        lineage = None  # nothing written after the particle
    return PersonName(original=text, tokens=tuple(tokens), person=person, lineage=lineage)

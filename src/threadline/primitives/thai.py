"""Thai names in Thai script: their RTGS romanisation and the spellings people use.

Thai identity cards and official lists romanise names in the Royal Thai General System
of Transcription (RTGS: สมชาย ใจดี is "Somchai Chaidi"); passports and the names
people go by follow habits of their own, always the same ones: จ as "j" ("Jaidee"),
the long vowels ี and ู and often the short ุ doubled ("ee", "oo": "Sunee", "Boonma"),
เ-ิ and เ-อ as "er" ("Prasert"), แ as "a" ("Sangthong"), ว as "v" ("Vichai"), a final
ร as "rn" ("Pornthip"), พ ภ ผ as "p" and ข ค ฆ as "k", and the ร of ศรี written
though not spoken ("Srisuk", RTGS "Sisuk").

The RTGS form comes from PyThaiNLP's rule-based ``royin`` engine (Apache-2.0), which
reads only what its package ships: no corpus is fetched and nothing is written (see
:func:`_library`). Its rules leave three of RTGS's silent letters spoken, so they are
taken out of the Thai first: ร after ศ, ษ or ส at the start of a syllable (ศรี is "si"),
ทร at the start of a name, said "s" (ทรง is "song"), and, after a syllable's final
consonant, the letter before one a thanthakhat silences (นิรันดร์ is "Niran", not "nirant").
The usual spellings are made syllable by syllable (PyThaiNLP's dictionary of Thai
syllables splits the part) from each syllable's RTGS form and the Thai letters it is
written with; a part's forms mix RTGS and usual spellings syllable by syllable
("Chaidee", "Jaidi" and "Jaidee" for ใจดี), so a name spelled half one way and half the
other is still found.

A Thai name puts a space between given name and surname; each is one part here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import product

__all__ = ["forms", "is_thai", "rtgs"]

_FIRST, _LAST = 0x0E00, 0x0E7F
_LEADING_VOWELS = "เแโใไ"
_TONE_AND_SILENCE = re.compile("[\u0e47-\u0e4e]")  # tone marks, thanthakhat, ...
_THANTHAKHAT = "\u0e4c"  # marks the letter before it silent
# A part of more syllables than this gets only its all-RTGS and all-usual spellings.
_MAX_MIXED = 4


def is_thai(text: str) -> bool:
    """True when every character is in the Thai block (U+0E00-U+0E7F): a name part
    written in Thai, not one that mixes Thai letters with others."""
    return bool(text) and all(_FIRST <= ord(char) <= _LAST for char in text)


@lru_cache(maxsize=1)
def _library() -> tuple[Callable[..., str], Callable[..., list[str]]]:
    """PyThaiNLP's ``romanize`` and ``syllable_tokenize``, imported on first use.

    Importing PyThaiNLP makes a data folder in the home directory unless it is read-only,
    and some of its engines download models on first use: read-only and offline mode are
    set here (unless the environment already says otherwise), and only the ``royin``
    engine and the ``dict`` syllable splitter are used, both reading files the package
    ships (its Thai word and syllable lists, CC0).
    """
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.tokenize import syllable_tokenize
    from pythainlp.transliterate import romanize

    return romanize, syllable_tokenize


@lru_cache(maxsize=100_000)
def _royin(text: str) -> str:
    """PyThaiNLP's RTGS reading of ``text`` as it is, lower-case."""
    romanize, _ = _library()
    return str(romanize(text, engine="royin")).lower()


@lru_cache(maxsize=100_000)
def _syllables(part: str) -> tuple[str, ...]:
    """A part split into syllables by PyThaiNLP's dictionary of Thai syllables."""
    _, syllable_tokenize = _library()
    return tuple(str(s) for s in syllable_tokenize(part, engine="dict") if str(s).strip())


def _initial(syllable: str) -> str:
    """The first consonant of a syllable (after a vowel written before it), or ""."""
    rest = syllable.lstrip(_LEADING_VOWELS)
    return rest[:1]


def _unspoken(syllable: str, first: bool) -> str:
    """A syllable with the letters RTGS leaves unspoken taken out: ร after an initial ศ,
    ษ or ส (ศรี, เสริฐ), and for a name's first syllable an initial ทร written ซ (ทรง)."""
    lead = syllable[: len(syllable) - len(syllable.lstrip(_LEADING_VOWELS))]
    rest = syllable[len(lead) :]
    if rest[:2] in ("ศร", "ษร", "สร") and rest[2:3] != _THANTHAKHAT and len(rest) > 2:
        return lead + rest[0] + rest[2:]
    if first and rest[:2] == "ทร" and len(rest) > 2 and rest[2] != _THANTHAKHAT:
        return lead + "ซ" + rest[2:]
    if (
        len(syllable) >= 5
        and syllable[-1] == _THANTHAKHAT
        and all(_is_consonant(char) for char in syllable[-4:-1])
    ):
        # after the syllable's final consonant, the letter before the silenced one is
        # silent too: นิรันดร์ is "Niran", ลักษณ์ "Lak", ศาสตร์ "Sat"
        return syllable[:-3]
    return syllable


def _is_consonant(char: str) -> bool:
    return "\u0e01" <= char <= "\u0e2e"


def _usual(syllable: str, latin: str) -> str:
    """The usual spelling of one syllable from its RTGS form and its Thai letters."""
    initial = _initial(syllable)
    spoken = _TONE_AND_SILENCE.sub("", re.sub(f".{_THANTHAKHAT}", "", syllable))
    if initial == "จ" and latin.startswith("ch"):
        latin = "j" + latin[2:]
    elif syllable[:3] in ("ศรี", "สรี"):
        latin = "sr" + latin[1:]  # the written ร kept in Sri: Srisuk, Phensri
    if "ี" in syllable and "เ" not in syllable:  # not เ-ีย, "ia"
        latin = latin.replace("i", "ee", 1)
    if "ู" in syllable or "ุ" in syllable:
        latin = latin.replace("u", "oo", 1)
    latin = latin.replace("oe", "er")  # เ-ิ, เ-อ: Prasert, Charern
    if "แ" in syllable:
        latin = re.sub("ae(?!o)", "a", latin)  # Sangthong; แก้ว stays "kaeo"
    if spoken.endswith("ร") and latin.endswith("n") and len(spoken) > 1:
        latin = latin[:-1] + "rn"  # Porn, Samorn
    return latin.replace("ph", "p").replace("kh", "k")


@lru_cache(maxsize=20_000)
def _syllable_spellings(syllable: str, first: bool) -> tuple[str, ...]:
    """The RTGS spelling of one syllable, then its usual ones (with "v" for ว)."""
    latin = _royin(_unspoken(syllable, first))
    usual = _usual(syllable, latin)
    spellings = [latin, usual]
    if _initial(syllable) == "ว" and usual.startswith("w"):
        spellings.append("v" + usual[1:])  # Vichai, Veera
    return tuple(dict.fromkeys(s for s in spellings if s))


@lru_cache(maxsize=100_000)
def rtgs(part: str) -> str:
    """One Thai name part in RTGS, lower-case ASCII ("ศรีสุข": "sisuk")."""
    return _royin("".join(_unspoken(s, i == 0) for i, s in enumerate(_syllables(part))))


@lru_cache(maxsize=100_000)
def forms(part: str) -> tuple[str, ...]:
    """The spellings of one Thai name part, lower-case ASCII: RTGS first, then the
    romaniser's own reading when RTGS leaves a letter of it unspoken, then every mix of
    RTGS and usual spellings syllable by syllable ("ใจดี": chaidi, chaidee, jaidi,
    jaidee); () for a part not written in Thai."""
    if not is_thai(part):
        return ()
    spellings = [_syllable_spellings(s, i == 0) for i, s in enumerate(_syllables(part))]
    if len(spellings) > _MAX_MIXED:
        mixed = ["".join(s[0] for s in spellings), "".join(s[-1] for s in spellings)]
    else:
        mixed = ["".join(choice) for choice in product(*spellings)]
    found = [rtgs(part), _royin(part), *mixed]
    return tuple(dict.fromkeys(form for form in found if form.isascii() and form))

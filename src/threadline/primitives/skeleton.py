"""A name part's consonant skeleton: the consonants its spellings agree on.

Arabic script writes a name's consonants and leaves most vowels out; its romanisations
add vowels each their own way (منصور: Mansour, Mansoor, Mansur) and write one consonant
with other letters (خ: kh; ج: j, dj, g; ق: q, k). Thai names are romanised with other
vowels too (Boonmee, Bunmi). The skeleton keeps what such spellings share: the
consonants, each letter group reduced to one letter (z as s, w as v: Kozlov and the
German Koslow, Ivanov and Iwanow), vowels and the letters that stand for them (y; in
Arabic script alif, ya, waw where it writes a vowel, ta marbuta, hamza and ayn) left out,
doubled letters written once and an Arabic article dropped. Two parts with one skeleton
may be one name written two ways; it is weak evidence (Hassan and Husayn share "hsn"),
so record linkage weighs it as a level of its own, below the spellings that agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from threadline.primitives.names import NameToken

__all__ = ["skeleton"]

# Arabic (and Persian) letters to the Latin letter their romanisations agree on; the
# letters written for vowels, hamza and ayn are left out.
_ARABIC = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d",
    "ر": "r", "ز": "s", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "s",
    "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "پ": "p", "چ": "s", "ژ": "j", "گ": "g", "ک": "k",
}  # fmt: skip
_ARABIC_ARTICLE = "ال"
# Latin letter groups to the letter the Arabic table writes for them (ph and th are also
# how Thai writes an aspirated p and t).
_LATIN = (
    ("kh", "k"), ("gh", "G"), ("ph", "p"), ("th", "t"), ("dh", "d"), ("sh", "s"),
    ("ch", "s"), ("zh", "j"), ("dj", "j"), ("ck", "k"), ("q", "k"), ("x", "ks"),
)  # fmt: skip
_LATIN_GROUPS = re.compile("|".join(group for group, _ in _LATIN))
_LATIN_MAP = dict(_LATIN)
_SOFT_C = re.compile(r"c(?=[eiy])")  # French "Nacer": c before e, i, y is s
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLED = re.compile(r"(.)\1+")
_MIN = 2


def skeleton(token: NameToken) -> str | None:
    """The consonant skeleton of a name part; None when it has fewer than two letters
    (one consonant, "l" of Ali, would join too many names)."""
    if token.script == "arabic":
        return _arabic(token.original)
    return _latin(token.text)


@lru_cache(maxsize=200_000)
def _arabic(text: str) -> str | None:
    word = text.strip()
    if word.startswith(_ARABIC_ARTICLE) and len(word) > len(_ARABIC_ARTICLE) + 1:
        word = word[len(_ARABIC_ARTICLE) :]
    letters = [
        "v" if ch == "و" and (at == 0 or word[at + 1 : at + 2] == "ا") else _ARABIC.get(ch, "")
        for at, ch in enumerate(word)
    ]  # waw is a consonant first in a word or before alif (Walid, Marwan), else a vowel
    return _done("".join(letters))


@lru_cache(maxsize=200_000)
def _latin(text: str) -> str | None:
    word = _LATIN_GROUPS.sub(lambda m: _LATIN_MAP[m.group(0)], text)
    word = _SOFT_C.sub("s", word).replace("c", "k").replace("z", "s").replace("w", "v")
    word = word.replace("g", "j").replace("G", "g")  # g writes ج (Gamal), gh writes غ
    if word.endswith("h") and len(word) > 1 and word[-2] in "aeiou":
        word = word[:-1]  # Aishah: a final h after a vowel writes ta marbuta
    return _done(_VOWELS.sub("", word))


def _done(letters: str) -> str | None:
    letters = _DOUBLED.sub(r"\1", "".join(ch for ch in letters if ch.isalpha()))
    return letters if len(letters) >= _MIN else None

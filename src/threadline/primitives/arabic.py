"""Arabic-script names against their romanisations, letter by letter.

Arabic writes consonants and long vowels; short vowels are left out. "محمد" is
Mohammed, Muhammad and Mohamed at once, and no single transliteration of it (ICU
gives "mhmd") is close to any of them by edit distance. So a name part in Arabic
script becomes a pattern its romanisations must spell: each consonant as the
romanisation systems write it (ALA-LC, BGN/PCGN, and French and Egyptian usage: خ is
kh, h or x; ج is j, g or dj; ق is q, k or g), possibly doubled (the unwritten shadda
of "Mohammed"), each followed by at most one short vowel; each written long vowel as
a vowel (و is u, o, ou, oo or w; ي is i, ee, ei, ay or y). The written letters keep
names apart that edit distance would confuse: "حسن" (Hassan) has no ي, so it never
spells "Hussein" (حسين), and "سعد" (Saad) never spells "Saeed" (سعيد).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["is_arabic", "spells"]

_VOWEL = "[aeiou]?"  # the short vowel the script leaves unwritten
# the vowel of a hamza or an ayn, which French spelling may write "ou" (Outhmane)
_GLOTTAL = "(?:ou|[aeiou])?"
# French spelling writes a short u after the word's first consonant "ou" too (Houcine,
# Mouhamed, Bouchra, Soufiane), and its other short vowels a, e or o, never i: a word read
# that way has "ou" there and no short i after it (Houcine is حسين, not حسن). Later in the
# word an "ou" is a written و ("Mahmoud" is محمود, not محمد).
_FRENCH_U = "ou"
_FRENCH_VOWEL = "[aeo]?"
# س and ص: s, or in French spelling c before e or i (Nacer, Yacine, Hacen)
_SIN = "s|c(?=[eiy])"
# Each letter as a pattern; "C" marks consonants (doubled, then a short vowel may follow).
_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th|t|s", "ج": "j|g|dj|dzh|zh", "ح": "h|kh", "خ": "kh|h|x|k",
    "د": "d", "ذ": "dh|d|z|th", "ر": "r", "ز": "z", "س": _SIN, "ش": "sh|ch|sch|s", "ص": _SIN,
    "ض": "d|dh|z", "ط": "t", "ظ": "z|dh|th|d", "غ": "gh|g|r", "ف": "f", "ق": "q|k|g",
    "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n", "پ": "p", "چ": "ch|tch", "ژ": "zh|j",
    "گ": "g", "ڤ": "v|f",
}  # fmt: skip
# ي: a lone "e" only at the end of a word ("Hacen" is حسن, not حسين)
_YA = "(?:y|i|ee|ei|ai|ay|ey|ie|ii|e$)"
_OTHERS = {
    "ا": "(?:aa|a|e|o)?", "أ": _GLOTTAL, "إ": _GLOTTAL, "آ": "(?:aa|a)", "ء": _GLOTTAL,
    "ئ": "(?:y|e|i|a)?", "ؤ": "(?:w|u|o)?", "ع": _GLOTTAL,
    "و": "(?:w|v|u|o|ou|oo|ow|aw|au)", "ي": _YA, "ی": _YA, "ى": "(?:a|aa|i|y|e)",
    "ه": "h?", "ة": "(?:a|ah|at|e|eh)?",  # ه: as written at the end ("Abdallah", "Taha")
}  # fmt: skip
# The article at the start of a part: written joined ("alrahman", "elrahman"), assimilated
# ("arrahman", "ezzine": the doubling of the next consonant covers it), reduced to "l" as
# Maghrebi spelling writes it before a vowel (Lakhdar, Lamine) or dropped ("rahman").
_ARTICLE = "(?:[ae]?l|[aeu])?"
# The article inside a compound written as one word: after "Abd" (Abderrahmane, Abdelkader)
# and before "Din" (Noureddine): its vowel is the one the word before ends in.
_INNER_ARTICLE = "l?"
# "Abd" is written "Abdul" or "Abdel" when the article of the next part ("عبد الرحمن",
# Abdul Rahman) is romanised with it.
_CARRIED_ARTICLE = "(?:[aeiou]l)?"
_FIRST, _LAST = 0x0600, 0x06FF
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel


def is_arabic(text: str) -> bool:
    """True when ``text`` starts with a letter of the Arabic block (Arabic, Persian, Urdu)."""
    return bool(text) and _FIRST <= ord(text[0]) <= _LAST


@lru_cache(maxsize=50_000)
def _pattern(word: str, french: bool = False) -> re.Pattern[str] | None:
    """The pattern a romanisation of one Arabic-script word must match (``french``: as
    French spelling writes it, with "ou" after its first consonant), or None when the word
    holds a letter this module does not know (then no claim is made)."""
    word = _DIACRITICS.sub("", word)
    pieces = _pieces(word, _FRENCH_U, _FRENCH_VOWEL) if french else _pieces(word, _VOWEL, _VOWEL)
    return None if pieces is None else re.compile(pieces)


def _pieces(word: str, first: str, vowel: str) -> str | None:
    """The pattern of ``word`` with ``first`` the vowel after its first consonant and
    ``vowel`` after the others; None for an unknown letter or a word with no letters."""
    pieces: list[str] = []
    index = 0
    if word.startswith("ال") and len(word) > 3:
        pieces.append(_ARTICLE)
        index = 2
    rest = word[index:]
    consonants = 0
    for at, char in enumerate(rest):
        if char == "ا" and _inner_article(rest, at):
            pieces.append(_INNER_ARTICLE)  # its lam, next, is read here
            continue
        if char == "ل" and at and rest[at - 1] == "ا" and _inner_article(rest, at - 1):
            continue
        consonant = _CONSONANTS.get(char)
        if char == "ه" and at + 1 < len(rest):
            consonant = "h"  # a consonant with its vowel before the end (Hisham, Mahdi)
        if consonant is not None:
            pieces.append(f"(?:{consonant}){{1,2}}{vowel if consonants else first}")
            consonants += 1
            continue
        other = _OTHERS.get(char)
        if other is None:
            return None
        pieces.append(other)
    return "".join(pieces) + _CARRIED_ARTICLE if pieces else None


def _inner_article(word: str, at: int) -> bool:
    """Whether ``word[at:]`` starts the article of the second word of a compound written
    as one ("عبدالرحمن", "نورالدين"), before a letter other than lam."""
    if not word.startswith("ال", at) or at + 2 >= len(word) or word[at + 2] == "ل":
        return False
    return word[:at].endswith("عبد") or word.startswith("الدين", at)


@lru_cache(maxsize=200_000)
def spells(word: str, romanised: frozenset[str]) -> bool | None:
    """Whether any of the ``romanised`` lower-case ASCII forms spells the Arabic ``word``;
    None when the word cannot be read (a letter outside the tables)."""
    pattern = _pattern(word)
    if pattern is None:
        return None
    if any(pattern.fullmatch(form) for form in romanised):
        return True
    french = [form for form in romanised if "ou" in form]  # the French reading needs an "ou"
    if not french:
        return False
    pattern = _pattern(word, True)
    return pattern is not None and any(pattern.fullmatch(form) for form in french)

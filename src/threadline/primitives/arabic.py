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
# Each letter as a pattern; "C" marks consonants (doubled, then a short vowel may follow).
_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th|t|s", "ج": "j|g|dj|dzh|zh", "ح": "h|kh", "خ": "kh|h|x|k",
    "د": "d", "ذ": "dh|d|z|th", "ر": "r", "ز": "z", "س": "s", "ش": "sh|ch|sch|s", "ص": "s",
    "ض": "d|dh|z", "ط": "t", "ظ": "z|dh|th|d", "غ": "gh|g|r", "ف": "f", "ق": "q|k|g",
    "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n", "پ": "p", "چ": "ch|tch", "ژ": "zh|j",
    "گ": "g", "ڤ": "v|f",
}  # fmt: skip
_OTHERS = {
    "ا": "(?:aa|a|e|o)?", "أ": "[aeiou]?", "إ": "[aeiou]?", "آ": "(?:aa|a)", "ء": "[aeiou]?",
    "ئ": "(?:y|e|i|a)?", "ؤ": "(?:w|u|o)?", "ع": "[aeiou]?",
    "و": "(?:w|v|u|o|ou|oo|ow|aw|au)", "ي": "(?:y|i|ee|ei|ai|ay|ey|ie|e|ii)",
    "ی": "(?:y|i|ee|ei|ai|ay|ey|ie|e|ii)", "ى": "(?:a|aa|i|y|e)",
    "ه": "h?", "ة": "(?:a|ah|at|e|eh)?",
}  # fmt: skip
# The article at the start of a part: written joined ("alrahman", "elrahman"), assimilated
# ("arrahman": the doubling of the next consonant covers it) or dropped ("rahman").
_ARTICLE = "(?:[ae]l|[aeu])?"
# "Abd" is written "Abdul" or "Abdel" when the article of the next part ("عبد الرحمن",
# Abdul Rahman) is romanised with it.
_CARRIED_ARTICLE = "(?:[aeiou]l)?"
_FIRST, _LAST = 0x0600, 0x06FF
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel


def is_arabic(text: str) -> bool:
    """True when ``text`` starts with a letter of the Arabic block (Arabic, Persian, Urdu)."""
    return bool(text) and _FIRST <= ord(text[0]) <= _LAST


@lru_cache(maxsize=50_000)
def _pattern(word: str) -> re.Pattern[str] | None:
    """The pattern a romanisation of one Arabic-script word must match, or None when the
    word holds a letter this module does not know (then no claim is made)."""
    word = _DIACRITICS.sub("", word)
    pieces: list[str] = []
    index = 0
    if word.startswith("ال") and len(word) > 3:
        pieces.append(_ARTICLE)
        index = 2
    for char in word[index:]:
        consonant = _CONSONANTS.get(char)
        if consonant is not None:
            pieces.append(f"(?:{consonant}){{1,2}}{_VOWEL}")
            continue
        other = _OTHERS.get(char)
        if other is None:
            return None
        pieces.append(other)
    return re.compile("".join(pieces) + _CARRIED_ARTICLE) if pieces else None


@lru_cache(maxsize=200_000)
def spells(word: str, romanised: frozenset[str]) -> bool | None:
    """Whether any of the ``romanised`` lower-case ASCII forms spells the Arabic ``word``;
    None when the word cannot be read (a letter outside the tables)."""
    pattern = _pattern(word)
    if pattern is None:
        return None
    return any(pattern.fullmatch(form) for form in romanised)

"""Arabic names in French (Maghrebi) spelling read against their English-style spellings.

Morocco, Algeria and Tunisia romanise Arabic names by French spelling rules (the
transcriptions of their civil registers and passports): س and ص before e or i as "c"
(Nacer, Yacine, Hacen), ش as "ch" (Cherif), ج as "dj" (Djamel, Khadidja), the vowel u as
"ou" (Mouloud, Outhmane) and a w before a vowel as "ou" (Ouali, Oualid), the short vowels
often as "e" (Djamel, Kamel, Mehdi), a silent final "e" (Yacine, Slimane), and the article
joined to the name, assimilated to a "sun letter" (Ezzine, Ettaher, Abderrahmane,
Djamel-Eddine) or reduced to "l-" (Lakhdar, Lamine). English-style spellings follow ALA-LC
or BGN/PCGN without their diacritics (al-Qasim, Zayn, Nasir, Sharif, Mawlud).

:func:`reading` turns a lower-case ASCII spelling into a comparable reading: its consonants
as both conventions agree on them (dj and j, ch and sh, soft c and s, q and k; a doubled
consonant once) and its vowel groups, each with the Arabic vowels it may stand for (e is
a, i or u, but only i at the start of a name: Ebrahim/Ibrahim, not Alice/Elise; ou, o and
u are u; ei and ai may be the diphthong or i). :func:`same_name` says whether two readings
are one name: letters an Arabic name is written with (no p, v, x or hard c), the same
consonants, and vowels that may be the same at each place (a silent final e is no vowel).
Omar and Amir, Hassan and Hussein differ in a vowel no convention explains; Nacer and
Nader in a consonant: :func:`other_root` says so.

French names are spelled with c, ch and ou too (Vincent, Michel, Louis). A reading decides
only where a Maghrebi convention explains the difference: a convention one spelling uses
and the other does not (soft c, ch, dj, q, an initial ou before a vowel, the assimilated or
l- article), or one of the weaker ones (ou for u, a joined el-, th for t, dh for d) with a
letter group English-style romanisations of Arabic use (kh, gh, dh, th, q, w, a long vowel
written double) or a vowel the conventions explain. So Louis and Luis, Roussel and
Russell, Martin and Martine are left to the other comparisons. The readings are only ever
compared with each other: they are no form of the part and match nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Reading", "explains", "in_french_letters", "other_root", "reading", "same_name"]

# Conventions that are Maghrebi (French) spellings of an Arabic letter or the article.
_STRONG = frozenset({"c", "ch", "dj", "q", "article", "w"})
# Conventions French and English spellings of other languages share.
_WEAK = frozenset({"ou", "el", "th", "dh"})
# Letter groups that English-style romanisations of Arabic use and French names hardly do.
_ARABIC_MARKS = re.compile(r"kh|gh|dh|th|q|w|aa|ee|oo")
# The article assimilated to a sun letter ("ezzine", "ettaher", "echcherif") at the start,
# with a name of at least three letters after it ("essam" is a name, not es-sam).
_ASSIMILATED = re.compile(r"^[ae](ch|sh|[tdrzsn])(?:ch|sh|\1)(?=[a-z]{3})")
# "Abd" with the article of the next word, assimilated ("abderrahmane") or not ("abdel",
# "abdul"): the article's vowel differs between conventions, so it is read as "al".
_ABD_ASSIMILATED = re.compile(r"^abd[aeiou](ch|sh|[tdrzsn])(?:ch|sh|\1)")
_ABD_ARTICLE = re.compile(r"^abd[aeiou]l(?=[^aeiou])")
# "-eddine" (al-Din) written joined to the word before ("noureddine", "djameleddine").
_EDDINE = re.compile(r"(?<=[a-z]{3})[aeiou]dd(?=ine?$)")
# The article written "el" and joined ("elkacem"): only before a consonant and a name of four
# letters or more ("elena", "elton" are names).
_EL = re.compile(r"^el(?=[^aeiouy][a-z]{3})")
_SOFT_C = re.compile(r"c(?=[eiy])")
# Letters no romanisation of an Arabic name uses, once soft c is read as s (Vincent, Patrice).
_NOT_ARABIC = re.compile(r"[cpvx]")
_DOUBLED = re.compile(r"([a-z])\1+")
_RUNS = re.compile(r"[aeiu]+|[^aeiu]+")
_VOWELS = frozenset("aeiu")


# The letters of French spelling beyond ASCII (Hacène, Saïd, Chérif).
_FRENCH_ACCENTED = frozenset("àâäçéèêëîïôöùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ")


def in_french_letters(text: str) -> bool:
    """Whether a part is written in the letters of French spelling: ASCII and French
    accents, not a transliteration of another script or another language's letters."""
    return text.isascii() or all(char.isascii() or char in _FRENCH_ACCENTED for char in text)


class Reading(NamedTuple):
    """A spelling read as an Arabic name: its consonant groups in order, the readings of
    the vowel groups around them (one more than the consonant groups: before the first,
    between, after the last; the empty group reads as ""), and the conventions used."""

    consonants: tuple[str, ...]
    vowels: tuple[frozenset[str], ...]
    conventions: frozenset[str]
    marked: bool  # a letter group of English-style romanisations of Arabic
    raw_vowels: tuple[str, ...]
    # spelled only with letters a romanisation of an Arabic name uses (no p, v, x or hard c)
    arabic_letters: bool


@lru_cache(maxsize=4096)
def _vowel_readings(group: str, initial: bool, final: bool) -> frozenset[str]:
    """The Arabic vowels a written vowel group may stand for: an e any short vowel, but
    at the start of a name only i (Ebrahim, Esmail: the hamza's i; Alice is not Elise)."""
    if not group:
        return frozenset({""})
    found = {""}
    for char in group:
        e_reads = "i" if initial else "aiu"
        found = {so_far + vowel for so_far in found for vowel in (e_reads if char == "e" else char)}
    readings = {_collapse_iu(item) for item in found}
    if "ai" in readings:
        readings.add("i")  # the diphthong read as i (Zine, Hocine)
    if "au" in readings:
        readings.add("u")  # and as u (Mouloud)
    if final and group == "e":
        readings = {""}  # a silent final e (Yacine, Outhmane)
    return frozenset(readings)


def _collapse_iu(text: str) -> str:
    return text.replace("ii", "i").replace("uu", "u")


@lru_cache(maxsize=200_000)
def reading(spelling: str) -> Reading | None:
    """The reading of a lower-case ASCII name part (None for digits or an empty part)."""
    if not spelling.isalpha():
        return None
    text = spelling
    used: set[str] = set()
    marked = _ARABIC_MARKS.search(text) is not None
    if text[0] in "ae":
        if _ASSIMILATED.search(text):
            text = _ASSIMILATED.sub(r"al\1", text)
            used.add("article")
        elif _EL.search(text):
            text = "al" + text[2:]
            used.add("el")
        if text.startswith("abd"):
            if _ABD_ASSIMILATED.search(text):
                text = _ABD_ASSIMILATED.sub(r"abdal\1", text)
                used.add("article")
            else:
                text = _ABD_ARTICLE.sub("abdal", text)
    if "dd" in text and _EDDINE.search(text):
        text = _EDDINE.sub("ald", text)
        used.add("article")
    if "dj" in text:
        text = text.replace("dj", "j")
        used.add("dj")
    if "ch" in text:
        text = text.replace("sch", "sh").replace("ch", "sh")
        used.add("ch")
    if "c" in text and _SOFT_C.search(text):
        text = _SOFT_C.sub("s", text)
        used.add("c")
    if "q" in text:
        text = text.replace("q", "k")
        used.add("q")
    if "dh" in text:
        text = text.replace("dh", "d")
        used.add("dh")
    if "th" in text:
        text = text.replace("th", "t")
        used.add("th")
    if text.startswith("ou") and len(text) > 2 and text[2] in "aei":
        text = "w" + text[2:]  # Ouali, Oualid: a w before a vowel
        used.add("w")
    if "ou" in text:
        text = text.replace("ou", "u")
        used.add("ou")
    text = text.replace("ee", "i").replace("oo", "u").replace("o", "u")
    text = text.replace("w", "u").replace("y", "i")
    if len(text) > 2 and text.endswith("h") and text[-2] in _VOWELS:
        text = text[:-1]  # Khadijah, Fatimah
    text = _DOUBLED.sub(r"\1", text)
    consonants: list[str] = []
    raw: list[str] = []
    pending = ""
    for run in _RUNS.findall(text):
        if run[0] in _VOWELS:
            pending = run
        else:
            raw.append(pending)
            consonants.append(run)
            pending = ""
    raw.append(pending)
    last = len(raw) - 1
    vowels = tuple(_vowel_readings(group, i == 0, i == last) for i, group in enumerate(raw))
    arabic_letters = _NOT_ARABIC.search(text) is None
    return Reading(tuple(consonants), vowels, frozenset(used), marked, tuple(raw), arabic_letters)


def same_name(left: Reading, right: Reading) -> bool:
    """Whether two readings may be one Arabic name: letters an Arabic name is written with,
    the same consonants, and at each place vowels that may be the same."""
    if left.consonants != right.consonants or not (left.arabic_letters and right.arabic_letters):
        return False
    return all(not a.isdisjoint(b) for a, b in zip(left.vowels, right.vowels, strict=True))


def explains(left: Reading, right: Reading) -> bool:
    """Whether the difference between two spellings of one name is one the Maghrebi
    conventions explain (see the module's docstring), not an ordinary spelling variant."""
    differing = left.conventions ^ right.conventions
    if differing & _STRONG:
        return True
    if not differing & _WEAK:
        return False
    if left.marked or right.marked:
        return True
    # a vowel written otherwise before the end (Boualem/Bualam, Mouloud/Mawlud)
    return any(a != b for a, b in zip(left.raw_vowels[:-1], right.raw_vowels[:-1], strict=True))


def other_root(left: Reading, right: Reading) -> bool:
    """Whether two readings have as many consonants, not all the same, and vowels that may
    be the same: in names read as Arabic that is another root, another name (Nacer/Nader,
    Khadidja/Khalida), not a slip of the pen."""
    if len(left.consonants) != len(right.consonants) or len(left.consonants) < 2:
        return False
    if left.consonants == right.consonants or not (left.arabic_letters and right.arabic_letters):
        return False
    return all(not a.isdisjoint(b) for a, b in zip(left.vowels, right.vowels, strict=True))

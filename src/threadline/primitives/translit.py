"""Transliteration of names in any script to comparable Latin ASCII forms.

One spelling of a name rarely survives a trip through a visa, a notice and a
passenger list: each may follow a different scheme (ISO 9, BGN/PCGN, ICAO 9303,
German or French conventions). Rather than pick one, :func:`ascii_forms` returns
the small set of forms a name plausibly takes, and matching compares sets.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from threadline.primitives import hangul, thai

__all__ = ["ascii_forms", "icao_transliterate", "icu_transform", "indic_forms", "to_ascii"]

# ICAO Doc 9303 Part 3 transliteration of Latin letters with diacritics that
# are not simply stripped, and of Cyrillic. Letters not listed fall through to
# ICU/anyascii, which strip diacritics (é -> e).
_ICAO_LATIN = {
    "Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Ü": "UE", "ß": "SS",
    "Þ": "TH", "Œ": "OE", "Ĳ": "IJ",
}  # fmt: skip
_ICAO_CYRILLIC = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH",
    "З": "Z", "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS",
    "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E",
    "Ю": "IU", "Я": "IA", "Є": "IE", "І": "I", "Ї": "I", "Ґ": "G", "Ў": "U",
}  # fmt: skip
_ICAO = {ord(k): v for k, v in {**_ICAO_LATIN, **_ICAO_CYRILLIC}.items()}
_ICAO.update({ord(k.lower()): v.lower() for k, v in {**_ICAO_LATIN, **_ICAO_CYRILLIC}.items()})
_ICAO[ord("ß")] = "ss"

_ICU_RULES = "Any-Latin; Latin-ASCII"
_icu_local = threading.local()


def icu_transform(rules: str = _ICU_RULES) -> Any | None:
    """The cached ICU transliterator for ``rules`` (one per thread: ICU objects are not
    thread-safe); None without PyICU or when ICU lacks the transform."""
    cache: dict[str, Any] = _icu_local.__dict__.setdefault("transforms", {})
    if rules not in cache:
        try:
            import icu
        except ImportError:  # no PyICU: anyascii alone still covers every script
            cache[rules] = None
        else:
            try:
                cache[rules] = icu.Transliterator.createInstance(rules)
            except icu.ICUError:  # ICU built without the transforms
                cache[rules] = None
    return cache[rules]


@lru_cache(maxsize=200_000)
def to_ascii(text: str) -> str:
    """Transliterate ``text`` from any script to Latin ASCII (ICU, else anyascii).

    ICU's output is kept only when it is pure ASCII; otherwise anyascii, which
    covers every script, finishes the job.
    """
    translit = icu_transform()
    out = translit.transliterate(text) if translit is not None else text
    if not out.isascii():
        out = anyascii(out)
    return out


@lru_cache(maxsize=200_000)
def icao_transliterate(text: str) -> str:
    """Transliterate with the ICAO 9303 rules (Ä->AE, Ж->ZH, Щ->SHCH...), rest via anyascii."""
    return anyascii(text.translate(_ICAO))


_CYRILLIC = (0x0400, 0x04FF)
_GREEK = (0x0370, 0x03FF)
_INDIC = (0x0900, 0x0DFF)  # Devanagari to Sinhala: the Brahmic scripts of South Asia
_VOWELS = frozenset("aeiouāīūēōṛ")


def _indic_latin(text: str) -> str | None:
    """``text`` in ICU's ISO 15919 romanisation (diacritics kept), or None without ICU."""
    transform = icu_transform("Any-Latin")
    return None if transform is None else str(transform.transliterate(text))


def indic_forms(text: str) -> tuple[str, ...]:
    """A South Asian name part as it is usually written in Latin letters.

    ICU's romanisation is letter-exact (ISO 15919): "राहुल" is "rāhula", "शर्मा" is
    "śarmā". Names are written as spoken, in the Hunterian way: the inherent vowel
    after a word's last single consonant is silent ("Rahul", "Anil", "Yadav"; it stays
    after a cluster, as in "Narendra"), ś and ṣ are "sh", c is "ch"; long ū is often
    "oo" ("Pooja"). Returns the Hunterian form and the one with "oo", lower-case ASCII.
    """
    latin = _indic_latin(text)
    if not latin:
        return ()
    word = latin.lower()
    if len(word) > 3 and word.endswith("a") and word[-2] not in _VOWELS and word[-3] in _VOWELS:
        word = word[:-1]
    word = word.replace("ś", "sh").replace("ṣ", "sh")
    word = re.sub("c(?!h)", "ch", word)
    return tuple(dict.fromkeys(anyascii(form) for form in (word, word.replace("ū", "oo"))))


@lru_cache(maxsize=200_000)
def _russian_english(text: str) -> tuple[str, ...]:
    """Russian names as English writes them: BGN/PCGN through ICU (е is "ye" at the start
    of a word and after a vowel or soft sign: Yevgeniy, Yelena, Natal'ya), with ё as "yo"
    (Semyon, Pyotr, Solov'yov), where ICAO 9303 and ICU's default write "e" for both."""
    bgn = icu_transform("Russian-Latin/BGN; Latin-ASCII")
    if bgn is None:
        return ()
    spelled = [str(bgn.transliterate(text))]
    if "ё" in text or "Ё" in text:
        spelled.append(str(bgn.transliterate(text.replace("ё", "йо").replace("Ё", "Йо"))))
    return tuple(form if form.isascii() else anyascii(form) for form in spelled)


def ascii_forms(text: str) -> tuple[str, ...]:
    """The distinct ASCII forms of ``text``: ICU first, then ICAO 9303, then anyascii.

    Pure ASCII input returns itself only. Order is stable so the first form can
    serve as the display form.
    """
    if text.isascii():
        return (text,)
    forms = [to_ascii(text), icao_transliterate(text), anyascii(text)]
    if any(_GREEK[0] <= ord(char) <= _GREEK[1] for char in text):
        # BGN/PCGN's Greek is written as spoken (Panayiotis, Vasiliou, Irini), as Greek
        # names often are outside Greek documents; ICU has it
        greek = icu_transform("Greek-Latin/BGN; Latin-ASCII")
        if greek is not None:
            forms.append(str(greek.transliterate(text)))
    if any(_CYRILLIC[0] <= ord(char) <= _CYRILLIC[1] for char in text):
        forms.extend(_russian_english(text))
    if any(_INDIC[0] <= ord(char) <= _INDIC[1] for char in text):
        forms = [*indic_forms(text), *forms]  # as the names are written, then letter-exact
    elif hangul.is_hangul(text):
        # as Korean names are romanised, then as passports spell them, then ICU
        forms = [*hangul.forms(text), *hangul.passport_forms(text), *forms]
    elif thai.is_thai(text):
        # RTGS, then the usual spellings (Jaidee, Boonma); ICU's ISO 11940 spells symbols
        forms = [*thai.forms(text), *forms]
    return tuple(dict.fromkeys(form for form in forms if form))

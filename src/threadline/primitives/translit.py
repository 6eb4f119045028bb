"""Transliteration of names in any script to comparable Latin ASCII forms.

One spelling of a name rarely survives a trip through a visa, a notice and a
passenger list: each may follow a different scheme (ISO 9, BGN/PCGN, ICAO 9303,
German or French conventions). Rather than pick one, :func:`ascii_forms` returns
the small set of forms a name plausibly takes, and matching compares sets.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from threadline.primitives import hangul

__all__ = ["ascii_forms", "icao_transliterate", "to_ascii"]

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


def _icu() -> Any | None:
    """The cached ICU transliterator (one per thread: ICU objects are not thread-safe)."""
    cached = getattr(_icu_local, "transliterator", False)
    if cached is False:
        try:
            import icu
        except ImportError:  # no PyICU: anyascii alone still covers every script
            cached = None
        else:
            try:
                cached = icu.Transliterator.createInstance(_ICU_RULES)
            except icu.ICUError:  # ICU built without the transforms
                cached = None
        _icu_local.transliterator = cached
    return cached


@lru_cache(maxsize=200_000)
def to_ascii(text: str) -> str:
    """Transliterate ``text`` from any script to Latin ASCII (ICU, else anyascii).

    ICU's output is kept only when it is pure ASCII; otherwise anyascii, which
    covers every script, finishes the job.
    """
    translit = _icu()
    out = translit.transliterate(text) if translit is not None else text
    if not out.isascii():
        out = anyascii(out)
    return out


@lru_cache(maxsize=200_000)
def icao_transliterate(text: str) -> str:
    """Transliterate with the ICAO 9303 rules (Ä->AE, Ж->ZH, Щ->SHCH...), rest via anyascii."""
    return anyascii(text.translate(_ICAO))


@lru_cache(maxsize=200_000)
def ascii_forms(text: str) -> tuple[str, ...]:
    """The distinct ASCII forms of ``text``: ICU first, then ICAO 9303, then anyascii.

    Pure ASCII input returns itself only. Order is stable so the first form can
    serve as the display form.
    """
    if text.isascii():
        return (text,)
    forms = [to_ascii(text), icao_transliterate(text), anyascii(text)]
    if hangul.is_hangul(text):
        forms = [*hangul.forms(text), *forms]  # as Korean names are romanised, then ICU
    return tuple(dict.fromkeys(form for form in forms if form))

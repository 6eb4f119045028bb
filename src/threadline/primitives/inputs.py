"""What a person types or sends, checked one kind of value at a time.

The service or domain function that receives a value calls these, so the command
line, the API and the web pages meet the same rule and the same words. Each refusal
is an ``InputError`` of one line that names the field, repeats the value and says
what would be accepted; nothing is corrected silently.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from threadline.exc import InputError
from threadline.primitives.countries import clean_country
from threadline.primitives.dates import PartialDate, parse_partial_date

__all__ = [
    "SEX_CODES",
    "country_code",
    "full_date",
    "image_hash",
    "language_code",
    "partial_date",
    "sex_code",
    "unknown_country",
]

# Every spelling a form or a file uses for the codes ICAO 9303 knows (X: unspecified),
# plus U for unknown (INTERPOL's sex_id, victim records).
SEX_CODES = {"m": "M", "male": "M", "man": "M", "f": "F", "female": "F", "woman": "F",
             "x": "X", "other": "X", "u": "U", "unknown": "U"}  # fmt: skip
_LANGUAGE = re.compile(r"^([a-z]{2,3})((?:-[a-z0-9]{1,8})*)$", re.IGNORECASE | re.ASCII)
# Year first, so that no reading is a guess: 04/05/1990 is April in one country, May in
# another. parse_partial_date reads more (day-first, timestamps) for what files carry.
_YEAR_FIRST = re.compile(r"^\d{4}(?:([-/.])\d{1,2}(?:\1\d{1,2})?)?$|^\d{8}$", re.ASCII)
_PHASH = re.compile(r"^[0-9a-f]{16}$", re.ASCII)
_FULL = "YYYY-MM-DD"
_ANY = "YYYY, YYYY-MM or YYYY-MM-DD"


def _refuse(field: str, message: str) -> InputError:
    return InputError(f"{field}: {message}" if field else message)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _parse(field: str, value: Any, forms: str) -> PartialDate:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    text = _text(value).strip()
    found = parse_partial_date(text) if _YEAR_FIRST.match(text) else None
    if found is None:
        raise _refuse(field, f"not a date in the form {forms}: {_text(value)!r}")
    return found


def _not_future(field: str, found: PartialDate, today: date | None) -> None:
    day = today or date.today()
    earliest = (found.year, found.month or 1, found.day or 1)
    if earliest > (day.year, day.month, day.day):
        raise _refuse(field, f"{found} is in the future (today is {day.isoformat()})")


def full_date(field: str, value: Any, *, past: bool = False, today: date | None = None) -> date:
    """A calendar date to the day (``2026-04-01``, ``2026/4/1``, ``20260401`` or a date).

    Refused: text that is no date, an impossible one (``2026-02-30``), a year or a month
    alone, and with ``past`` a day after ``today`` (default: the local date).
    """
    found = _parse(field, value, _FULL)
    if found.day is None or found.month is None:
        raise _refuse(field, f"not a full date, give the day ({_FULL}): {_text(value)!r}")
    if past:
        _not_future(field, found, today)
    return date(found.year, found.month, found.day)


def partial_date(
    field: str, value: Any, *, past: bool = False, today: date | None = None
) -> PartialDate:
    """A date known to the year, month or day (a birth date on a watchlist, say).

    Refused: text that is no date, an impossible month or day (``2009-20``,
    ``1993-13-45``), and with ``past`` one that starts after ``today``.
    """
    found = _parse(field, value, _ANY)
    if past:
        _not_future(field, found, today)
    return found


def sex_code(field: str, value: str, *, allowed: tuple[str, ...] = ("M", "F", "X", "U")) -> str:
    """``M``, ``F``, ``X`` (unspecified) or ``U`` (unknown) from a code or word, if allowed."""
    found = SEX_CODES.get(value.strip().lower())
    if found is None or found not in allowed:
        raise _refuse(field, f"unknown sex {value!r} (one of {', '.join(allowed)})")
    return found


def country_code(field: str, value: str) -> str:
    """The ISO 3166-1 alpha-2 code of an alpha-2 or alpha-3 code or an English name."""
    if not value.strip():
        raise _refuse(field, "a country is required")
    found = clean_country(value)
    if found is None:
        raise unknown_country(field, value)
    return found


def unknown_country(field: str, value: str) -> InputError:
    """The one answer for a country that is not one (for checks with their own code lists)."""
    return _refuse(field, f"unknown country {value!r} (give an ISO 3166 code or an English name)")


def language_code(field: str, value: str) -> str:
    """An ISO 639 code (``ro``, ``tl``, ``lin``), with BCP 47 subtags kept (``pt-BR``).

    Language names are refused as well as unknown codes: ``Klingon`` is a word, ``tlh``
    the code. Kept as written but for a lower-case primary code.
    """
    text = value.strip()
    match = _LANGUAGE.match(text)
    if match is None or not _is_language(match.group(1).lower()):
        raise _refuse(
            field, f"unknown language {value!r} (give an ISO 639 code such as 'ro' or 'tgl')"
        )
    return match.group(1).lower() + match.group(2)


@lru_cache(maxsize=1024)
def _is_language(code: str) -> bool:
    """A two-letter ISO 639-1 code or a three-letter ISO 639-2/3 code of a language."""
    from rigour.data.langs.iso639 import ISO2_MAP, ISO3_ALL
    from rigour.langs import iso_639_alpha3
    from rigour.langs.synonyms import NON_LANGS

    if code in NON_LANGS:  # "und", "zxx", "mis": codes that say no language is known
        return False
    if len(code) == 2:
        return code in ISO2_MAP.values()
    return code in ISO3_ALL or iso_639_alpha3(code) is not None  # 639-2/B too: "ger", "rum"


def image_hash(field: str, value: str) -> str:
    """A 64-bit perceptual hash as its 16 hex digits (what ``imagehash.phash`` writes)."""
    text = value.strip().lower()
    if not _PHASH.match(text):
        raise _refuse(field, f"{value!r} is not an image hash (16 hex digits)")
    return text

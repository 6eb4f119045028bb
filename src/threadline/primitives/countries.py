"""Country codes: ISO 3166-1 alpha-2 as the platform's canonical form."""

from __future__ import annotations

from followthemoney.types import registry

_country = registry.country


def clean_country(value: str | None) -> str | None:
    """Return the upper-case ISO 3166-1 alpha-2 code for a code or English name, else None.

    Accepts alpha-2, alpha-3 and common names ("DE", "deu", "Germany"). Codes FtM
    knows that are not countries proper (``zz`` for "global") are refused.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    code = _country.clean(text)
    if code is None or code == "zz" or len(code) != 2:
        return None
    return code.upper()


def country_name(code: str) -> str:
    """English name of an alpha-2 code (the code itself when unknown)."""
    return _country.caption(code.lower()) or code

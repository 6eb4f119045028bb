"""Prices (with currency and time unit, including coded units) and stated ages.

Both run on folded text. A price's value reads ``"200 EUR/hour"``; coded units
("roses", 🌹, "donations") keep the code as the currency so that an analyst sees
what was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from threadline.ads.extract.trie import guarded, trie_pattern

_SYMBOLS = {
    "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "r$": "BRL", "₦": "NGN", "¥": "JPY",
    "₹": "INR", "usd": "USD", "eur": "EUR", "euro": "EUR", "euros": "EUR", "gbp": "GBP",
    "dollars": "USD", "dollar": "USD", "dolares": "USD", "reais": "BRL", "real": "BRL",
    "brl": "BRL", "pounds": "GBP", "libras": "GBP", "mxn": "MXN", "pesos": "MXN",
    "cop": "COP", "chf": "CHF", "naira": "NGN", "ngn": "NGN", "cad": "CAD", "aud": "AUD",
    "roses": "roses", "rose": "roses", "rosas": "roses", "🌹": "roses",
    "donation": "donations", "donations": "donations", "donativo": "donations",
    "donativos": "donations", "doacao": "donations",
}  # fmt: skip
# "$" means the local dollar or peso where one exists.
_LOCAL_DOLLAR = {"MX": "MXN", "CO": "COP", "AR": "ARS", "CL": "CLP", "CA": "CAD", "AU": "AUD"}
_CODED = frozenset({"roses", "donations"})
_UNITS = {
    "hour": "hour", "hr": "hour", "hrs": "hour", "h": "hour", "hora": "hour", "heure": "hour",
    "hh": "half-hour", "half hour": "half-hour", "30min": "half-hour", "30 min": "half-hour",
    "night": "night", "nuit": "night", "noche": "night", "noite": "night", "overnight": "night",
    "day": "day", "jour": "day", "dia": "day", "journee": "day",
    "week": "week", "semaine": "week", "semana": "week", "wk": "week",
    "month": "month", "mois": "month", "mes": "month", "mensal": "month", "monthly": "month",
    "mensuel": "month", "mensuales": "month", "mensais": "month", "al mes": "month",
    "year": "year", "an": "year", "ano": "year", "yr": "year",
}  # fmt: skip
_MONTHLY = {"hour": 160.0, "day": 22.0, "week": 4.33, "month": 1.0, "year": 1 / 12}

_CUR = trie_pattern(_SYMBOLS)
_UNIT = trie_pattern(_UNITS)
_AMOUNT = r"\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_PER = r"\s*(?:/|per|a|an|the|par|por|pour|la|el|ao|a la|por la|por el|each|x)\s*"
_PRICE_RE = re.compile(
    guarded(
        rf"(?:(?P<c1>{_CUR})\s?(?P<a1>{_AMOUNT})|(?<![\w.,])(?P<a2>{_AMOUNT})\s?(?P<c2>{_CUR}))"
        rf"(?:(?:{_PER}|\s+)(?P<unit>{_UNIT})\b)?"
    )
)

_EXPERIENCE = r"(?!\s*(?:of|d'|de|da|do)\s*(?:experience|experiencia|exp\b|work|service|trabalho))"
_AGE_PATTERNS = (
    (r"(?P<n>\d{2})\s*\+\s*"
     r"(?:welcome|ok|only|bienvenue|bienvenid[oa]s?|bem[- ]vind[oa]s?|accepted)", "minimum"),
    (r"\b(?:from|a partir de|des|desde|min(?:imum)?\.?\s*(?:age)?)\s*(?P<n>\d{2})\s*"
     r"(?:years|ans|anos)\b", "minimum"),
    (r"\b(?:j'ai|tengo|tenho)\s*(?P<n>\d{2})\s*(?:ans|anos)\b", "stated"),
    (r"(?P<n>\d{2})\s*(?:yo|y/o|y\.o\.?|yrs?\.?\s*old|years?\s*old|ans|anos)\b"
     + _EXPERIENCE, "stated"),
    (r"\b(?:i'?m|i am|age|aged|edad|idade|age\s*:)\s*:?\s*(?P<n>\d{2})\b(?!\s*(?:%|h|min|cm|kg))",
     "stated"),
)  # fmt: skip
_AGE_RE = re.compile(
    guarded("|".join(f"(?:{p})" for p, _ in _AGE_PATTERNS).replace("(?P<n>", "(?:"))
)
_AGE_RES = tuple((re.compile(guarded(p)), kind) for p, kind in _AGE_PATTERNS)


_GROUPED_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


@dataclass(frozen=True, slots=True)
class PriceFind:
    """An amount with its currency (or code) and time unit, if stated."""

    amount: float
    currency: str
    unit: str | None
    start: int
    end: int

    @property
    def value(self) -> str:
        amount = f"{self.amount:g}" if self.amount < 1e6 else f"{self.amount:.0f}"
        return f"{amount} {self.currency}" + (f"/{self.unit}" if self.unit else "")

    @property
    def coded(self) -> bool:
        return self.currency in _CODED

    @property
    def monthly(self) -> float | None:
        """Rough monthly equivalent of a wage (None for coded units or no unit)."""
        if self.coded or self.unit not in _MONTHLY:
            return None
        return self.amount * _MONTHLY[self.unit]


@dataclass(frozen=True, slots=True)
class AgeFind:
    """A stated age ("minimum" for "16+ welcome" style cues)."""

    age: int
    kind: str
    start: int
    end: int


def parse_amount(text: str) -> float:
    """ "1.500,50" / "1,500.50" / "1 500" -> 1500.5 (a lone separator before 3 digits groups)."""
    text = text.replace(" ", "")
    if _GROUPED_RE.fullmatch(text):
        return float(text.replace(".", "").replace(",", ""))
    head = max(text.rfind("."), text.rfind(","))
    if head == -1:
        return float(text)
    whole = text[:head].replace(".", "").replace(",", "")
    return float(whole + "." + text[head + 1 :])


def find_prices(folded: str, country: str | None) -> list[PriceFind]:
    """Amounts of money or coded payment units in folded text."""
    found = []
    for m in _PRICE_RE.finditer(folded):
        symbol = m.group("c1") or m.group("c2")
        amount = m.group("a1") or m.group("a2")
        if symbol is None or amount is None:
            continue
        currency = _SYMBOLS[symbol]
        if symbol == "$" and country in _LOCAL_DOLLAR:
            currency = _LOCAL_DOLLAR[country]
        unit_text = m.group("unit")
        unit = _UNITS.get(unit_text) if unit_text else None
        found.append(PriceFind(parse_amount(amount), currency, unit, m.start(), m.end()))
    return found


def find_ages(folded: str) -> list[AgeFind]:
    """Ages between 10 and 79 stated in EN, FR, ES or PT."""
    if _AGE_RE.search(folded) is None:
        return []
    found: list[AgeFind] = []
    for pattern, kind in _AGE_RES:  # the most specific patterns first
        for m in pattern.finditer(folded):
            age = int(m.group("n"))
            overlaps = any(f.start < m.end() and m.start() < f.end for f in found)
            if 10 <= age < 80 and not overlaps:
                found.append(AgeFind(age, kind, m.start(), m.end()))
    return sorted(found, key=lambda a: a.start)

"""Indicators computed from extracted selectors rather than from words alone.

A check receives the extraction, the spans its indicator's patterns matched
(its context, possibly empty) and the indicator's ``params``; it returns the
evidence spans when the indicator fires, else None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from threadline.ads.extract import Extraction, Found, Span, all_spans

Check = Callable[[Extraction, list[Span], Mapping[str, Any]], list[Span] | None]

# Currencies close enough to the euro for a "far above market" threshold.
_HARD_CURRENCIES = frozenset({"EUR", "USD", "GBP", "CHF", "CAD", "AUD"})
_MESSAGING_URL_HOSTS = ("t.me", "wa.me", "m.me", "line.me")


def obscured_phone(
    extraction: Extraction, _context: list[Span], _p: Mapping[str, Any]
) -> list[Span] | None:
    """A phone was only recoverable through de-obfuscation."""
    phones = [p for p in extraction.phones if p.attributes.get("obscured")]
    return all_spans(phones) or None


def messaging_only_contact(
    extraction: Extraction, context: list[Span], _p: Mapping[str, Any]
) -> list[Span] | None:
    """A job ad (context matched) whose only contact is a messaging account."""
    if not context or not extraction.handles or extraction.emails:
        return None
    if any(not any(h in u.value for h in _MESSAGING_URL_HOSTS) for u in extraction.urls):
        return None
    messaging_phones = {h.value.split(":", 1)[1] for h in extraction.handles}
    if any(p.value not in messaging_phones for p in extraction.phones):
        return None
    return all_spans(extraction.handles)


def _ages(extraction: Extraction, low: int, high: int, kind: str | None = None) -> list[Found]:
    return [
        a for a in extraction.ages
        if low <= int(a.value) <= high and (kind is None or a.attributes.get("kind") == kind)
    ]  # fmt: skip


def minor_age(
    extraction: Extraction, context: list[Span], _p: Mapping[str, Any]
) -> list[Span] | None:
    """A stated or minimum age under 18, or a pattern welcoming minors."""
    return (
        sorted({*context, *all_spans(_ages(extraction, 10, 17))}, key=lambda s: (s.field, s.start))
        or None
    )


def stated_age_18_22(
    extraction: Extraction, _c: list[Span], _p: Mapping[str, Any]
) -> list[Span] | None:
    """A stated age of 18 to 22 (reported; the evidence says it is not predictive)."""
    return all_spans(_ages(extraction, 18, 22, "stated")) or None


def coded_price(
    extraction: Extraction, context: list[Span], _p: Mapping[str, Any]
) -> list[Span] | None:
    """A price in a coded unit ("150 roses"), or the 🌹 code matched by the patterns."""
    coded = [p for p in extraction.prices if p.attributes.get("coded")]
    return sorted({*context, *all_spans(coded)}, key=lambda s: (s.field, s.start)) or None


def high_wage_no_experience(
    extraction: Extraction, context: list[Span], params: Mapping[str, Any]
) -> list[Span] | None:
    """A "no experience" phrase together with a wage above ``monthly_min`` a month."""
    if not context:
        return None
    minimum = float(params.get("monthly_min", 2500))
    wages = [
        p for p in extraction.prices
        if p.attributes.get("currency") in _HARD_CURRENCIES
        and (p.attributes.get("monthly") or 0) >= minimum
    ]  # fmt: skip
    if not wages:
        return None
    return sorted({*context, *all_spans(wages)}, key=lambda s: (s.field, s.start))


CHECKS: dict[str, Check] = {
    "obscured_phone": obscured_phone,
    "messaging_only_contact": messaging_only_contact,
    "minor_age": minor_age,
    "stated_age_18_22": stated_age_18_22,
    "coded_price": coded_price,
    "high_wage_no_experience": high_wage_no_experience,
}

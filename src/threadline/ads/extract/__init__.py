"""Selector extraction from ads: phones, e-mails, handles, URLs, wallets, prices, ages, places.

Every value keeps where it was read: a list of :class:`Span` ``{field, start, end}``
where ``field`` is "title", "text" or "location" (the ad's fields) and
``start``/``end`` are Python string offsets (code points, end exclusive) into
that field's original value. The same value found twice is one item with two spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from threadline.ads.extract.amounts import find_ages, find_prices
from threadline.ads.extract.contacts import find_emails, find_handles, find_urls
from threadline.ads.extract.folding import fold
from threadline.ads.extract.phones import find_phones
from threadline.ads.extract.places import find_places
from threadline.ads.extract.wallets import find_wallets
from threadline.model.ads import Ad

Field = Literal["title", "text", "location"]
KINDS = ("phones", "emails", "handles", "urls", "wallets", "prices", "ages", "locations")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``[start, end)`` of one field of the ad."""

    field: Field
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Found:
    """One extracted value, every place it occurs, and kind-specific attributes.

    ``attributes`` holds e.g. ``obscured`` and ``methods`` for phones, ``amount``,
    ``currency``, ``unit`` for prices, ``kind`` ("stated"/"minimum") for ages.
    """

    value: str
    spans: tuple[Span, ...]
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "spans": [s.to_dict() for s in self.spans]}
        if self.attributes:
            out["attributes"] = self.attributes
        return out


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one ad, per kind."""

    ad_id: str
    phones: tuple[Found, ...] = ()
    emails: tuple[Found, ...] = ()
    handles: tuple[Found, ...] = ()
    urls: tuple[Found, ...] = ()
    wallets: tuple[Found, ...] = ()
    prices: tuple[Found, ...] = ()
    ages: tuple[Found, ...] = ()
    locations: tuple[Found, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.ad_id}
        for kind in KINDS:
            out[kind] = [f.to_dict() for f in getattr(self, kind)]
        return out


class _Collector:
    """Merges finds of one kind by value, keeping every span and the first attributes."""

    __slots__ = ("attributes", "spans")

    def __init__(self) -> None:
        self.spans: dict[str, list[Span]] = {}
        self.attributes: dict[str, dict[str, Any]] = {}

    def add(self, value: str, span: Span, attributes: dict[str, Any] | None = None) -> None:
        spans = self.spans.setdefault(value, [])
        if span not in spans:
            spans.append(span)
        merged = self.attributes.setdefault(value, {})
        if not attributes:
            return
        for key, item in attributes.items():
            if key == "obscured":  # obscured anywhere means obscured
                merged[key] = bool(merged.get(key)) or bool(item)
            elif key == "methods":
                merged[key] = sorted(set(merged.get(key, [])) | set(item))
            else:
                merged.setdefault(key, item)

    def items(self) -> tuple[Found, ...]:
        if not self.spans:
            return ()
        return tuple(Found(v, tuple(s), self.attributes[v]) for v, s in self.spans.items())


def extract(ad: Ad) -> Extraction:
    """Extract every selector from the ad's title and text (and cities from ``location``)."""
    kinds = {kind: _Collector() for kind in KINDS}
    fields: tuple[tuple[Field, str], ...] = (("title", ad.title), ("text", ad.text))
    for name, original in fields:
        if original:
            _extract_field(name, original, ad.country, kinds)
    if ad.location:
        folded = fold(ad.location)
        for place in find_places(ad.location, folded, ad.country):
            kinds["locations"].add(place.value, Span("location", place.start, place.end))
    return Extraction(ad.id, **{kind: c.items() for kind, c in kinds.items()})


def _extract_field(name: Field, original: str, country: str, kinds: dict[str, _Collector]) -> None:
    folded = fold(original)
    phones = find_phones(original, folded, country)
    for p in phones:
        attrs = {"obscured": p.obscured, "methods": sorted(p.methods)}
        kinds["phones"].add(p.e164, Span(name, p.start, p.end), attrs)
    for e in find_emails(folded):
        kinds["emails"].add(e.value, Span(name, e.start, e.end), {"obscured": e.obscured})
    for h in find_handles(folded, phones):
        kinds["handles"].add(h.value, Span(name, h.start, h.end))
    for u in find_urls(original, folded):
        kinds["urls"].add(u.value, Span(name, u.start, u.end))
    for w in find_wallets(original):
        kinds["wallets"].add(w.value, Span(name, w.start, w.end), {"kind": w.kind})
    for price in find_prices(folded, country):
        attrs = {"amount": price.amount, "currency": price.currency, "unit": price.unit,
                 "coded": price.coded, "monthly": price.monthly}  # fmt: skip
        kinds["prices"].add(price.value, Span(name, price.start, price.end), attrs)
    for age in find_ages(folded):
        kinds["ages"].add(str(age.age), Span(name, age.start, age.end), {"kind": age.kind})
    for place in find_places(original, folded, country):
        kinds["locations"].add(place.value, Span(name, place.start, place.end))


def all_spans(items: Iterable[Found]) -> list[Span]:
    """Every span of several found values, in order."""
    return sorted((s for f in items for s in f.spans), key=lambda s: (s.field, s.start))

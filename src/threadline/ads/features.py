"""What persona linking needs of one ad, kept small so a million ads fit in memory.

:func:`ad_features` turns an ad, its extraction and its risk into
:class:`AdFeatures`: the selectors that can tie ads to one operator, a
*template text* (title and text with every variable part masked, so that the
posts of one template collide), image perceptual hashes, and where and when
the ad was posted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from threadline.ads.extract import Extraction
from threadline.ads.extract.folding import fold
from threadline.model.ads import Ad

# Selector kinds that identify an operator, in the order reasons are listed.
SELECTOR_KINDS = ("phone", "email", "wallet", "handle", "account")
_MASKED_KINDS = ("phones", "emails", "handles", "urls", "wallets", "prices", "ages", "locations")
_MASK = {"phones": " _phone_ ", "emails": " _email_ ", "handles": " _handle_ ", "urls": " _url_ ",
         "wallets": " _wallet_ ", "prices": " _price_ ", "ages": " _age_ ",
         "locations": " _place_ "}  # fmt: skip
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class AdFeatures:
    """The linking view of one ad."""

    ad_id: str
    selectors: tuple[tuple[str, str], ...]  # (kind, value), e.g. ("phone", "+447700900123")
    template: str  # masked, folded title and text
    phashes: tuple[int, ...]  # 64-bit perceptual hashes of its images
    posted_at: datetime
    country: str
    location: str
    city: str | None = None  # "CC:City" read from the location field, if any
    risk: float = 0.0
    entity_id: str | None = None


def selectors_of(ad: Ad, extraction: Extraction) -> tuple[tuple[str, str], ...]:
    """Phones, e-mails, wallets, messaging handles and the poster's account, deduplicated.

    A messaging handle that is a phone ("whatsapp:+33...") is the phone itself.
    """
    found: dict[tuple[str, str], None] = {}
    for item in extraction.phones:
        found[("phone", item.value)] = None
    for item in extraction.emails:
        found[("email", item.value)] = None
    for item in extraction.wallets:
        found[("wallet", item.value)] = None
    for item in extraction.handles:
        platform, _, name = item.value.partition(":")
        kind = "phone" if name.startswith("+") else "handle"
        found[(kind, name if kind == "phone" else f"{platform}:{name}")] = None
    poster = ad.poster
    if poster is not None and (poster.handle or poster.profile_url):
        name = (poster.handle or poster.profile_url or "").lower().lstrip("@")
        found[("account", f"{ad.platform.lower()}:{name}")] = None
    return tuple(found)


def template_text(ad: Ad, extraction: Extraction) -> str:
    """Title and text folded, with selectors, prices, ages, places and numbers masked."""
    spans: dict[str, list[tuple[int, int, str]]] = {"title": [], "text": []}
    for kind in _MASKED_KINDS:
        for item in getattr(extraction, kind):
            for span in item.spans:
                if span.field in spans:
                    spans[span.field].append((span.start, span.end, _MASK[kind]))
    parts = [_masked(ad.title, spans["title"]), _masked(ad.text, spans["text"])]
    text = _NUMBER_RE.sub(" _n_ ", fold(" \n ".join(parts)))
    return _SPACE_RE.sub(" ", text).strip()


def _masked(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    out = []
    last = 0
    for start, end, token in sorted(spans):
        if start < last:  # overlapping finds (a handle around a phone): already masked
            continue
        out.append(text[last:start])
        out.append(token)
        last = end
    out.append(text[last:])
    return "".join(out)


def city_of(extraction: Extraction) -> str | None:
    """The city the ad's ``location`` field names, else the first city of its text."""
    best: tuple[int, str] | None = None
    for item in extraction.locations:
        rank = min((0 if s.field == "location" else 1) for s in item.spans)
        if best is None or rank < best[0]:
            best = (rank, item.value)
    return None if best is None else best[1]


def parse_phash(value: str) -> int | None:
    """A 64-bit perceptual hash from its 16 hex digits (None if it is not one)."""
    text = value.strip().lower()
    if len(text) != 16:
        return None
    try:
        return int(text, 16)
    except ValueError:
        return None


def ad_features(
    ad: Ad,
    extraction: Extraction,
    *,
    risk: float = 0.0,
    phashes: Iterable[int] = (),
    entity_id: str | None = None,
) -> AdFeatures:
    """The linking view of an ad (``phashes``: its images' hashes, read or computed)."""
    given = [h for h in (parse_phash(i.phash) for i in ad.images if i.phash) if h is not None]
    return AdFeatures(
        ad_id=ad.id,
        selectors=selectors_of(ad, extraction),
        template=template_text(ad, extraction),
        phashes=tuple(dict.fromkeys([*given, *phashes])),
        posted_at=ad.posted_at,
        country=ad.country,
        location=ad.location,
        city=city_of(extraction),
        risk=risk,
        entity_id=entity_id,
    )

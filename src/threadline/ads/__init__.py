"""Ad intelligence: parse ad records, extract selectors, score explained risk indicators.

Public surface::

    from threadline.ads import parse_ad, extract, score
    ad = parse_ad(record)          # InputError on a malformed record
    found = extract(ad)            # Extraction: per kind a list of Found(value, spans)
    risk = score(ad, found)        # RiskScore: risk in 0..1 and contributions summing to it

Personas (``ads.personas``: ``link_ads``, ``build_personas``), movement
(``ads.movement``), persona context (``ads.context``), the stored analysis
(``ads.service.analyze_collection`` and its readers) and the evaluation against a
simulated truth (``ads.evaluation``) are imported from their modules.
"""

from threadline.ads.extract import Extraction, Found, Span, extract
from threadline.ads.scoring import Contribution, RiskScore, score
from threadline.model.ads import Ad, ImageRef, Poster, parse_ad

__all__ = [
    "Ad",
    "Contribution",
    "Extraction",
    "Found",
    "ImageRef",
    "Poster",
    "RiskScore",
    "Span",
    "extract",
    "parse_ad",
    "score",
]

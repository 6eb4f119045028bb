"""Evidence that an ad shows a missing person: name mentioned, stated age, shared photo.

Person sightings are scored by the linkage model (Splink); ads carry too little
structure for that, so each kind of evidence here is a contribution with its
own weight, combined as independent evidence: score = 1 - prod(1 - weight).
"""

from __future__ import annotations

import re
from typing import Any

from followthemoney.proxy import EntityProxy

from threadline.linkage.records import name_features
from threadline.primitives.dates import PartialDate, parse_partial_date

NAME_WEIGHT = 0.55  # first and last name both mentioned
PART_WEIGHT = 0.2  # only one name part mentioned
AGE_WEIGHT = 0.25  # stated age within two years of the age the person would have now
PHOTO_WEIGHT = 0.8  # a photo with a near-identical perceptual hash
PHOTO_DISTANCE = 8  # of 64 bits

_AGE = re.compile(
    r"\b(?:age[ds]?|âge|edad|idade)\s*:?\s*(\d{2})\b|\b(\d{2})\s*(?:yo|y/o|y\.o\.|years?\s+old|ans|años|anos)\b",
    re.IGNORECASE,
)


def stated_ages(text: str) -> list[int]:
    """Ages an ad states ("22 yo", "age: 19", "19 ans")."""
    return [int(a or b) for a, b in _AGE.findall(text)]


def age_on(born: PartialDate, on: PartialDate) -> int:
    """Completed years at a date (to the precision both know)."""
    years = on.year - born.year
    if born.month and on.month and (on.month, on.day or 31) < (born.month, born.day or 1):
        years -= 1
    return years


def ad_evidence(
    report: EntityProxy, ad: EntityProxy, ad_hashes: list[int], report_hashes: list[int]
) -> list[dict[str, Any]]:
    """Contributions linking a report to an ad (empty when nothing links them)."""
    text = " ".join([*ad.get("title", quiet=True), *ad.get("bodyText", quiet=True)])
    words = {k for w in re.findall(r"\w+", text) for k in name_features(w).keys}
    evidence: list[dict[str, Any]] = []
    first = {name_features(v).first for v in report.get("firstName")} - {None}
    last = {name_features(v).first for v in report.get("lastName")} - {None}
    for name in report.get("name"):
        feats = name_features(name)
        first.add(feats.first)
        if feats.last:
            last.add(feats.last)
    hit_first, hit_last = first & words, last & words
    if hit_first and hit_last:
        evidence.append(
            {
                "feature": "name_mentioned",
                "weight": NAME_WEIGHT,
                "evidence": sorted(hit_first | hit_last),
            }
        )
    elif hit_first or hit_last:
        evidence.append(
            {
                "feature": "name_part_mentioned",
                "weight": PART_WEIGHT,
                "evidence": sorted(hit_first | hit_last),
            }
        )
    born = next(filter(None, map(parse_partial_date, report.get("birthDate"))), None)
    posted = next(filter(None, map(parse_partial_date, ad.get("publishedAt", quiet=True))), None)
    if born is not None and posted is not None:
        expected = age_on(born, posted)
        for age in stated_ages(text):
            if abs(age - expected) <= 2:
                evidence.append(
                    {
                        "feature": "stated_age_fits",
                        "weight": AGE_WEIGHT,
                        "evidence": {"stated": age, "expected": expected},
                    }
                )
                break
    for mine in report_hashes:
        near = [h for h in ad_hashes if bin(mine ^ h).count("1") <= PHOTO_DISTANCE]
        if near:
            distance = min(bin(mine ^ h).count("1") for h in near)
            evidence.append(
                {
                    "feature": "shared_photo",
                    "weight": PHOTO_WEIGHT,
                    "evidence": {"hamming_distance": distance},
                }
            )
            break
    strong = {e["feature"] for e in evidence} & {"name_mentioned", "shared_photo"}
    return evidence if strong else []


def combined(evidence: list[dict[str, Any]]) -> float:
    """Independent evidence combined into one score in [0, 1]."""
    remaining = 1.0
    for item in evidence:
        remaining *= 1.0 - float(item["weight"])
    return round(1.0 - remaining, 4)

"""Evidence that an ad shows a missing person: name mentioned, stated age, shared photo.

Person sightings are scored by the linkage model (Splink); ads carry too little
structure for that, so each kind of evidence here is a contribution with its
own weight, combined as independent evidence: score = 1 - prod(1 - weight).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True)
class AdText:
    """What the evidence reads of an ad, computed once per ad: its text and the name keys
    of its words."""

    text: str
    words: frozenset[str]


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[str, ...]:
    return name_features(word).keys


def ad_text(ad: EntityProxy) -> AdText:
    text = " ".join([*ad.get("title", quiet=True), *ad.get("bodyText", quiet=True)])
    return AdText(text, frozenset(k for w in _WORD.findall(text) for k in _word_keys(w)))


def report_name_keys(report: EntityProxy) -> tuple[set[str], set[str]]:
    """Name keys of a report's first and last names (a name's first and last part count)."""
    first = {name_features(v).first for v in report.get("firstName")} - {None}
    last = {name_features(v).first for v in report.get("lastName")} - {None}
    for name in report.get("name"):
        feats = name_features(name)
        first.add(feats.first)
        if feats.last:
            last.add(feats.last)
    return {k for k in first if k}, {k for k in last if k}


def ad_evidence(
    report: EntityProxy,
    ad: EntityProxy,
    ad_hashes: list[int],
    report_hashes: list[int],
    read: AdText | None = None,
) -> list[dict[str, Any]]:
    """Contributions linking a report to an ad (empty when nothing links them).

    ``read`` is the ad's :func:`ad_text` when the caller has it already.
    """
    read = read or ad_text(ad)
    text, words = read.text, read.words
    evidence: list[dict[str, Any]] = []
    first, last = report_name_keys(report)
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


def _near(a: int, b: int) -> bool:
    return bin(a ^ b).count("1") <= PHOTO_DISTANCE


class AdIndex:
    """The ads a report is compared with, indexed so that a report meets only the ads that
    can give a lead.

    A lead from an ad needs its first and its last name mentioned, or a shared photo
    (:func:`ad_evidence` returns nothing otherwise), so the candidates of a report are the
    ads holding one of its first-name keys and one of its last-name keys, and the ads
    with a photo near one of its photos. Each ad's text is read once.
    """

    def __init__(self, ads: Sequence[EntityProxy], hashes: Sequence[Sequence[int]]) -> None:
        self.texts = [ad_text(ad) for ad in ads]
        self._by_key: dict[str, set[int]] = {}
        for number, read in enumerate(self.texts):
            for key in read.words:
                self._by_key.setdefault(key, set()).add(number)
        self._by_hash: dict[int, set[int]] = {}
        for number, own in enumerate(hashes):
            for value in own:
                self._by_hash.setdefault(value, set()).add(number)

    def _holding(self, keys: set[str]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found |= self._by_key.get(key, set())
        return found

    def candidates(self, report: EntityProxy, report_hashes: Sequence[int]) -> list[int]:
        """Positions of the ads that may give the report a lead, in the order given."""
        first, last = report_name_keys(report)
        found = self._holding(first) & self._holding(last) if first and last else set()
        for mine in report_hashes:
            for value, owners in self._by_hash.items():
                if _near(mine, value):
                    found |= owners
        return sorted(found)

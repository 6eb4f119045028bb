"""Risk score of an ad with an explanation that accounts for every point of it.

Model: a logistic of summed log-odds. The baseline ``BASELINE_LOGIT`` is the
prior of an ad showing nothing; each indicator the ad shows adds its weight
(log-odds; negative for signs of a fair recruiter or of evidence against):

    risk = sigmoid(BASELINE_LOGIT + sum(weights))

Explanation: the gap between the risk and the baseline probability is shared
among indicators in proportion to their weights (the secant slope of the
sigmoid between baseline and total), so every contribution has its weight's
sign, the shares do not depend on the order of indicators, and

    baseline contribution + sum(indicator contributions) == risk

exactly; the last contribution absorbs the rounding residual (at most 1e-6).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.ads.extract import Extraction, Span
from threadline.ads.extract.folding import fold
from threadline.ads.indicators import Hit, RuleSet, match, rule_sets
from threadline.model.ads import Ad

BASELINE_LOGIT = -3.0
DIGITS = 6


@dataclass(frozen=True, slots=True)
class Contribution:
    """One reason for a score: an indicator (or context) with its weight, share and evidence.

    ``weight`` is in log-odds; ``contribution`` is its share of the 0..1 risk
    (filled in by :func:`score`; leave 0.0 when passing context boosts).
    """

    id: str
    weight: float
    contribution: float = 0.0
    spans: tuple[Span, ...] = ()
    family: str = "context"
    description: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "family": self.family,
            "weight": self.weight,
            "contribution": self.contribution,
            "spans": [s.to_dict() for s in self.spans],
        }
        if self.evidence:
            out["evidence"] = self.evidence
        return out


@dataclass(frozen=True, slots=True)
class RiskScore:
    """The risk of one ad (0..1) and the contributions that add up to it."""

    ad_id: str
    risk: float
    contributions: tuple[Contribution, ...]
    rule_versions: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.ad_id,
            "risk": self.risk,
            "rule_versions": self.rule_versions,
            "contributions": [c.to_dict() for c in self.contributions],
        }


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _contribution(hit: Hit) -> Contribution:
    ind = hit.indicator
    return Contribution(ind.id, ind.weight, 0.0, hit.spans, ind.family, ind.description)


def score(
    ad: Ad,
    extraction: Extraction,
    context_boosts: Sequence[Contribution] = (),
    sets: Sequence[RuleSet] | None = None,
) -> RiskScore:
    """Score an ad from its extraction; ``context_boosts`` add explained log-odds from outside
    the ad (e.g. its phone also appears in high-risk ads)."""
    folded = [(name, fold(value)) for name, value in (("title", ad.title), ("text", ad.text))]
    hits = match(ad, extraction, folded, sets)
    parts = [_contribution(h) for h in hits] + list(context_boosts)
    used = rule_sets() if sets is None else sets
    return explain(ad.id, parts, {r.family: r.version for r in used})


def explain(ad_id: str, parts: Sequence[Contribution], versions: dict[str, int]) -> RiskScore:
    """Combine weighted parts into a risk and share it out exactly (see the module doc)."""
    total = sum(p.weight for p in parts)
    base = _sigmoid(BASELINE_LOGIT)
    risk = round(_sigmoid(BASELINE_LOGIT + total), DIGITS)
    if abs(total) < 1e-12:
        slope = base * (1.0 - base)  # the secant's limit: the sigmoid's derivative
    else:
        slope = (_sigmoid(BASELINE_LOGIT + total) - base) / total
    baseline = Contribution("baseline", BASELINE_LOGIT, round(base, DIGITS), family="baseline",
                            description="prior risk of an ad that shows no indicator")  # fmt: skip
    shared = [_with_share(p, round(p.weight * slope, DIGITS)) for p in parts]
    out = [baseline, *shared]
    residual = round(risk - sum(c.contribution for c in out), DIGITS)
    if residual:
        last = max(range(len(out)), key=lambda i: abs(out[i].contribution))
        out[last] = _with_share(out[last], round(out[last].contribution + residual, DIGITS))
    return RiskScore(ad_id, risk, tuple(out), versions)


def _with_share(part: Contribution, share: float) -> Contribution:
    # The constructor, not dataclasses.replace: this runs for every indicator of every ad.
    return Contribution(
        part.id, part.weight, share, part.spans, part.family, part.description, part.evidence
    )

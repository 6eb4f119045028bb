"""One ad sent by another system: parsed, its selectors extracted or its risk scored, not stored.

A platform's trust-and-safety team sends the ads it is unsure of one at a time and
wants the same answer ``threadline ads extract`` and ``threadline ads score`` print
for a file. Nothing of the ad is kept; the audit log records who sent which ad id
and how much was found in it, never its text or its selectors.
"""

from __future__ import annotations

from typing import Any

from threadline.ads.extract import KINDS, extract
from threadline.ads.scoring import RiskScore, score
from threadline.governance import Actor
from threadline.governance.audit import append
from threadline.model.ads import parse_ad
from threadline.store import Store

COMPONENT = "ads"


def score_view(result: RiskScore) -> dict[str, Any]:
    """``{id, risk, indicators: [{id, weight, contribution, spans}]}``: a score as the
    interfaces show it (the baseline is an indicator too, so the contributions add up
    to the risk)."""
    return {
        "id": result.ad_id,
        "risk": result.risk,
        "indicators": [
            {"id": c.id, "weight": c.weight, "contribution": c.contribution,
             "spans": [s.to_dict() for s in c.spans]}
            for c in result.contributions
        ],
    }  # fmt: skip


def extract_ad(store: Store, actor: Actor, record: dict[str, Any]) -> dict[str, Any]:
    """The selectors and indicators' raw finds of one ad record (``InputError`` naming the
    field when the record is not a valid ad); audited."""
    ad = parse_ad(record)
    found = extract(ad).to_dict()
    count = sum(len(found[kind]) for kind in KINDS)
    append(store, actor, "ads.extract", component=COMPONENT, target_type="ad", target_id=ad.id,
           result_count=count)  # fmt: skip
    return found


def score_ad(store: Store, actor: Actor, record: dict[str, Any]) -> dict[str, Any]:
    """The explained risk of one ad record (see :func:`score_view`); audited."""
    ad = parse_ad(record)
    view = score_view(score(ad, extract(ad)))
    append(store, actor, "ads.score", component=COMPONENT, target_type="ad", target_id=ad.id,
           result_count=len(view["indicators"]), detail={"risk": view["risk"]})  # fmt: skip
    return view

"""Persona context for an ad's risk: what its linked ads say about it.

A benign-looking ad whose phone (or e-mail, wallet, handle, account or photo)
also appears in high-risk ads is riskier than its own words suggest. For each
ad, the strongest accepted link to an ad riskier than itself and at least
``HIGH_RISK`` adds a log-odds boost through :func:`threadline.ads.scoring.score`'s
``context_boosts``, with the link and the ads behind it as evidence. Hubs never
count (they link nothing), and neither do templates: shared wording says less
about who is behind an ad than a shared phone does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from threadline.ads.features import SELECTOR_KINDS
from threadline.ads.personas import Linkage
from threadline.ads.scoring import Contribution

HIGH_RISK = 0.5
MAX_BOOST = 2.0  # log-odds when the linked ads are certain
BOOST_ID = "persona.linked_to_high_risk_ads"
_LINK_KINDS = (*SELECTOR_KINDS, "image")
_EVIDENCE_ADS = 5


def context_boosts(linkage: Linkage, risks: Sequence[float]) -> list[list[Contribution]]:
    """Per ad (position in ``linkage.ads``): the persona-context contributions to add."""
    carriers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, reasons in enumerate(linkage.reasons):
        for reason in reasons:
            if reason.kind in _LINK_KINDS:
                carriers[(reason.kind, reason.value)].append(position)
    best: dict[int, tuple[float, tuple[str, str], list[int]]] = {}
    for key, positions in carriers.items():
        ranked = sorted(positions, key=lambda p: -risks[p])
        for position in positions:
            others = [p for p in ranked[: _EVIDENCE_ADS + 1] if p != position][:_EVIDENCE_ADS]
            if not others:
                continue
            top = risks[others[0]]
            if top < HIGH_RISK or top <= risks[position]:
                continue
            if position not in best or top > best[position][0]:
                best[position] = (top, key, others)
    out: list[list[Contribution]] = [[] for _ in linkage.ads]
    for position, (top, (kind, value), others) in best.items():
        weight = round(MAX_BOOST * (top - HIGH_RISK) / (1.0 - HIGH_RISK), 4)
        if weight <= 0:
            continue
        evidence = {
            "link": {"kind": kind, "value": value},
            "linked_ads": [{"id": linkage.ads[p].ad_id, "risk": risks[p]} for p in others],
        }
        description = f"shares its {kind} with ads of risk up to {top:.2f}"
        out[position].append(
            Contribution(BOOST_ID, weight, 0.0, (), "persona", description, evidence)
        )
    return out

"""How well the stored ad findings match a simulated world's ground truth.

``truth`` is the simulator's ``truth.json`` (docs/formats.md). Used here:

- ``personas``: ``[{persona_id, network_id, ad_ids}]``: each operator's ads;
- ``legitimate``: ``recruitment_agencies``, ``business_phones`` and
  ``independent_advertisers``, each ``[{poster_id, sample_ad_ids}]``: honest
  advertisers (one truth persona each) that look like the trafficking ads.

Only these *labelled* ads count; the simulator does not list every honest ad.

- **Persona linking**, pairwise: a pair of labelled ads is *predicted* linked when
  both are in one stored persona, *truly* linked when both are in one truth
  persona. precision = TP / predicted pairs, recall = TP / true pairs, F1.
  ``network_*`` does the same with the truth personas of one network merged.
- **Ranking**: average precision of the stored ad risks ranking trafficking ads
  (every persona ad) above the legitimate look-alikes (ties broken against the
  ranking: look-alikes first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from threadline.store import Store
from threadline.store.findings import query_findings

_LEGITIMATE = ("recruitment_agencies", "business_phones", "independent_advertisers")


def truth_clusters(truth: Mapping[str, Any], *, by_network: bool = False) -> dict[str, str]:
    """Labelled ad id -> truth cluster (persona, or network when ``by_network``)."""
    out: dict[str, str] = {}
    for persona in truth.get("personas", []):
        label = persona["network_id"] if by_network else persona["persona_id"]
        for ad_id in persona.get("ad_ids", []):
            out[str(ad_id)] = f"T:{label}"
    legitimate = truth.get("legitimate", {})
    for group in _LEGITIMATE:
        for poster in legitimate.get(group, []):
            for ad_id in poster.get("sample_ad_ids", []):
                out.setdefault(str(ad_id), f"L:{poster['poster_id']}")
    return out


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 over the ads both mappings label."""
    common = [a for a in truth if a in predicted]
    cells = Counter((predicted[a], truth[a]) for a in common)
    tp = sum(_pairs(n) for n in cells.values())
    pred_pairs = sum(_pairs(n) for n in Counter(predicted[a] for a in common).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth[a] for a in common).values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4), "ads": len(common), "true_pairs": true_pairs,
            "predicted_pairs": pred_pairs}  # fmt: skip


def average_precision(
    scores: Mapping[str, float], positives: set[str], negatives: set[str]
) -> float:
    """AP of ranking ``positives`` above ``negatives`` by score (ties: negatives first)."""
    ranked = sorted(
        (a for a in scores if a in positives or a in negatives),
        key=lambda a: (-scores[a], a in positives, a),
    )
    hits = 0
    total = 0.0
    for rank, ad_id in enumerate(ranked, start=1):
        if ad_id in positives:
            hits += 1
            total += hits / rank
    found = sum(1 for a in ranked if a in positives)
    return round(total / found, 4) if found else 0.0


def evaluate_ads(
    store: Store, truth: Mapping[str, Any], *, collection_ids: list[int] | None = None
) -> dict[str, Any]:
    """Persona pairwise precision/recall/F1 and ranking AP from the stored findings."""
    with store.connect() as conn:
        results = query_findings(conn, "ad_risk", collection_ids=collection_ids,
                                 order_by_score=False)  # fmt: skip
    predicted = {f.key: str(f.data.get("persona_id") or f.key) for f in results}
    scores = {f.key: float(f.score or 0.0) for f in results}
    by_persona = truth_clusters(truth)
    positives = {a for a, label in by_persona.items() if label.startswith("T:")}
    negatives = set(by_persona) - positives
    return {
        "personas": pairwise_scores(predicted, by_persona),
        "networks": pairwise_scores(predicted, truth_clusters(truth, by_network=True)),
        "ranking": {
            "average_precision": average_precision(scores, positives, negatives),
            "trafficking_ads": len(positives & set(scores)),
            "legitimate_ads": len(negatives & set(scores)),
        },
    }


def _measured(store: Store, truth: Mapping[str, Any]) -> dict[str, Any]:
    from threadline.exc import NotMeasured
    from threadline.store.findings import list_runs

    with store.connect() as conn:
        if not list_runs(conn, kind="ads"):
            raise NotMeasured("no ad analysis on this store: run 'threadline ads analyze'")
    return evaluate_ads(store, truth)


def evaluate_ad_risk(store: Store, truth: Mapping[str, Any]) -> dict[str, Any]:
    """Trafficking ads ranked above legitimate look-alikes (average precision)."""
    ranking = dict(_measured(store, truth)["ranking"])
    return ranking


def evaluate_personas(store: Store, truth: Mapping[str, Any]) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of personas (ads of one operator) and of networks."""
    scores = _measured(store, truth)
    result = dict(scores["personas"])
    result["network_f1"] = scores["networks"]["f1"]
    return result

"""Scoring resolved clusters against the simulator's truth.json (pairwise precision/recall/F1)."""

from __future__ import annotations

from typing import Any

from threadline.governance import SYSTEM
from threadline.linkage.review import list_clusters
from threadline.linkage.service import RUN_KIND
from threadline.store import Store
from threadline.store.findings import list_runs


def true_groups(truth: dict[str, Any]) -> list[set[str]]:
    """Entity ids that are one person: each network member's case entities (two or more)."""
    groups: list[set[str]] = []
    for network in truth.get("networks", []):
        for member in network.get("members", []):
            ids = set(member.get("case_entity_ids") or [])
            if len(ids) > 1:
                groups.append(ids)
    return groups


def evaluate_linkage(store: Store, truth: dict[str, Any]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of the stored clusters over the recorded people.

    Raises ``NotMeasured`` before a linkage run, or when the world records nobody twice.
    """
    from threadline.exc import NotMeasured
    from threadline.primitives.scores import pairwise_scores

    with store.connect() as conn:
        if not list_runs(conn, kind=RUN_KIND):
            raise NotMeasured("no linkage run on this store: run 'threadline link run' first")
    true = true_groups(truth)
    if not true:
        raise NotMeasured("the world's truth records no person in two case files")
    predicted = [{m["entity_id"] for m in c["members"]} for c in list_clusters(store, SYSTEM)]
    scores = pairwise_scores(predicted, true)
    scores["people"] = float(len(true))
    return scores

"""What analysts see and do: the review queue, decisions, and the resolved clusters.

Only links and cluster members in collections the actor may see are shown: a
cluster that spans a hidden collection shows its visible members only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from threadline.governance import Actor, visible_collection_ids
from threadline.linkage.judgements import Judgement, active_judgements, decide, retract
from threadline.linkage.predict import CLUSTER, LINK, pair_key
from threadline.linkage.service import RUN_KIND, LinkOptions, recluster
from threadline.store import Store
from threadline.store.collections import list_collections
from threadline.store.findings import Finding, finish_run, list_runs, query_findings, start_run


def _visible_names(conn: Connection, actor: Actor) -> set[str]:
    ids = set(visible_collection_ids(conn, actor))
    return {c.name for c in list_collections(conn) if c.id in ids}


def _link_visible(link: Finding, names: set[str]) -> bool:
    sides = (link.data.get("left") or {}, link.data.get("right") or {})
    return all(side.get("collection") in names for side in sides)


def review_queue(
    store: Store, actor: Actor, *, limit: int = 50, high: float = 0.99
) -> list[dict[str, Any]]:
    """Pairs needing a decision, most uncertain first, each with its comparison breakdown."""
    with store.connect() as conn:
        names = _visible_names(conn, actor)
        judged = {pair_key(j.left_id, j.right_id) for j in active_judgements(conn)}
        links = [
            link
            for link in query_findings(conn, LINK)
            if (link.score or 0.0) < high and link.key not in judged and _link_visible(link, names)
        ]
    links.sort(key=lambda f: (abs((f.score or 0.0) - 0.5), f.key))
    return [_pair_view(link) for link in links[:limit]]


def _pair_view(link: Finding) -> dict[str, Any]:
    return {
        "left_id": link.subject_id,
        "right_id": link.related_id,
        "match_probability": link.score,
        "match_weight": link.data.get("match_weight"),
        "left": link.data.get("left"),
        "right": link.data.get("right"),
        "comparisons": link.explanation,
    }


def last_threshold(conn: Connection) -> float:
    """The cluster threshold of the latest linkage run (the default when none ran)."""
    for run in list_runs(conn, kind=RUN_KIND):
        value = run.scope.get("threshold")
        if isinstance(value, int | float):
            return float(value)
    return LinkOptions().threshold


def decide_pair(
    store: Store, actor: Actor, left: str, right: str, judgement: str, reason: str | None
) -> Judgement:
    """Record a judgement and rebuild the clusters at once (it wins over the model)."""
    with store.begin() as conn:
        item = decide(conn, actor, left, right, judgement, reason)
        _recluster_now(
            conn, actor, {"judgement": item.judgement, "pair": [item.left_id, item.right_id]}
        )
    return item


def retract_pair(store: Store, actor: Actor, left: str, right: str) -> int:
    """Withdraw a judgement (soft-delete) and rebuild the clusters."""
    with store.begin() as conn:
        count = retract(conn, actor, left, right)
        _recluster_now(conn, actor, {"retracted": sorted((left, right))})
    return count


def _recluster_now(conn: Connection, actor: Actor, why: dict[str, Any]) -> None:
    threshold = last_threshold(conn)
    run_id = start_run(
        conn, RUN_KIND, user=actor.user, scope={"threshold": threshold, "mode": "recluster", **why}
    )
    count = recluster(conn, run_id, threshold)
    finish_run(conn, run_id, counts={"clusters": count})


def list_clusters(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Every cluster with its visible members (entity id, collection, source record)."""
    with store.connect() as conn:
        names = _visible_names(conn, actor)
        found = query_findings(conn, CLUSTER, order_by_score=False)
    out: list[dict[str, Any]] = []
    for item in found:
        members = [
            {
                "entity_id": r["entity_id"],
                "collection": r.get("collection"),
                "source_id": r.get("source_id"),
            }
            for r in item.data.get("records", [])
            if r.get("collection") in names
        ]
        if len(members) > 1:
            out.append(
                {
                    "cluster_id": item.key,
                    "members": members,
                    "links": [
                        e
                        for e in item.explanation
                        if {e["left"], e["right"]} <= {m["entity_id"] for m in members}
                    ],
                }
            )
    return sorted(out, key=lambda c: c["cluster_id"])

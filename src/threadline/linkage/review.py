"""What analysts see and do: the review queue, decisions, and the resolved clusters.

Everything is read through the governed access layer: only links and clusters
whose every record is in a collection the actor may see, of the actor's own
agency or the platform. A side that is tied to a victim the actor may not see
is shown by the record's pseudonym, without its entity id or compared values.
Judgements belong to the agency that made them: they shape that agency's
clusters, only that agency withdraws them, and they can be made only on
entities that exist and that the actor may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from threadline.exc import NotFound
from threadline.governance import AccessDenied, Actor, require_purpose
from threadline.governance.access import Access
from threadline.governance.audit import append
from threadline.governance.policy import may_judge
from threadline.governance.shield import WITHHELD, VictimShield
from threadline.linkage.judgements import Judgement, active_judgements, decide, retract
from threadline.linkage.predict import CLUSTER, LINK, pair_key
from threadline.linkage.service import RUN_KIND, LinkOptions, Producer, recluster
from threadline.store import Store
from threadline.store.findings import Finding, finish_run, list_runs, start_run
from threadline.store.statements import get_entities
from threadline.store.tables import statement as t_statement


def review_queue(
    store: Store, actor: Actor, *, limit: int = 50, high: float = 0.99
) -> list[dict[str, Any]]:
    """Pairs needing a decision, most uncertain first, each with its comparison breakdown
    (analysts; a person query: it needs a purpose)."""
    _require_reviewer(actor)
    who = Producer.of(actor)
    with store.connect() as conn:
        access = Access(conn, actor)
        judged = {
            pair_key(j.left_id, j.right_id)
            for j in active_judgements(conn, agency=who.agency, country=who.country)
        }
        links = [
            link
            for link in access.findings(LINK, order_by_score=False)
            if (link.score or 0.0) < high and link.key not in judged
        ]
        links.sort(key=lambda f: (abs((f.score or 0.0) - 0.5), f.key))
        shown = links[:limit]
        shield = access.shielded(i for f in shown for i in (f.subject_id, f.related_id))
        about = described(
            conn, access, [i for f in shown for i in (f.subject_id, f.related_id) if i]
        )
    append(
        store,
        actor,
        "link.review",
        component="linkage",
        target_type="entity_pair",
        result_count=len(shown),
        detail={"pseudonymised": shield.hidden_count},
    )
    return [_pair_view(link, shield, about) for link in shown]


def described(conn: Connection, access: Access, entity_ids: list[str]) -> dict[str, dict[str, Any]]:
    """What a person reads next to an id: the entity's caption, schema and the collections
    (among those the actor may see) that hold it. A victim the actor may not see gets
    nothing here: her side is shown by pseudonym alone."""
    shield = access.shield
    wanted = sorted({i for i in entity_ids if not shield.hides(i)})
    if not wanted:
        return {}
    visible = access.collection_ids
    names = {c.id: c.name for c in access.collections.values()}
    held: dict[str, set[str]] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            select(t_statement.c.entity_id, t_statement.c.collection_id)
            .where(t_statement.c.entity_id.in_(wanted[start : start + 500]))
            .where(t_statement.c.collection_id.in_(visible))
            .distinct()
        )
        for entity_id, collection_id in rows:
            held.setdefault(entity_id, set()).add(names.get(collection_id, str(collection_id)))
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        for entity in get_entities(conn, wanted[start : start + 500], visible):
            out[str(entity.id)] = {
                "caption": entity.caption,
                "schema": entity.schema.name,
                "collections": sorted(held.get(str(entity.id), ())),
            }
    return out


def _side(entity_id: str | None, data: Any, shield: VictimShield) -> tuple[str | None, Any]:
    if not shield.hides(entity_id):
        return entity_id, data
    return None, {"label": shield.label(entity_id, ""), "protected": shield.about(entity_id)}


def _pair_view(
    link: Finding, shield: VictimShield, about: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    left_id, left = _side(link.subject_id, link.data.get("left"), shield)
    right_id, right = _side(link.related_id, link.data.get("right"), shield)
    hidden = left_id is None or right_id is None
    comparisons = (
        [
            {k: (WITHHELD if k in ("left", "right") else v) for k, v in step.items()}
            for step in link.explanation
        ]
        if hidden
        else link.explanation
    )
    view: dict[str, Any] = shield.redact(
        {
            "left_id": left_id,
            "right_id": right_id,
            "match_probability": link.score,
            "match_weight": link.data.get("match_weight"),
            "left": left,
            "right": right,
            "left_entity": about.get(left_id or "", {}),
            "right_entity": about.get(right_id or "", {}),
            "comparisons": comparisons,
        }
    )
    return view


def last_threshold(conn: Connection, actor: Actor | None = None) -> float:
    """The cluster threshold of the agency's latest linkage run (the default when none ran)."""
    who = Producer.of(actor) if actor is not None else Producer(None, None)
    for run in list_runs(conn, kind=RUN_KIND):
        if (run.agency, run.country) != (who.agency, who.country):
            continue
        value = run.scope.get("threshold")
        if isinstance(value, int | float):
            return float(value)
    return LinkOptions().threshold


def _require_reviewer(actor: Actor, *, purpose: bool = True) -> None:
    decision = may_judge(actor)
    if not decision:
        raise AccessDenied(decision.reason)
    if purpose:
        require_purpose(actor)


def _require_visible(access: Access, *entity_ids: str) -> None:
    """Judged entities must exist and be visible to the actor (hidden and missing alike)."""
    seen = access.visible_entities(entity_ids)
    for entity_id in entity_ids:
        if entity_id.strip() not in seen:
            raise NotFound(f"no entity with id {entity_id.strip()!r}")


def decide_pair(
    store: Store, actor: Actor, left: str, right: str, judgement: str, reason: str | None
) -> Judgement:
    """Record the agency's judgement and rebuild its clusters at once (it wins over the model)."""
    _require_reviewer(actor, purpose=False)
    with store.begin() as conn:
        _require_visible(Access(conn, actor), left, right)
        item = decide(conn, actor, left, right, judgement, reason)
        _recluster_now(
            conn, actor, {"judgement": item.judgement, "pair": [item.left_id, item.right_id]}
        )
    return item


def retract_pair(store: Store, actor: Actor, left: str, right: str) -> int:
    """Withdraw the agency's judgement (soft-delete) and rebuild its clusters."""
    _require_reviewer(actor, purpose=False)
    with store.begin() as conn:
        _require_visible(Access(conn, actor), left, right)
        count = retract(conn, actor, left, right)
        _recluster_now(conn, actor, {"retracted": sorted((left, right))})
    return count


def _recluster_now(conn: Connection, actor: Actor, why: dict[str, Any]) -> None:
    who = Producer.of(actor)
    threshold = last_threshold(conn, actor)
    run_id = start_run(
        conn,
        RUN_KIND,
        user=actor.user,
        agency=who.agency,
        country=who.country,
        scope={"threshold": threshold, "mode": "recluster", **why},
    )
    count = recluster(conn, run_id, threshold, who=who)
    finish_run(conn, run_id, counts={"clusters": count})


def list_clusters(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Every cluster the actor may see, with its members (entity id, collection, source
    record), the links that hold it together and its lineage: ``change`` since the
    previous run, ``since_run`` (the run that gave its id) and, where any, the ids in
    ``merged_from``, ``split_from`` and ``split_into``.

    A cluster holding a victim the actor may not see is left out whole: its other
    members would say who she is.
    """
    _require_reviewer(actor)
    with store.connect() as conn:
        access = Access(conn, actor)
        found = access.findings(CLUSTER, order_by_score=False)
        shield = access.shield
        kept = [c for c in found if not any(shield.hides(m) for m in c.data.get("members", []))]
        withheld = {c.key for c in found} - {c.key for c in kept}
        about = described(conn, access, [m for c in kept for m in c.data.get("members", [])])
    append(
        store,
        actor,
        "link.clusters",
        component="linkage",
        target_type="cluster",
        result_count=len(kept),
        detail={"withheld": len(found) - len(kept)},
    )
    out: list[dict[str, Any]] = []
    for item in kept:
        members = [
            {
                "entity_id": r["entity_id"],
                "collection": r.get("collection"),
                "source_id": r.get("source_id"),
                "caption": about.get(r["entity_id"], {}).get("caption"),
                "schema": about.get(r["entity_id"], {}).get("schema"),
            }
            for r in item.data.get("records", [])
        ]
        out.append(
            shield.redact(
                {
                    "cluster_id": item.key,
                    "members": members,
                    "links": item.explanation,
                    **_lineage(item.data, withheld),
                }
            )
        )
    return sorted(out, key=lambda c: c["cluster_id"])


# How a cluster's id follows the agency's earlier runs (clusters.Identity.to_data).
LINEAGE = ("change", "since_run", "merged_from", "split_from", "split_into")


def _lineage(data: dict[str, Any], withheld: set[str]) -> dict[str, Any]:
    """What happened to the cluster since the previous run and the ids it merged or split
    from (clusters stored before ids were kept across runs have none of these). The id of
    a cluster withheld from the actor is left out: it is not theirs to follow."""
    out: dict[str, Any] = {}
    for name in LINEAGE:
        value = data.get(name)
        if isinstance(value, list):
            value = [i for i in value if i not in withheld]
        if value not in (None, []):
            out[name] = value
    return out

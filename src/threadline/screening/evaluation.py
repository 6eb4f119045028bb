"""Evaluation hooks: border screening findings against a simulated world's truth.

Both read only the stored findings of ``screening`` runs (what an officer
would see), never the screening internals.
"""

from __future__ import annotations

from typing import Any

from threadline.exc import NotMeasured
from threadline.store import Store
from threadline.store.findings import list_runs, query_findings


def _record_ids(store: Store, kind: str) -> tuple[list[dict[str, Any]], int]:
    with store.connect() as conn:
        runs = [r for r in list_runs(conn, kind="screening") if r.status == "completed"]
        if not runs:
            raise NotMeasured("no screening run on this store: run 'threadline screen manifest'")
        findings = query_findings(conn, kind, order_by_score=False)
    screened = sum(int(r.counts.get("travellers") or 0) for r in runs)
    return [{"record_id": f.data.get("record_id"), **f.data, "related_id": f.related_id,
             "decision": f.decision} for f in findings], screened  # fmt: skip


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def evaluate_border_victims(store: Store, truth: dict[str, Any]) -> dict[str, Any]:
    """Precision and recall of travel records flagged for a safeguarding referral."""
    found, screened = _record_ids(store, "victim_indicator")
    flagged = {str(f["record_id"]) for f in found if f.get("record_id")}
    victims = truth.get("victims") or []
    victim_records = {str(r) for v in victims for r in v.get("record_ids") or []}
    if not victim_records:
        raise NotMeasured("the truth names no victim travel records")
    true_positive = flagged & victim_records
    persons_found = sum(1 for v in victims if set(v.get("record_ids") or []) & flagged)
    persons_travelling = sum(1 for v in victims if v.get("record_ids"))
    by_indicator: dict[str, dict[str, int]] = {}
    for item in found:
        stats = by_indicator.setdefault(str(item.get("indicator")), {"flagged": 0, "victims": 0})
        stats["flagged"] += 1
        stats["victims"] += int(str(item.get("record_id")) in victim_records)
    return {
        "travellers_screened": screened,
        "flagged_records": len(flagged),
        "victim_records": len(victim_records),
        "precision": _ratio(len(true_positive), len(flagged)),
        "recall": _ratio(len(true_positive), len(victim_records)),
        "victims_recalled": _ratio(persons_found, persons_travelling),
        "by_indicator": by_indicator,
    }


def _notice_entity(colour: str, notice_id: str) -> str:
    return f"interpol-{colour}-{notice_id.replace('/', '-')}"


def evaluate_screening_hits(store: Store, truth: dict[str, Any]) -> dict[str, Any]:
    """Wanted (red notice) and missing (yellow notice) persons found among travellers."""
    found, _screened = _record_ids(store, "screening_hit")
    pairs = {(str(f["record_id"]), f["related_id"]) for f in found if f.get("check") == "person"}
    members = {m["person_id"]: m for n in truth.get("networks") or [] for m in n.get("members", [])}
    wanted = []  # (record ids, notice entity id) of red-notice subjects who travelled
    for item in truth.get("traffickers_with_red_notices") or []:
        records = members.get(item["person_id"], {}).get("record_ids") or []
        if records:
            wanted.append((records, _notice_entity("red", item["notice_id"])))
    missing = [
        (v["record_ids"], _notice_entity("yellow", v["yellow_notice"]))
        for v in truth.get("victims") or []
        if v.get("yellow_notice") and v.get("record_ids")
    ]
    true_pairs = {(r, entity) for records, entity in wanted + missing for r in records}
    hits_on_notices = {p for p in pairs if p[1].startswith("interpol-")}

    def recall(items: list[tuple[list[str], str]]) -> float | None:
        got = sum(1 for records, entity in items if any((r, entity) in pairs for r in records))
        return _ratio(got, len(items))

    twins = {str(r) for t in (truth.get("legitimate") or {}).get("name_twins") or []
             for r in t.get("record_ids") or []}  # fmt: skip
    return {
        "wanted_travelling": len(wanted),
        "wanted_recall": recall(wanted),
        "missing_travelling": len(missing),
        "missing_recall": recall(missing),
        "notice_hits": len(hits_on_notices),
        "notice_hit_precision": _ratio(len(hits_on_notices & true_pairs), len(hits_on_notices)),
        "name_twins_hit": len({r for r, _ in hits_on_notices if r in twins}),
    }

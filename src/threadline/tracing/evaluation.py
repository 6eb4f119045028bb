"""Scoring tracing against truth.json: share of missing victims found in the top 5 leads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from threadline.store import Store
from threadline.store.findings import list_runs, query_findings
from threadline.store.tables import statement as t_statement
from threadline.tracing.service import LEAD, RUN_KIND

TOP = 5


def evaluate_tracing(store: Store, truth: dict[str, Any]) -> dict[str, float]:
    """Share of missing victims (yellow notice, later found) whose identification is a top lead.

    Raises ``NotMeasured`` when the notice reader is missing, no tracing run has
    happened, or none of those victims' notices is in the store.
    """
    from threadline.exc import NotMeasured

    try:
        from threadline.ingest.readers.notices import notice_entity_id
    except ModuleNotFoundError as exc:  # only a missing reader; a broken one raises
        if exc.name != "threadline.ingest.readers.notices":
            raise
        raise NotMeasured("the INTERPOL notice reader is not installed") from None
    victims = [v for v in truth.get("victims", [])
               if v.get("yellow_notice") and v.get("identified_person")]  # fmt: skip
    if not victims:
        raise NotMeasured("the world has no missing victim who was later identified")
    reports = {v["person_id"]: notice_entity_id("yellow", v["yellow_notice"]) for v in victims}
    with store.connect() as conn:
        if not list_runs(conn, kind=RUN_KIND):
            raise NotMeasured("no tracing run on this store: run 'threadline trace run' first")
        stored = set(
            conn.execute(
                select(t_statement.c.entity_id)
                .where(t_statement.c.entity_id.in_(list(reports.values())))
                .distinct()
            ).scalars()
        )
        victims = [v for v in victims if reports[v["person_id"]] in stored]
        if not victims:
            raise NotMeasured("none of the missing victims' yellow notices is in the store")
        found = 0
        for victim in victims:
            leads = query_findings(conn, LEAD, subject_ids=[reports[victim["person_id"]]])
            top = sorted(leads, key=lambda f: -(f.score or 0.0))[:TOP]
            found += any(lead.related_id == victim["identified_person"] for lead in top)
    return {"top5_recall": found / len(victims), "victims": float(len(victims))}

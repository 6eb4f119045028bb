"""What the dashboard shows: the newest high-risk ads, screening hits and tracing leads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from threadline.governance import Actor, visible_collection_ids
from threadline.store import Store
from threadline.store.collections import list_collections
from threadline.store.findings import Finding, query_findings
from threadline.store.jobs import list_jobs

HIGH_RISK = 0.7


@dataclass
class DashboardSummary:
    high_risk_ads: list[Finding] = field(default_factory=list)
    screening_hits: list[Finding] = field(default_factory=list)
    tracing_leads: list[Finding] = field(default_factory=list)
    collections: int = 0
    recent_jobs: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def dashboard_summary(store: Store, actor: Actor, limit: int = 10) -> DashboardSummary:
    """Findings in collections the actor may see, highest score first."""
    with store.connect() as conn:
        visible = visible_collection_ids(conn, actor)
        names = {c.name for c in list_collections(conn) if c.id in visible}

        def top(kind: str, min_score: float | None = None) -> list[Finding]:
            return query_findings(
                conn, kind, collection_ids=visible, min_score=min_score, limit=limit
            )

        return DashboardSummary(
            high_risk_ads=top("ad_risk", HIGH_RISK),
            screening_hits=top("screening_hit"),
            tracing_leads=top("tracing_lead"),
            collections=len(visible),
            recent_jobs=[j for j in list_jobs(conn, limit=50) if j.collection in names][:limit],
        )

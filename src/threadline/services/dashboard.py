"""What the dashboard shows: notifications to the user's agency awaiting acknowledgement,
the newest high-risk ads, screening hits and tracing leads.

Hits and leads go through the victim shield like every other screening and
tracing view: a recorded victim is a protected person, never "wanted", and is
shown by pseudonym (without a link to the entity) unless the user may see the
identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from threadline.governance import Actor
from threadline.governance.access import Access
from threadline.governance.shield import VictimShield
from threadline.store import Store
from threadline.store.findings import Finding
from threadline.store.jobs import list_jobs
from threadline.victims import Notification, pending_summary

HIGH_RISK = 0.7


@dataclass(frozen=True)
class HitLine:
    """One screening hit as a sentence an officer can act on, with links."""

    traveller_id: str | None  # None for a recorded victim whose identity the user may not see
    traveller: str
    listed_id: str | None
    listed: str
    wording: str  # "wanted: red notice" / "possibly reported missing: ..." / "document listed"
    safeguarding: bool
    score: float | None
    flight: str | None


def _hit_wording(finding: Finding, shield: VictimShield) -> tuple[str, bool]:
    protected = shield.get(finding.related_id)
    if protected is not None:
        return f"may be a person {protected.guidance}", True
    notice = str(finding.data.get("notice") or "")
    if notice == "yellow":
        return "may be reported missing (yellow notice): consider a safeguarding interview", True
    if notice == "red":
        return "matches a red notice (wanted)", False
    if finding.data.get("check") == "document":
        return "travels on a document listed as stolen or lost", False
    return f"matches watchlist {finding.data.get('watchlist', '')}".strip(), False


def hit_lines(access: Access, findings: list[Finding]) -> list[HitLine]:
    """Screening hits with the names of both sides (only what the actor may see)."""
    from threadline.store.statements import get_entities

    ids = {i for f in findings for i in (f.subject_id, f.related_id) if i}
    shield = access.shielded(ids)
    captions = {
        str(e.id): shield.redactor.text(e.caption)
        for e in get_entities(access.conn, sorted(ids), access.collection_ids)
    }
    lines = []
    for f in findings:
        wording, safeguarding = _hit_wording(f, shield)
        subject, related = f.subject_id or "", f.related_id or ""
        lines.append(
            HitLine(
                shield.shown_id(subject),
                shield.label(subject, captions.get(subject, "a traveller")),
                shield.shown_id(related),
                shield.label(related, captions.get(related, shield.redactor.text(related))),
                wording,
                safeguarding,
                f.score,
                f.data.get("flight"),
            )
        )
    return lines


@dataclass
class DashboardSummary:
    high_risk_ads: list[Finding] = field(default_factory=list)
    screening_hits: list[HitLine] = field(default_factory=list)
    tracing_leads: list[dict[str, Any]] = field(default_factory=list)
    collections: int = 0
    recent_jobs: list[Any] = field(default_factory=list)
    notifications_pending: int = 0
    notifications: list[Notification] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def dashboard_summary(store: Store, actor: Actor, limit: int = 10) -> DashboardSummary:
    """Findings in collections the actor may see, highest score first."""
    with store.connect() as conn:
        pending, notes = pending_summary(conn, actor)
        access = Access(conn, actor)
        names = access.collection_names

        def top(kind: str, min_score: float | None = None) -> list[Finding]:
            return access.findings(kind, min_score=min_score, limit=limit)

        return DashboardSummary(
            high_risk_ads=top("ad_risk", HIGH_RISK),
            screening_hits=hit_lines(access, top("screening_hit")),
            tracing_leads=_leads(conn, actor, limit),
            collections=len(names),
            recent_jobs=[j for j in list_jobs(conn, limit=50) if j.collection in names][:limit],
            notifications_pending=pending,
            notifications=notes,
        )


def _leads(conn: Any, actor: Actor, limit: int) -> list[dict[str, Any]]:
    """The best tracing leads the actor may see, reports and sightings shielded."""
    from threadline.tracing.service import lead_shield, lead_view, visible_leads

    leads = sorted(visible_leads(conn, actor), key=lambda f: -(f.score or 0.0))[:limit]
    shield = lead_shield(conn, actor, leads)
    return [lead_view(f, shield) for f in leads]

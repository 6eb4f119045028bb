"""What the dashboard shows: notifications to the user's agency awaiting acknowledgement,
the newest high-risk ads, screening hits and tracing leads, and the counts behind its
charts (screening hits and safeguarding referrals per day, operation results per country).

Hits and leads go through the victim shield like every other screening and
tracing view: a recorded victim is a protected person, never "wanted", and is
shown by pseudonym (without a link to the entity) unless the user may see the
identity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from threadline.exc import InputError
from threadline.governance import Actor
from threadline.governance.access import Access
from threadline.governance.shield import VictimShield
from threadline.primitives.countries import country_name
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


ACTIVITY_DAYS = 30
SAFEGUARDING_NOTICES = frozenset({"yellow"})


@dataclass(frozen=True)
class DayActivity:
    """Screening on one day: hits stored and travellers flagged for a safeguarding referral."""

    day: date
    hits: int
    referrals: int


def _is_safeguarding(finding: Finding, shield: VictimShield) -> bool:
    """A hit that asks for care rather than action: on a recorded victim (a protected
    person) or on a yellow notice (reported missing), as ``_hit_wording`` words them."""
    return (
        shield.get(finding.related_id) is not None
        or str(finding.data.get("notice") or "") in SAFEGUARDING_NOTICES
    )


def screening_activity(
    store: Store, actor: Actor, days: int = ACTIVITY_DAYS, today: date | None = None
) -> list[DayActivity]:
    """Screening hits and safeguarding referrals per day over the last ``days`` days
    (today included, oldest first, every day present even when nothing happened).

    Counted on the day the finding was stored (when the manifest was screened), among
    the findings the actor may see. A *referral* is a traveller flagged for a
    safeguarding interview that day: one with a victim-risk indicator, or a hit on a
    recorded victim or a yellow notice; a traveller with several reasons counts once.
    Counts only: no person is named, so the chart shows nothing the tables hide.
    """
    if days < 1:
        raise InputError(f"days must be 1 or more, not {days}")
    end = today or datetime.now(UTC).date()
    first = end - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    hits: Counter[date] = Counter()
    referred: dict[date, set[str]] = defaultdict(set)
    with store.connect() as conn:
        access = Access(conn, actor)
        shield = access.shield
        for finding in access.findings("screening_hit", since=since, order_by_score=False):
            if finding.created_at is None:
                continue
            day = finding.created_at.date()
            hits[day] += 1
            if _is_safeguarding(finding, shield):
                referred[day].add(finding.subject_id or finding.key)
        for finding in access.findings("victim_indicator", since=since, order_by_score=False):
            if finding.created_at is not None:
                referred[finding.created_at.date()].add(finding.subject_id or finding.key)
    return [
        DayActivity(day, hits[day], len(referred[day]))
        for day in (first + timedelta(days=n) for n in range(days))
    ]


@dataclass(frozen=True)
class CountryOutcome:
    """One country's reported operation results, summed over every operation."""

    country: str
    name: str
    victims_identified: int
    victims_rescued: int
    arrests: int
    operations: int  # operations whose figures the country has submitted


ARREST_METRICS = ("arrests_trafficking", "arrests_smuggling", "arrests_other")


def outcomes_by_country(store: Store, actor: Actor) -> list[CountryOutcome]:
    """Victims identified and rescued, and arrests (trafficking, smuggling and other), per
    participating country: each country's newest figures in each operation, summed.

    Operation results are published counts that every signed-in user reads on the
    operations pages; the actor is taken so this stays a governed read like the rest.
    Countries that have submitted nothing are left out; most victims first.
    """
    from threadline.operations import list_operations
    from threadline.operations.records import current_outcomes

    del actor  # every signed-in user may read operation results (see the docstring)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    with store.connect() as conn:
        for operation in list_operations(conn):
            for country, revision in current_outcomes(conn, operation).items():
                figures, row = revision.figures, totals[country]
                row[0] += int(figures.get("victims_identified") or 0)
                row[1] += int(figures.get("victims_rescued") or 0)
                row[2] += sum(int(figures.get(k) or 0) for k in ARREST_METRICS)
                row[3] += 1
    rows = [
        CountryOutcome(code, country_name(code.lower()), *values) for code, values in totals.items()
    ]
    return sorted(rows, key=lambda r: (-max(r.victims_identified, r.victims_rescued), r.country))

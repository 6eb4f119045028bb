"""Raising alerts from analysis runs, listing an agency's alerts and triaging them.

Every alert belongs to one agency: the agency that owns the missing-person report a lead
is for, or the agency that screened the manifest a hit or referral is on. Only that
agency's users see and triage it (another agency's alert is "not found", as if it did
not exist). An alert is keyed by what it is about (the report and the sighting, the
traveller and the list entry, the traveller and the indicator), so running the same
analysis again, or screening the same manifest again, raises nothing new:

- an alert that exists with the same evidence is left as it is, whatever its state (a
  dismissed hit stays dismissed);
- when its evidence changed (a score, a decision, the features that decided it), a
  dismissed alert is re-opened by the system with the change as its reason, and any
  other alert keeps its state and records the change.

Triage moves: new → reviewed | confirmed | dismissed; reviewed → confirmed | dismissed;
confirmed | dismissed → re-opened; re-opened → reviewed | confirmed | dismissed.
Dismissing and re-opening need a reason. Every step is kept (``alert_event``) and
audited (ids, states and the reason's length only: the reason is staff's free text).
Lists apply the victim shield: a side tied to a victim the user may not see is shown by
pseudonym, without its id, caption or evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, func, insert, select, update

from threadline.alerts.tables import alert as t_alert
from threadline.alerts.tables import alert_event as t_event
from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, Role, require_purpose
from threadline.governance.audit import record
from threadline.governance.shield import WITHHELD, VictimShield, victim_shield

KIND_NAMES = {  # each kind as officers call it
    "trace_lead": "tracing lead",
    "screening_hit": "watchlist hit",
    "safeguarding": "safeguarding referral",
    "rule": "analyst rule",  # a traveller an agency's screening rule matched (referral or review)
}
KINDS = tuple(KIND_NAMES)
NEW, REVIEWED, CONFIRMED, DISMISSED, REOPENED = (
    "new",
    "reviewed",
    "confirmed",
    "dismissed",
    "reopened",
)
STATES = (NEW, REVIEWED, CONFIRMED, DISMISSED, REOPENED)
MOVES = {
    NEW: (REVIEWED, CONFIRMED, DISMISSED),
    REVIEWED: (CONFIRMED, DISMISSED),
    CONFIRMED: (REOPENED,),
    DISMISSED: (REOPENED,),
    REOPENED: (REVIEWED, CONFIRMED, DISMISSED),
}
NEEDS_REASON = frozenset({DISMISSED, REOPENED})
TRIAGE_ROLES = frozenset(
    {Role.ANALYST, Role.BORDER_OFFICER, Role.OPERATION_COORDINATOR, Role.VICTIM_LIAISON}
)
SYSTEM_USER = "system"
MAX_REASON = 2_000
CHUNK = 500


@dataclass(frozen=True)
class Candidate:
    """What an analysis found for an agency: raised as an alert unless already raised."""

    agency: str
    country: str
    kind: str
    key: str
    subject_id: str | None
    related_id: str | None
    score: float | None
    decision: str | None
    explanation: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)  # caption, message, run

    def evidence(self) -> str:
        """A digest of what decided it: decision, score and explanation (rounded, so a
        recomputation that agrees to three decimals is the same evidence)."""
        body = {
            "decision": self.decision,
            "score": None if self.score is None else round(self.score, 3),
            "explanation": _rounded(self.explanation),
        }
        return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True)
class Raised:
    """What raising a batch of candidates did."""

    new: int = 0
    reopened: int = 0
    changed: int = 0
    unchanged: int = 0

    def to_dict(self) -> dict[str, int]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class Alert:
    """One alert as stored (before the victim shield)."""

    id: int
    agency: str
    country: str
    kind: str
    key: str
    subject_id: str | None
    related_id: str | None
    score: float | None
    decision: str | None
    state: str
    explanation: list[dict[str, Any]]
    detail: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _row_alert(row: Any) -> Alert:
    return Alert(
        row.id, row.agency, row.country, row.kind, row.key, row.subject_id, row.related_id,
        row.score, row.decision, row.state, list(row.explanation or []), dict(row.detail or {}),
        row.created_at, row.updated_at,
    )  # fmt: skip


# ---------------------------------------------------------------- raising
def raise_alerts(conn: Connection, candidates: Iterable[Candidate]) -> Raised:
    """Raise each candidate for its agency unless it is already raised with the same
    evidence (see the module notes); returns what was done."""
    wanted: dict[tuple[str, str, str], Candidate] = {}
    for item in candidates:
        if item.kind not in KINDS:
            raise InputError(f"unknown alert kind {item.kind!r} (one of {', '.join(KINDS)})")
        wanted[(item.agency, item.kind, item.key)] = item
    existing = _existing(conn, list(wanted))
    now = datetime.now(UTC)
    counts = {"new": 0, "reopened": 0, "changed": 0, "unchanged": 0}
    fresh: list[dict[str, Any]] = []
    for ident, item in wanted.items():
        digest = item.evidence()
        row = existing.get(ident)
        if row is None:
            fresh.append({
                "agency": item.agency, "country": item.country, "kind": item.kind,
                "key": item.key, "subject_id": item.subject_id, "related_id": item.related_id,
                "score": item.score, "decision": item.decision, "evidence": digest,
                "explanation": item.explanation, "detail": item.detail, "state": NEW,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
            continue
        if row.evidence == digest:
            counts["unchanged"] += 1
            continue
        changed = _what_changed(row, item)
        state = REOPENED if row.state == DISMISSED else row.state
        conn.execute(
            update(t_alert)
            .where(t_alert.c.id == row.id)
            .values(
                score=item.score,
                decision=item.decision,
                evidence=digest,
                explanation=item.explanation,
                detail={**item.detail, "changed": changed},
                state=state,
                updated_at=now,
            )
        )
        if state != row.state:
            _event(conn, row.id, REOPENED, f"evidence changed: {changed}", SYSTEM_USER, now)
            counts["reopened"] += 1
        else:
            counts["changed"] += 1
    if fresh:
        # one statement for the new alerts and one for their first events, however many
        ids = conn.execute(
            insert(t_alert).returning(t_alert.c.id, sort_by_parameter_order=True), fresh
        ).scalars().all()  # fmt: skip
        conn.execute(
            insert(t_event),
            [{"alert_id": alert_id, "state": NEW, "reason": None, "changed_by": SYSTEM_USER,
              "changed_at": now} for alert_id in ids],
        )  # fmt: skip
        counts["new"] = len(ids)
    return Raised(**counts)


def _existing(
    conn: Connection, idents: list[tuple[str, str, str]]
) -> dict[tuple[str, str, str], Any]:
    found: dict[tuple[str, str, str], Any] = {}
    by_scope: dict[tuple[str, str], list[str]] = {}
    for agency, kind, key in idents:
        by_scope.setdefault((agency, kind), []).append(key)
    for (agency, kind), keys in by_scope.items():
        for start in range(0, len(keys), CHUNK):
            rows = conn.execute(
                select(t_alert).where(
                    t_alert.c.agency == agency,
                    t_alert.c.kind == kind,
                    t_alert.c.key.in_(keys[start : start + CHUNK]),
                )
            )
            for row in rows:
                found[(row.agency, row.kind, row.key)] = row
    return found


def _what_changed(row: Any, item: Candidate) -> str:
    """``score 0.82 → 0.93; decision possible → match``: what differs from the alert raised."""
    parts = []
    if row.decision != item.decision:
        parts.append(f"decision {row.decision or '-'} → {item.decision or '-'}")
    old = None if row.score is None else round(float(row.score), 2)
    new = None if item.score is None else round(float(item.score), 2)
    if old != new:
        parts.append(f"score {old if old is not None else '-'} → {new if new is not None else '-'}")
    before = {_feature(step) for step in row.explanation or []}
    after = {_feature(step) for step in item.explanation}
    if after - before:
        parts.append("new evidence: " + ", ".join(sorted(after - before)))
    if before - after:
        parts.append("evidence gone: " + ", ".join(sorted(before - after)))
    return "; ".join(parts) or "the evidence's details changed"


def _feature(step: dict[str, Any]) -> str:
    return str(step.get("feature") or step.get("comparison") or step.get("indicator") or "?")


def _event(
    conn: Connection, alert_id: int, state: str, reason: str | None, who: str, when: datetime
) -> None:
    conn.execute(
        insert(t_event).values(
            alert_id=alert_id, state=state, reason=reason, changed_by=who, changed_at=when
        )
    )


# ---------------------------------------------------------------- reading
def _require_alert_reader(actor: Actor) -> None:
    if actor.system:
        return
    if not any(actor.has(role) for role in TRIAGE_ROLES):
        raise AccessDenied(
            "alerts are read and triaged by analysts, border officers, operation coordinators "
            "and victim liaison officers of the agency they belong to"
        )
    require_purpose(actor)


def list_alerts(
    conn: Connection,
    actor: Actor,
    *,
    state: str | None = None,
    kind: str | None = None,
    limit: int = 100,
    offset: int = 0,
    component: str = "cli",
) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """The actor's agency's alerts, newest first: the page, the total and the count per
    state (for an inbox). Audited, shielded."""
    _require_alert_reader(actor)
    if state is not None and state not in STATES:
        raise InputError(f"unknown alert state {state!r} (one of {', '.join(STATES)})")
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown alert kind {kind!r} (one of {', '.join(KINDS)})")
    query = select(t_alert).where(t_alert.c.agency == actor.agency)
    if kind is not None:
        query = query.where(t_alert.c.kind == kind)
    per_state = {s: 0 for s in STATES}
    counted = select(t_alert.c.state, func.count()).where(t_alert.c.agency == actor.agency)
    if kind is not None:
        counted = counted.where(t_alert.c.kind == kind)
    for name, number in conn.execute(counted.group_by(t_alert.c.state)):
        per_state[name] = int(number)
    if state is not None:
        query = query.where(t_alert.c.state == state)
    total = per_state[state] if state is not None else sum(per_state.values())
    rows = conn.execute(
        query.order_by(t_alert.c.updated_at.desc(), t_alert.c.id.desc()).limit(limit).offset(offset)
    )
    alerts = [_row_alert(row) for row in rows]
    views, shield = _views(conn, actor, alerts)
    record(
        conn, actor, "alert.list", component=component, target_type="alert",
        result_count=len(views),
        detail={"state": state, "kind": kind, "pseudonymised": shield.hidden_count},
    )  # fmt: skip
    return views, total, per_state


def _views(
    conn: Connection, actor: Actor, alerts: Sequence[Alert]
) -> tuple[list[dict[str, Any]], VictimShield]:
    """The alerts as the actor may see them, and the shield that decided it."""
    shield = victim_shield(conn, actor, [i for a in alerts for i in (a.subject_id, a.related_id)])
    out = []
    for item in alerts:
        hidden = shield.hides(item.subject_id) or shield.hides(item.related_id)
        detail = dict(item.detail)
        if hidden:
            detail = {k: v for k, v in detail.items() if k in ("message", "run", "changed")}
        view: dict[str, Any] = {
            "id": item.id,
            "kind": item.kind,
            "subject_id": shield.shown_id(item.subject_id),
            "related_id": shield.shown_id(item.related_id),
            "score": item.score,
            "decision": item.decision,
            "state": item.state,
            "created_at": item.created_at,
            "updated_at": item.updated_at,
            "explanation": [] if hidden else item.explanation,
            "detail": detail,
        }
        if hidden:
            view["withheld"] = WITHHELD
        for side, entity_id in (("subject", item.subject_id), ("related", item.related_id)):
            about = shield.about(entity_id)
            if about is not None:
                view[f"{side}_protected"] = about
        out.append(shield.redact(view))
    return out, shield


def _load(conn: Connection, actor: Actor, alert_id: int) -> Alert:
    row = conn.execute(select(t_alert).where(t_alert.c.id == alert_id)).first()
    if row is None or (not actor.system and row.agency != actor.agency):
        raise NotFound(f"no alert {alert_id} for your agency (see 'threadline alerts list')")
    return _row_alert(row)


def alert_history(
    conn: Connection, actor: Actor, alert_id: int, *, component: str = "cli"
) -> dict[str, Any]:
    """One alert with every state it went through (who, when, why)."""
    _require_alert_reader(actor)
    item = _load(conn, actor, alert_id)
    (view,), shield = _views(conn, actor, [item])
    rows = conn.execute(
        select(t_event).where(t_event.c.alert_id == alert_id).order_by(t_event.c.id)
    )
    view["history"] = [
        {"state": r.state, "reason": r.reason, "changed_by": r.changed_by, "at": r.changed_at}
        for r in rows
    ]
    record(
        conn, actor, "alert.show", component=component, target_type="alert",
        target_id=str(alert_id), result_count=1, detail={"pseudonymised": shield.hidden_count},
    )  # fmt: skip
    shown: dict[str, Any] = shield.redact(view)  # the reasons staff typed, too
    return shown


# ---------------------------------------------------------------- triage
def triage_alert(
    conn: Connection,
    actor: Actor,
    alert_id: int,
    state: str,
    reason: str | None = None,
    *,
    component: str = "cli",
) -> dict[str, Any]:
    """Move an alert of the actor's agency to ``state`` (see the module's moves)."""
    _require_alert_reader(actor)
    item = _load(conn, actor, alert_id)
    target = state.strip().lower().replace("-", "")
    if target not in STATES:
        raise InputError(f"unknown alert state {state!r} (one of {', '.join(STATES)})")
    if target not in MOVES[item.state]:
        allowed = " or ".join(MOVES[item.state])
        raise InputError(f"alert {alert_id} is {item.state}: it can be moved to {allowed}")
    text = (reason or "").strip()
    if target in NEEDS_REASON and not text:
        raise InputError(f"{'dismissing' if target == DISMISSED else 're-opening'} alert "
                         f"{alert_id} needs a reason (--reason)")  # fmt: skip
    if len(text) > MAX_REASON:
        raise InputError(f"the reason is at most {MAX_REASON:,} characters")
    now = datetime.now(UTC)
    conn.execute(
        update(t_alert).where(t_alert.c.id == alert_id).values(state=target, updated_at=now)
    )
    _event(conn, alert_id, target, text or None, actor.user, now)
    record(
        conn, actor, "alert.triage", component=component, target_type="alert",
        target_id=str(alert_id), result_count=1,
        detail={"from": item.state, "to": target, "kind": item.kind, "reason_length": len(text)},
    )  # fmt: skip
    return alert_history(conn, actor, alert_id, component=component)


def erase_alerts_about(conn: Connection, agency: str, country: str, entity_id: str) -> int:
    """Delete the agency's alerts about this person (either side) and their triage steps,
    for the erasure of the person's data. Returns how many alerts went."""
    from sqlalchemy import delete, or_

    mine = (
        (t_alert.c.agency == agency)
        & (t_alert.c.country == country)
        & or_(t_alert.c.subject_id == entity_id, t_alert.c.related_id == entity_id)
    )
    ids = [row.id for row in conn.execute(select(t_alert.c.id).where(mine))]
    if not ids:
        return 0
    conn.execute(delete(t_event).where(t_event.c.alert_id.in_(ids)))
    conn.execute(delete(t_alert).where(t_alert.c.id.in_(ids)))
    return len(ids)

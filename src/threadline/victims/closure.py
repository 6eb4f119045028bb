"""Closing a victim record (care ended, or it was opened by mistake) and reopening it.

A record is never deleted: the person's history of care, and the protection its
linked entities have in every other view, outlive the care itself. Closing keeps
everything, refuses changes until the record is reopened (see
:func:`threadline.victims.records.require_open`) and, with reopening, leaves a step
in the record's status timeline (who, when, why). Who may close or reopen is who
may change the record (governance's ``may_change_victim_record``).

The reason is free text typed by staff and may name the person: it is kept on the
record and in its timeline, shown only to those who see the identity, and the audit
event carries its length, never its text.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, update

from threadline.exc import InputError
from threadline.governance import Actor
from threadline.victims.records import audit, load_row, require_care_role, view_of
from threadline.victims.tables import victim as t_victim
from threadline.victims.tables import victim_status_event as t_step
from threadline.victims.views import VictimView
from threadline.victims.vocabulary import CLOSED, OPEN

MAX_REASON = 2000  # a paragraph: why care ended, not the case notes


def close_victim(
    conn: Connection, actor: Actor, ref: str, *, reason: str, component: str = "cli"
) -> VictimView:
    """Close the record with a reason (care ended, or opened by mistake); returns the view."""
    return _step(conn, actor, ref, CLOSED, reason, component)


def reopen_victim(
    conn: Connection, actor: Actor, ref: str, *, reason: str, component: str = "cli"
) -> VictimView:
    """Reopen a closed record with a reason (care resumes, or it was closed by mistake)."""
    return _step(conn, actor, ref, OPEN, reason, component)


def _step(
    conn: Connection, actor: Actor, ref: str, status: str, reason: str, component: str
) -> VictimView:
    row = load_row(conn, ref)
    require_care_role(actor, row.owner_agency, row.owner_country)
    text = _reason(status, reason)
    if row.status == status:
        hint = "reopen" if status == OPEN else "close"
        raise InputError(
            f"{row.pseudonym} is {status} already; nothing to {hint} "
            "(see 'threadline victims show')"
        )
    now = datetime.now(UTC)
    closure = (
        {"closed_at": now, "closed_by": actor.user, "closed_reason": text}
        if status == CLOSED
        else {"closed_at": None, "closed_by": None, "closed_reason": None}
    )
    conn.execute(update(t_victim).where(t_victim.c.id == row.id).values(status=status, **closure))
    conn.execute(
        insert(t_step).values(
            victim_id=row.id, status=status, reason=text, changed_by=actor.user, changed_at=now
        )
    )
    action = "close" if status == CLOSED else "reopen"
    audit(conn, actor, action, row.pseudonym, component=component, reason_length=len(text))
    return view_of(conn, actor, ref)


def _reason(status: str, reason: str) -> str:
    """The reason as typed, trimmed: required, non-blank, at most ``MAX_REASON`` characters."""
    text = (reason or "").strip()
    if not text:
        verb = "closed" if status == CLOSED else "reopened"
        raise InputError(f"reason: say why the record is {verb} (a reason is required)")
    if len(text) > MAX_REASON:
        raise InputError(f"reason: {len(text)} characters, at most {MAX_REASON}")
    return text

"""The audit log: append-only, chained by HMAC under a key kept outside the database.

Each event records who (user, agency, country), through which channel (cli,
api, web, system), when (UTC), what (component, action, target), why (purpose,
reference), how many results and the outcome. ``auditchain`` writes the chain
and ``auditverify`` checks it; ``auditkey`` keeps the key and the anchor files.

Two ways to append:

- ``record(conn, ...)`` inside the caller's transaction, for a change and its
  event that must commit together (or not at all);
- ``append(store, ...)`` for an event on its own (reads, searches, checks): the
  events submitted by concurrent requests of a process are written in one
  transaction (group commit), and each caller returns only once its event is
  committed (and, as every commit, synced to disk).

Auditors read the events of their own agency; the auditors of the agencies the
``audit_all_agencies`` setting names (coordinating bodies) read every agency's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, select

from threadline.governance.actors import Actor, Role
from threadline.governance.auditchain import (
    GENESIS,
    AuditEvent,
    append_rows,
    from_row,
    group_commit,
    iter_events,
)
from threadline.governance.auditverify import Verification, verify
from threadline.governance.policy import AccessDenied
from threadline.governance.tables import audit_event as t_audit
from threadline.settings import get_settings
from threadline.store import Store

__all__ = [
    "GENESIS",
    "AuditEvent",
    "ReadScope",
    "Verification",
    "append",
    "iter_events",
    "read_events",
    "read_scope",
    "record",
    "verify",
]


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    component: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    result_count: int | None = None,
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one event to the chain (inside the caller's transaction); returns its MAC.

    The chain stays locked until the caller's transaction ends: record last.
    ``component`` defaults to the actor's channel.
    """
    row = _row(actor, action, component, target_type, target_id, result_count, outcome, detail)
    return append_rows(conn, [row])[0]


def append(
    store: Store,
    actor: Actor,
    action: str,
    *,
    component: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    result_count: int | None = None,
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one event in its own transaction; returns its MAC once it is committed.

    For an event that records a read: the events of concurrent callers share one
    transaction and one sync to disk. Raises StoreError, and the caller must not
    answer, when the event could not be written.
    """
    row = _row(actor, action, component, target_type, target_id, result_count, outcome, detail)
    return group_commit(store.engine).submit(row)


def _row(
    actor: Actor,
    action: str,
    component: str | None,
    target_type: str | None,
    target_id: str | None,
    result_count: int | None,
    outcome: str,
    detail: dict[str, Any] | None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "at": datetime.now(UTC),
        "user": actor.user,
        "agency": actor.agency,
        "country": actor.country,
        "component": component or actor.channel.value,
        "channel": actor.channel.value,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "purpose": actor.purpose.value if actor.purpose else None,
        "reference": actor.reference,
        "result_count": result_count,
        "outcome": outcome,
        "detail": _plain(detail or {}),
    }
    for key in ("target_id", "target_type", "action", "component"):
        if isinstance(row[key], str):
            row[key] = _printable(row[key])
    return row


def _plain(detail: dict[str, Any]) -> dict[str, Any]:
    """Details as plain JSON (dates and other values as text), MACed as they are stored."""
    text = orjson.dumps(detail, default=str, option=orjson.OPT_NON_STR_KEYS)
    plain: dict[str, Any] = orjson.loads(text.replace(b"\\u0000", b"\\ufffd"))
    return plain


def _printable(text: str) -> str:
    """NUL cannot be stored in PostgreSQL text; an audit entry must never fail for it."""
    return text.replace("\x00", "\ufffd")


@dataclass(frozen=True)
class ReadScope:
    """Whose events an actor may read, and why: one agency's, or (agency None) everyone's."""

    agency: tuple[str, str] | None
    reason: str


def read_scope(actor: Actor) -> ReadScope:
    """Auditors read their own agency's events; those of coordinating agencies read all.

    Raises AccessDenied for anyone but an auditor (or the platform itself).
    """
    if actor.system:
        return ReadScope(None, "platform process")
    if Role.AUDITOR not in actor.roles:
        raise AccessDenied("the audit log is for auditors")
    if actor.agency in get_settings().audit_all_agencies:
        return ReadScope(None, "auditor of a coordinating agency (audit_all_agencies)")
    return ReadScope((actor.agency, actor.country), "auditor of this agency")


def read_events(
    conn: Connection, scope: ReadScope, *, offset: int = 0, limit: int = 200
) -> list[AuditEvent]:
    """A page of the events in scope, oldest first."""
    query = select(t_audit).order_by(t_audit.c.id).offset(offset).limit(limit)
    if scope.agency is not None:
        name, country = scope.agency
        query = query.where(t_audit.c.agency == name, t_audit.c.country == country)
    return [from_row(row) for row in conn.execute(query)]

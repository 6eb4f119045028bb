"""Reading the audit log: the one function each interface calls for a page, an export, a check.

Auditors read their own agency's events (every agency's for the agencies named in the
``audit_all_agencies`` setting; the console operator, who holds the database, all). Every
read is itself audited. The victim shield applies as in every other view: an event that
names an entity tied to a victim the reader may not see (a liaison opening her record)
shows the record's pseudonym instead of the entity id, and the event says so
(``withheld``); the stored event and its MAC are untouched, and ``audit verify`` checks
those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from threadline.exc import InputError
from threadline.governance import Actor
from threadline.governance.audit import (
    AuditEvent,
    ReadScope,
    iter_events,
    read_events,
    read_scope,
    record,
    verify,
)
from threadline.governance.auditverify import Verification
from threadline.governance.shield import VictimShield, victim_shield
from threadline.store import Store


def _shown(event: AuditEvent, shield: VictimShield) -> dict[str, Any]:
    data = event.to_dict()
    shown: dict[str, Any] = shield.redact(data)
    if shown != data:
        shown["withheld"] = "an entity tied to a protected person is shown by pseudonym"
    return shown


def scope_for(actor: Actor, *, console: bool = False) -> ReadScope:
    """Whose events the actor reads (``console``: the operator at the server, all of them)."""
    return ReadScope(None, "console operator") if console else read_scope(actor)


def events_page(
    store: Store, actor: Actor, *, offset: int = 0, limit: int = 200
) -> tuple[ReadScope, list[dict[str, Any]]]:
    """A page of the events the actor may read, oldest first (the read is audited)."""
    scope = read_scope(actor)
    with store.begin() as conn:
        record(conn, actor, "audit.read", detail={"offset": offset, "scope": scope.reason})
    with store.connect() as conn:
        found = read_events(conn, scope, offset=max(offset, 0), limit=limit)
        shield = victim_shield(conn, actor)
    return scope, [_shown(e, shield) for e in found]


def export_events(
    store: Store, actor: Actor, *, since: int = 0, console: bool = False
) -> Iterator[dict[str, Any]]:
    """Every event after ``since`` the actor may read, for an export (audited first)."""
    scope = scope_for(actor, console=console)
    with store.begin() as conn:
        record(conn, actor, "audit.export", detail={"since": since, "scope": scope.reason})
    with store.connect() as conn:
        shield = victim_shield(conn, actor)
        for event in iter_events(conn, since_id=since, agency=scope.agency):
            yield _shown(event, shield)


_MAC_RE = re.compile(r"[0-9a-f]{64}")


def check_chain(
    store: Store, actor: Actor, head: str | None = None, *, console: bool = False
) -> Verification:
    """Verify the whole chain (auditors, and the operator at the console; audited with its
    outcome)."""
    scope_for(actor, console=console)  # refuses anyone else
    expected = head.strip().lower() if head is not None else None
    if expected is not None and _MAC_RE.fullmatch(expected) is None:
        # a mistyped head is the caller's error, not a sign that events were removed
        raise InputError(
            "--head must be a head MAC as an earlier check printed it (64 hexadecimal characters)"
        )
    with store.connect() as conn:
        result = verify(conn, expected_head=expected)
    with store.begin() as conn:
        record(
            conn,
            actor,
            "audit.verify",
            outcome="success" if result.ok else "failure",
            detail={"checked": result.checked, "first_broken_id": result.first_broken_id},
        )
    return result

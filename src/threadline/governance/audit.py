"""The audit log: append-only and hash-chained (CJIS-style events).

Each event records who (user, agency, country), when (UTC), what (component,
action, target), why (purpose, reference), how many results and the outcome.
Its hash covers those fields and the previous event's hash, so editing or
deleting any row breaks the chain from that row on; ``verify`` finds the first
broken link.

Two ways to append:

- ``record(conn, ...)`` inside the caller's transaction, for a change and its
  event that must commit together (or not at all);
- ``append(store, ...)`` for an event on its own (reads, searches, checks): the
  events submitted by concurrent requests of a process are written in one
  transaction (group commit), and each caller returns only once its event is
  committed (and, as every commit, synced to disk).

Either way the chain is locked before its head is read (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL), so concurrent processes never fork it.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from threadline.exc import StoreError
from threadline.governance.actors import Actor
from threadline.governance.tables import audit_event as t_audit
from threadline.store import Store
from threadline.store.collections import utc

GENESIS = "0" * 64
_LOCK_KEY = 7_413_551  # PostgreSQL advisory lock serialising appends to the chain


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    user: str
    agency: str
    country: str
    component: str
    action: str
    target_type: str | None
    target_id: str | None
    purpose: str | None
    reference: str | None
    result_count: int | None
    outcome: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["at"] = self.at.isoformat()
        return data


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode("ascii") + payload).hexdigest()


def _fields(row: Any) -> dict[str, Any]:
    """The hashed content of an event, in a canonical form both writer and verifier use."""
    return {
        "at": utc(row["at"]).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "user": row["user"],
        "agency": row["agency"],
        "country": row["country"],
        "component": row["component"],
        "action": row["action"],
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "purpose": row["purpose"],
        "reference": row["reference"],
        "result_count": row["result_count"],
        "outcome": row["outcome"],
        "detail": row["detail"],
    }


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    component: str = "cli",
    target_type: str | None = None,
    target_id: str | None = None,
    result_count: int | None = None,
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one event to the chain (inside the caller's transaction); returns its hash.

    The chain stays locked until the caller's transaction ends: record last.
    """
    row = _row(
        actor,
        action,
        component=component,
        target_type=target_type,
        target_id=target_id,
        result_count=result_count,
        outcome=outcome,
        detail=detail,
    )
    return _append_rows(conn, [row])[0]


def append(
    store: Store,
    actor: Actor,
    action: str,
    *,
    component: str = "cli",
    target_type: str | None = None,
    target_id: str | None = None,
    result_count: int | None = None,
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one event in its own transaction; returns its hash once it is committed.

    For an event that records a read: the events of concurrent callers share one
    transaction and one sync to disk. Raises StoreError, and the caller must not
    answer, when the event could not be written.
    """
    row = _row(
        actor,
        action,
        component=component,
        target_type=target_type,
        target_id=target_id,
        result_count=result_count,
        outcome=outcome,
        detail=detail,
    )
    return _group_commit(store.engine).submit(row)


def _row(
    actor: Actor,
    action: str,
    *,
    component: str,
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
        "component": component,
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


def _lock_chain(conn: Connection) -> None:
    """Hold the chain for this transaction, so that its head cannot move until it ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # The sqlite3 module opens a transaction only before its first write; until then every
        # read sees the latest commit of its moment, so another process could append between
        # reading the head and inserting. Take the write lock first. When the transaction has
        # already written, it holds that lock (and no other writer can commit) already.
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _append_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Chain and insert events in order (the chain is locked first); their hashes."""
    _lock_chain(conn)
    last = conn.execute(select(t_audit.c.hash).order_by(t_audit.c.id.desc()).limit(1)).first()
    prev_hash = last.hash if last else GENESIS
    chained = []
    for row in rows:
        digest = _digest(prev_hash, _fields(row))
        chained.append({**row, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    conn.execute(insert(t_audit), chained)
    return [item["hash"] for item in chained]


class _Ticket:
    __slots__ = ("digest", "error", "row")

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row
        self.digest: str | None = None
        self.error: str | None = None

    @property
    def done(self) -> bool:
        return self.digest is not None or self.error is not None

    def result(self) -> str:
        if self.error is not None:
            raise StoreError(f"the audit log could not be written: {self.error}")
        assert self.digest is not None
        return self.digest


class _GroupCommit:
    """Writes the events submitted in one process for one database, in batches.

    No thread of its own: the first submitter finding no write in progress writes
    every event waiting at that moment (its own included) in one transaction; events
    submitted meanwhile wait for the next batch, which one of their submitters writes.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._cond = threading.Condition()
        self._pending: list[_Ticket] = []
        self._writing = False

    def submit(self, row: dict[str, Any]) -> str:
        ticket = _Ticket(row)
        with self._cond:
            self._pending.append(ticket)
            while self._writing and not ticket.done:
                self._cond.wait()
            if ticket.done:
                return ticket.result()
            batch, self._pending = self._pending, []
            self._writing = True
        try:
            self._write(batch)
        finally:
            for waiting in batch:  # whatever happened, no submitter waits forever
                if not waiting.done:
                    waiting.error = "the write was interrupted"
            with self._cond:
                self._writing = False
                self._cond.notify_all()
        return ticket.result()

    def _write(self, batch: list[_Ticket]) -> None:
        try:
            self._commit(batch)
        except SQLAlchemyError as exc:
            if len(batch) == 1:
                batch[0].error = _reason(exc)
                return
            for ticket in batch:  # one event the database refuses must not fail the others
                try:
                    self._commit([ticket])
                except SQLAlchemyError as single:
                    ticket.error = _reason(single)

    def _commit(self, batch: list[_Ticket]) -> None:
        with self._engine.begin() as conn:
            digests = _append_rows(conn, [t.row for t in batch])
        for ticket, digest in zip(batch, digests, strict=True):
            ticket.digest = digest


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig).strip().splitlines()[0] if orig else str(exc)


_WRITERS: weakref.WeakKeyDictionary[Engine, _GroupCommit] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def _group_commit(engine: Engine) -> _GroupCommit:
    with _WRITERS_LOCK:
        writer = _WRITERS.get(engine)
        if writer is None:
            writer = _WRITERS[engine] = _GroupCommit(engine)
        return writer


def _plain(detail: dict[str, Any]) -> dict[str, Any]:
    """Details as plain JSON (dates and other values as text), hashed as they are stored."""
    text = orjson.dumps(detail, default=str, option=orjson.OPT_NON_STR_KEYS)
    plain: dict[str, Any] = orjson.loads(text.replace(b"\\u0000", b"\\ufffd"))
    return plain


def _printable(text: str) -> str:
    """NUL cannot be stored in PostgreSQL text; an audit entry must never fail for it."""
    return text.replace("\x00", "\ufffd")


def _from_row(row: Any) -> AuditEvent:
    data = dict(row._mapping)
    data["at"] = utc(data["at"])
    data["detail"] = dict(data["detail"] or {})
    return AuditEvent(**data)


def iter_events(conn: Connection, *, since_id: int = 0) -> Iterator[AuditEvent]:
    query = select(t_audit).where(t_audit.c.id > since_id).order_by(t_audit.c.id)
    for row in conn.execute(query.execution_options(stream_results=True, yield_per=5000)):
        yield _from_row(row)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str | None = None
    head: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def verify(conn: Connection, expected_head: str | None = None) -> Verification:
    """Walk the chain; report the first event whose content or link does not hold.

    Removing the newest events leaves a shorter chain that is still consistent:
    an auditor who recorded the head hash at the last export passes it as
    ``expected_head`` and the removal is detected.
    """
    prev_hash = GENESIS
    checked = 0
    previous_id = 0
    for event in iter_events(conn):
        if event.prev_hash != prev_hash:
            if event.id != previous_id + 1:
                reason = f"events {previous_id + 1}-{event.id - 1} before it were deleted"
            else:
                reason = "its link does not match the event before it (altered or replaced)"
            return Verification(False, checked, event.id, reason)
        fields = _fields(event.to_dict() | {"at": event.at})
        if _digest(prev_hash, fields) != event.hash:
            return Verification(False, checked, event.id, "its content was altered")
        prev_hash = event.hash
        previous_id = event.id
        checked += 1
    if (
        expected_head is not None
        and prev_hash != expected_head
        and not _has_hash(conn, expected_head)
    ):
        return Verification(
            False, checked, None, "the head an auditor recorded is gone: events were removed"
        )
    return Verification(True, checked, head=prev_hash)


def _has_hash(conn: Connection, digest: str) -> bool:
    return conn.execute(select(t_audit.c.id).where(t_audit.c.hash == digest)).first() is not None

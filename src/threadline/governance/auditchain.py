"""The audit chain itself: its rows, their MACs, and appending to it.

Every event's MAC is HMAC-SHA256, under the key kept outside the database, of
the previous event's MAC and the event's canonical content, its id included:
editing, inserting, reordering or deleting events breaks the chain, and nobody
without the key can compute a chain that holds again. Ids are given out under
the chain lock, one after another, so a missing id is a deleted event.

After each committed append the anchor file records the newest event (id and
MAC), which finds the removal of the newest events too; a background thread of
each process writes it, so no request waits for that file. Appends lock the chain
before reading its head (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on
PostgreSQL), so concurrent processes never fork it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from threadline.exc import StoreError, ThreadlineError
from threadline.governance.auditkey import Anchor, anchor_later, chain_files, load_key
from threadline.governance.tables import audit_event as t_audit
from threadline.store.collections import utc
from threadline.store.db import after_commit, run_after_commit

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
    channel: str
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


def canonical(row: Any) -> bytes:
    """The MACed content of an event (its id included), as writer and verifier both see it."""
    fields = {
        "id": int(row["id"]),
        "at": utc(row["at"]).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "user": row["user"],
        "agency": row["agency"],
        "country": row["country"],
        "component": row["component"],
        "channel": row["channel"],
        "action": row["action"],
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "purpose": row["purpose"],
        "reference": row["reference"],
        "result_count": row["result_count"],
        "outcome": row["outcome"],
        "detail": row["detail"],
    }
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def mac(key: bytes, prev_mac: str, row: Any) -> str:
    """HMAC-SHA256 of the previous MAC and this event's canonical content."""
    return hmac.new(key, prev_mac.encode("ascii") + canonical(row), hashlib.sha256).hexdigest()


def from_row(row: Any) -> AuditEvent:
    data = dict(row._mapping)
    data["at"] = utc(data["at"])
    data["detail"] = dict(data["detail"] or {})
    return AuditEvent(**data)


def iter_events(
    conn: Connection, *, since_id: int = 0, agency: tuple[str, str] | None = None
) -> Iterator[AuditEvent]:
    """Events in chain order (only one agency's, when ``agency`` names it)."""
    query = select(t_audit).where(t_audit.c.id > since_id).order_by(t_audit.c.id)
    if agency is not None:
        query = query.where(t_audit.c.agency == agency[0], t_audit.c.country == agency[1])
    for row in conn.execute(query.execution_options(stream_results=True, yield_per=5000)):
        yield from_row(row)


def lock_chain(conn: Connection) -> None:
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


def append_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Chain and insert events in order (the chain is locked first); their MACs.

    The anchor moves to the last of them once the caller's transaction commits.
    """
    lock_chain(conn)
    last = conn.execute(
        select(t_audit.c.id, t_audit.c.hash).order_by(t_audit.c.id.desc()).limit(1)
    ).first()
    files = chain_files(conn.engine)
    key = load_key(files.key, create=last is None)
    prev_mac, next_id = (last.hash, last.id + 1) if last else (GENESIS, 1)
    chained = []
    for row in rows:
        item = {**row, "id": next_id, "prev_hash": prev_mac}
        item["hash"] = prev_mac = mac(key, prev_mac, item)
        chained.append(item)
        next_id += 1
    conn.execute(insert(t_audit), chained)
    newest = Anchor(chained[-1]["id"], chained[-1]["hash"])
    after_commit(conn, lambda: anchor_later(files.anchor, newest), key=files.anchor)
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


class GroupCommit:
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
        except (SQLAlchemyError, ThreadlineError) as exc:
            if len(batch) == 1 or isinstance(exc, ThreadlineError):  # no key, anchor unwritable
                for ticket in batch:
                    ticket.error = ticket.error or _reason(exc)
                return
            for ticket in batch:  # one event the database refuses must not fail the others
                try:
                    self._commit([ticket])
                except (SQLAlchemyError, ThreadlineError) as single:
                    ticket.error = _reason(single)

    def _commit(self, batch: list[_Ticket]) -> None:
        with run_after_commit(self._engine) as conn:
            digests = append_rows(conn, [t.row for t in batch])
        for ticket, digest in zip(batch, digests, strict=True):
            ticket.digest = digest


def _reason(exc: SQLAlchemyError | ThreadlineError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig).strip().splitlines()[0] if orig else str(exc)


_WRITERS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def group_commit(engine: Engine) -> GroupCommit:
    with _WRITERS_LOCK:
        writer = _WRITERS.get(engine)
        if writer is None:
            writer = _WRITERS[engine] = GroupCommit(engine)
        return writer

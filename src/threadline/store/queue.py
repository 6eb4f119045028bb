"""The task queue: work waiting for a worker, kept in the database itself.

A task is one unit of background work for one agency (screen this manifest, trace new
sightings, link new records). It is enqueued by whatever saw the data arrive and claimed
by one worker at a time:

- on PostgreSQL a worker claims the oldest due task with ``FOR UPDATE SKIP LOCKED``, so
  several workers on several machines share one queue without taking the same task;
- on SQLite the claim is one ``UPDATE`` statement, which SQLite runs under its single
  write lock, so an in-process worker and the API share the file safely.

A claimed task is ``running`` and its worker writes a heartbeat while it works. A worker
that dies (killed, machine lost) stops the heartbeat; once the lease has passed, or at
once when the dead worker was on this machine, the task is put back in the queue and
another worker runs it again. Handlers finish their task in the same transaction as their
work (``complete``), so a task is either done with all its effects, or not done with none
of them: killing a worker never loses or duplicates work.

The content of a task (the bytes of an uploaded manifest) is personal data: it is kept
only until the task is done or has failed for good.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from threadline.exc import NotFound
from threadline.store.collections import utc
from threadline.store.tables import metadata

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)

task = Table(
    "task",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),  # screen_manifest, trace, link, ads, rescreen
    Column("agency", String(100), nullable=False),  # whose work it is: whose alerts it raises
    Column("country", String(2), nullable=False),
    Column("key", String(255), nullable=True),  # what the task is about (coalescing)
    Column("state", String(16), nullable=False),
    Column("payload", JSON, nullable=False),  # who asked, and the task's arguments
    Column("content", LargeBinary, nullable=True),  # an uploaded file, until done
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("worker", String(255), nullable=True),  # host:pid of the worker running it
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("run_after", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Index("ix_task_state_due", "state", "run_after", "id"),
    Index("ix_task_agency_state", "agency", "state"),
)

_COLUMNS = tuple(c for c in task.c if c.name != "content")


@dataclass(frozen=True)
class Task:
    """A unit of background work and where it stands."""

    id: int
    kind: str
    agency: str
    country: str
    key: str | None
    state: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    worker: str | None
    created_at: datetime
    run_after: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None
    error: str | None
    content: bytes | None = None

    @classmethod
    def from_row(cls, row: Any) -> Task:
        data = dict(row._mapping)
        for name in ("created_at", "run_after", "started_at", "heartbeat_at", "finished_at"):
            data[name] = utc(data[name]) if data[name] is not None else None
        data.setdefault("content", None)
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """The task as the interfaces show it (never its content)."""

        def stamp(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "agency": self.agency,
            "country": self.country,
            "key": self.key,
            "requested_by": self.payload.get("actor", {}).get("user"),
            "arguments": self.payload.get("arguments", {}),
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "worker": self.worker,
            "created_at": stamp(self.created_at),
            "started_at": stamp(self.started_at),
            "finished_at": stamp(self.finished_at),
            "result": self.result,
            "error": self.error,
        }


def worker_name() -> str:
    """This process as a worker: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    conn: Connection,
    kind: str,
    *,
    agency: str,
    country: str,
    payload: dict[str, Any],
    content: bytes | None = None,
    key: str | None = None,
    coalesce: bool = False,
    max_attempts: int = 3,
) -> Task:
    """Add a task. With ``coalesce``, a task of the same kind, agency and key still waiting
    in the queue is returned instead (it will see the new data too)."""
    if coalesce and key is not None:
        waiting = conn.execute(
            select(*_COLUMNS)
            .where(
                task.c.kind == kind,
                task.c.agency == agency,
                task.c.key == key,
                task.c.state == QUEUED,
            )
            .order_by(task.c.id)
            .limit(1)
        ).first()
        if waiting is not None:
            return Task.from_row(waiting)
    now = datetime.now(UTC)
    new_id = conn.execute(
        insert(task)
        .values(
            kind=kind,
            agency=agency,
            country=country,
            key=key,
            state=QUEUED,
            payload=payload,
            content=content,
            attempts=0,
            max_attempts=max_attempts,
            created_at=now,
            run_after=now,
        )
        .returning(task.c.id)
    ).scalar_one()
    return get_task(conn, new_id)


def claim(conn: Connection, worker: str, kinds: Sequence[str] | None = None) -> Task | None:
    """Take the oldest due task for this worker (None when nothing waits)."""
    now = datetime.now(UTC)
    due = select(task.c.id).where(task.c.state == QUEUED, task.c.run_after <= now)
    if kinds:
        due = due.where(task.c.kind.in_(list(kinds)))
    due = due.order_by(task.c.id).limit(1).with_for_update(skip_locked=True)
    row = conn.execute(
        update(task)
        .where(task.c.id == due.scalar_subquery(), task.c.state == QUEUED)
        .values(
            state=RUNNING,
            worker=worker,
            attempts=task.c.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            error=None,
        )
        .returning(*task.c)
    ).first()
    return Task.from_row(row) if row is not None else None


def heartbeat(conn: Connection, task_id: int, worker: str) -> bool:
    """Say the worker is still on the task; False when the task is no longer its own."""
    done = conn.execute(
        update(task)
        .where(task.c.id == task_id, task.c.worker == worker, task.c.state == RUNNING)
        .values(heartbeat_at=datetime.now(UTC))
    )
    return done.rowcount == 1


def complete(conn: Connection, task_id: int, worker: str, result: dict[str, Any]) -> bool:
    """Mark the task done with its result and drop its content. Called inside the handler's
    own transaction, so the work and its completion commit together. False when the task
    is no longer this worker's (it was recovered from it): the caller must roll back."""
    done = conn.execute(
        update(task)
        .where(task.c.id == task_id, task.c.worker == worker, task.c.state == RUNNING)
        .values(state=DONE, result=result, content=None, finished_at=datetime.now(UTC))
    )
    return done.rowcount == 1


def note_progress(conn: Connection, task_id: int, worker: str, data: dict[str, Any]) -> bool:
    """Keep how far a running task got (in its ``result``), inside the transaction of the
    work it describes, so a retry after a kill starts where this attempt stopped."""
    done = conn.execute(
        update(task)
        .where(task.c.id == task_id, task.c.worker == worker, task.c.state == RUNNING)
        .values(result=data)
    )
    return done.rowcount == 1


def fail(
    conn: Connection, task_id: int, worker: str, error: str, *, retry: bool, backoff: float
) -> str:
    """Record a failed attempt: back in the queue after ``backoff`` seconds while attempts
    remain and the error may pass (``retry``), else failed for good (content dropped)."""
    row = conn.execute(
        select(task.c.attempts, task.c.max_attempts).where(
            task.c.id == task_id, task.c.worker == worker, task.c.state == RUNNING
        )
    ).first()
    if row is None:
        return "lost"
    now = datetime.now(UTC)
    if retry and row.attempts < row.max_attempts:
        conn.execute(
            update(task)
            .where(task.c.id == task_id)
            .values(
                state=QUEUED,
                worker=None,
                error=error,
                run_after=now + timedelta(seconds=backoff),
            )
        )
        return QUEUED
    conn.execute(
        update(task)
        .where(task.c.id == task_id)
        .values(state=FAILED, error=error, content=None, finished_at=now)
    )
    return FAILED


def recover(conn: Connection, *, lease_seconds: float, is_dead: Callable[[str], bool]) -> list[int]:
    """Put back in the queue every running task whose worker is gone: its heartbeat is
    older than the lease, or ``is_dead(worker)`` says so (a process of this machine that no
    longer exists). A task out of attempts fails for good instead."""
    now = datetime.now(UTC)
    stale = now - timedelta(seconds=lease_seconds)
    rows = conn.execute(
        select(
            task.c.id, task.c.worker, task.c.heartbeat_at, task.c.attempts, task.c.max_attempts
        ).where(task.c.state == RUNNING)
    ).all()
    back: list[int] = []
    for row in rows:
        beat = utc(row.heartbeat_at) if row.heartbeat_at is not None else None
        if not ((beat is not None and beat < stale) or is_dead(row.worker or "")):
            continue
        reason = f"worker {row.worker} stopped during attempt {row.attempts}"
        if row.attempts < row.max_attempts:
            values: dict[str, Any] = {"state": QUEUED, "worker": None, "error": reason}
        else:
            values = {"state": FAILED, "error": reason, "content": None, "finished_at": now}
        changed = conn.execute(
            update(task)
            .where(task.c.id == row.id, task.c.state == RUNNING, task.c.worker == row.worker)
            .values(**values)
        )
        if changed.rowcount == 1:
            back.append(row.id)
    return back


def get_task(conn: Connection, task_id: int) -> Task:
    row = conn.execute(select(*_COLUMNS).where(task.c.id == task_id)).first()
    if row is None:
        raise NotFound(f"no task {task_id}")
    return Task.from_row(row)


def list_tasks(
    conn: Connection,
    *,
    agency: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[Task]:
    """Tasks, newest first."""
    query = select(*_COLUMNS).order_by(task.c.id.desc()).limit(limit)
    if agency is not None:
        query = query.where(task.c.agency == agency)
    if state is not None:
        query = query.where(task.c.state == state)
    if kind is not None:
        query = query.where(task.c.kind == kind)
    return [Task.from_row(row) for row in conn.execute(query)]


def state_counts(conn: Connection, *, agency: str | None = None) -> dict[str, int]:
    """How many tasks in each state."""
    query = select(task.c.state, func.count()).group_by(task.c.state)
    if agency is not None:
        query = query.where(task.c.agency == agency)
    found = {state: int(n) for state, n in conn.execute(query)}
    return {state: found.get(state, 0) for state in STATES}


def purge(conn: Connection, *, older_than_days: int) -> int:
    """Remove finished tasks older than this many days (their results are in their runs)."""
    cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
    done = conn.execute(
        delete(task).where(task.c.state.in_([DONE, FAILED]), task.c.finished_at < cutoff)
    )
    return int(done.rowcount or 0)


def waiting_content(conn: Connection, agency: str, country: str, kind: str) -> list[Task]:
    """The agency's tasks of this kind still waiting in the queue, with their content."""
    rows = conn.execute(
        select(task).where(
            task.c.agency == agency,
            task.c.country == country,
            task.c.kind == kind,
            task.c.state == QUEUED,
            task.c.content.is_not(None),
        )
    )
    return [Task.from_row(row) for row in rows]


def withdraw(conn: Connection, task_id: int, reason: str) -> bool:
    """Take a waiting task out of the queue for good (failed, its content dropped), with
    the reason; False when it is no longer waiting."""
    done = conn.execute(
        update(task)
        .where(task.c.id == task_id, task.c.state == QUEUED)
        .values(state=FAILED, error=reason, content=None, finished_at=datetime.now(UTC))
    )
    return done.rowcount == 1

"""Ingestion jobs, their row-level rejection reports and the warnings on stored records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, update

from threadline.exc import NotFound
from threadline.store.collections import utc
from threadline.store.tables import collection as t_collection
from threadline.store.tables import job as t_job
from threadline.store.tables import job_warning as t_warning
from threadline.store.tables import rejection as t_rejection

EXCERPT_LIMIT = 500


@dataclass(frozen=True)
class Rejection:
    """One record that could not be stored, or one value left out of a stored record:
    where it is in the source, and why."""

    position: int
    reason: str
    source_id: str | None = None
    excerpt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "source_id": self.source_id,
            "reason": self.reason,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class JobWarning:
    """A value of a stored record that could not be used as sent: where, and why."""

    position: int
    reason: str
    source_id: str | None = None
    excerpt: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "source_id": self.source_id,
            "reason": self.reason,
            "excerpt": self.excerpt,
        }


@dataclass
class Job:
    """An ingestion run with its counts."""

    id: int
    collection: str
    kind: str
    format: str
    source: str
    source_sha256: str
    status: str
    position: int
    read: int
    stored: int
    rejected: int
    entities: int
    statements: int
    created_by: str
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    error: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    warnings: int = 0
    values_rejected: int = 0  # values left out of stored records, each with a rejection line

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "collection": self.collection,
            "kind": self.kind,
            "format": self.format,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "status": self.status,
            "position": self.position,
            "read": self.read,
            "stored": self.stored,
            "rejected": self.rejected,
            "values_rejected": self.values_rejected,
            "entities": self.entities,
            "statements": self.statements,
            "warnings": self.warnings,
            "created_by": self.created_by,
            "started_at": self.started_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "error": self.error,
        }


_COLUMNS = [*t_job.c, t_collection.c.name.label("collection_name")]


def _select() -> Any:
    return select(*_COLUMNS).join(t_collection, t_collection.c.id == t_job.c.collection_id)


def _from_row(row: Any) -> Job:
    return Job(
        id=row.id,
        collection=row.collection_name,
        kind=row.kind,
        format=row.format,
        source=row.source,
        source_sha256=row.source_sha256,
        status=row.status,
        position=row.position,
        read=row.read,
        stored=row.stored,
        rejected=row.rejected,
        entities=row.entities,
        statements=row.statements,
        created_by=row.created_by,
        started_at=utc(row.started_at),
        updated_at=utc(row.updated_at),
        finished_at=utc(row.finished_at) if row.finished_at else None,
        error=row.error,
        options=dict(row.options or {}),
        warnings=row.warnings,
        values_rejected=row.values_rejected,
    )


def create_job(
    conn: Connection,
    *,
    collection_id: int,
    kind: str,
    format: str,
    source: str,
    source_sha256: str,
    created_by: str,
    options: dict[str, Any] | None = None,
) -> Job:
    now = datetime.now(UTC)
    result = conn.execute(
        insert(t_job).values(
            collection_id=collection_id,
            kind=kind,
            format=format,
            source=source,
            source_sha256=source_sha256,
            options=options or {},
            status="running",
            position=0,
            read=0,
            stored=0,
            rejected=0,
            values_rejected=0,
            entities=0,
            statements=0,
            warnings=0,
            created_by=created_by,
            started_at=now,
            updated_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return get_job(conn, int(key[0]))


MAX_ID = 2**31 - 1


def get_job(conn: Connection, ident: int) -> Job:
    if not 0 < ident <= MAX_ID:
        raise NotFound(f"no job with id {ident} (see 'threadline jobs list')")
    row = conn.execute(_select().where(t_job.c.id == ident)).first()
    if row is None:
        raise NotFound(f"no job with id {ident} (see 'threadline jobs list')")
    return _from_row(row)


def list_jobs(conn: Connection, *, collection_id: int | None = None, limit: int = 50) -> list[Job]:
    query = _select().order_by(t_job.c.id.desc()).limit(limit)
    if collection_id is not None:
        query = query.where(t_job.c.collection_id == collection_id)
    return [_from_row(row) for row in conn.execute(query)]


def find_unfinished_job(conn: Connection, collection_id: int, source_sha256: str) -> Job | None:
    """The newest job on the same file that did not complete (crashed, killed, failed)."""
    query = (
        _select()
        .where(t_job.c.collection_id == collection_id)
        .where(t_job.c.source_sha256 == source_sha256)
        .where(t_job.c.kind == "ingest")
        .order_by(t_job.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None or row.status == "completed":
        return None
    return _from_row(row)


def record_progress(
    conn: Connection,
    job: Job,
    *,
    position: int,
    read: int,
    stored: int,
    rejected: int,
    entities: int,
    statements: int,
    warnings: int = 0,
    values_rejected: int = 0,
) -> None:
    """Add one committed batch's counts to the job (same transaction as the batch)."""
    now = datetime.now(UTC)
    conn.execute(
        update(t_job)
        .where(t_job.c.id == job.id)
        .values(
            position=position,
            read=t_job.c.read + read,
            stored=t_job.c.stored + stored,
            rejected=t_job.c.rejected + rejected,
            values_rejected=t_job.c.values_rejected + values_rejected,
            entities=t_job.c.entities + entities,
            statements=t_job.c.statements + statements,
            warnings=t_job.c.warnings + warnings,
            updated_at=now,
        )
    )


def finish_job(conn: Connection, job_id: int, status: str, error: str | None = None) -> None:
    now = datetime.now(UTC)
    conn.execute(
        update(t_job)
        .where(t_job.c.id == job_id)
        .values(status=status, error=error, updated_at=now, finished_at=now)
    )


def reopen_job(conn: Connection, job_id: int) -> None:
    conn.execute(
        update(t_job)
        .where(t_job.c.id == job_id)
        .values(status="running", error=None, finished_at=None, updated_at=datetime.now(UTC))
    )


def _note_rows(job_id: int, items: list[Rejection] | list[JobWarning]) -> list[dict[str, Any]]:
    return [
        {
            "job_id": job_id,
            "position": item.position,
            "source_id": item.source_id,
            "reason": item.reason,
            "excerpt": (item.excerpt or "")[:EXCERPT_LIMIT] or None,
        }
        for item in items
    ]


def _note_page(
    conn: Connection, table: Table, job_id: int, limit: int | None, offset: int
) -> list[Any]:
    """A page of a job's rejection or warning lines in source order."""
    query = (
        select(table)
        .where(table.c.job_id == job_id)
        .order_by(table.c.position, table.c.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def add_rejections(conn: Connection, job_id: int, items: list[Rejection]) -> None:
    if items:
        conn.execute(insert(t_rejection), _note_rows(job_id, items))


def list_rejections(
    conn: Connection, job_id: int, *, limit: int | None = None, offset: int = 0
) -> list[Rejection]:
    return [
        Rejection(
            position=row.position, reason=row.reason, source_id=row.source_id, excerpt=row.excerpt
        )
        for row in _note_page(conn, t_rejection, job_id, limit, offset)
    ]


def count_rejections(conn: Connection, job_id: int) -> int:
    query = select(func.count()).select_from(t_rejection).where(t_rejection.c.job_id == job_id)
    return int(conn.execute(query).scalar_one())


def add_warnings(conn: Connection, job_id: int, items: list[JobWarning]) -> None:
    if items:
        conn.execute(insert(t_warning), _note_rows(job_id, items))


def list_warnings(
    conn: Connection, job_id: int, *, limit: int | None = None, offset: int = 0
) -> list[JobWarning]:
    return [
        JobWarning(
            position=row.position, reason=row.reason, source_id=row.source_id, excerpt=row.excerpt
        )
        for row in _note_page(conn, t_warning, job_id, limit, offset)
    ]

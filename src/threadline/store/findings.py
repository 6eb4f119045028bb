"""Analysis runs and their findings (scores with explanations as data).

An analysis that runs again over the same scope replaces its earlier findings of
the same kinds in one transaction; analysts' judgements live elsewhere and
survive re-runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from threadline.exc import NotFound
from threadline.store.bulk import insert_dicts, insert_many
from threadline.store.collections import utc
from threadline.store.tables import analysis_run as t_run
from threadline.store.tables import finding as t_finding


@dataclass
class Finding:
    """One scored, explained result of an analysis."""

    kind: str
    key: str
    subject_id: str | None = None
    related_id: str | None = None
    collection_id: int | None = None
    score: float | None = None
    decision: str | None = None
    explanation: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None
    id: int | None = None
    created_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "key": self.key,
            "subject_id": self.subject_id,
            "related_id": self.related_id,
            "score": self.score,
            "decision": self.decision,
            "explanation": self.explanation,
            "data": self.data,
            "run_id": self.run_id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


@dataclass
class AnalysisRun:
    id: int
    kind: str
    scope: dict[str, Any]
    operation: str | None
    status: str
    counts: dict[str, Any]
    created_by: str
    started_at: datetime
    finished_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "scope": self.scope,
            "operation": self.operation,
            "status": self.status,
            "counts": self.counts,
            "created_by": self.created_by,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def start_run(
    conn: Connection,
    kind: str,
    *,
    scope: dict[str, Any],
    user: str,
    operation: str | None = None,
) -> int:
    result = conn.execute(
        insert(t_run).values(
            kind=kind,
            scope=scope,
            operation=operation,
            status="running",
            counts={},
            created_by=user,
            started_at=datetime.now(UTC),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def finish_run(
    conn: Connection, run_id: int, *, counts: dict[str, Any], status: str = "completed"
) -> None:
    conn.execute(
        update(t_run)
        .where(t_run.c.id == run_id)
        .values(status=status, counts=counts, finished_at=datetime.now(UTC))
    )


def _run_from_row(row: Any) -> AnalysisRun:
    return AnalysisRun(
        id=row.id,
        kind=row.kind,
        scope=dict(row.scope or {}),
        operation=row.operation,
        status=row.status,
        counts=dict(row.counts or {}),
        created_by=row.created_by,
        started_at=utc(row.started_at),
        finished_at=utc(row.finished_at) if row.finished_at else None,
    )


def get_run(conn: Connection, run_id: int) -> AnalysisRun:
    row = conn.execute(select(t_run).where(t_run.c.id == run_id)).first()
    if row is None:
        raise NotFound(f"no analysis run with id {run_id}")
    return _run_from_row(row)


def list_runs(
    conn: Connection, *, kind: str | None = None, operation: str | None = None
) -> list[AnalysisRun]:
    query = select(t_run).order_by(t_run.c.id.desc())
    if kind is not None:
        query = query.where(t_run.c.kind == kind)
    if operation is not None:
        query = query.where(t_run.c.operation == operation)
    return [_run_from_row(row) for row in conn.execute(query)]


def replace_findings(
    conn: Connection,
    run_id: int,
    kinds: Sequence[str],
    findings: Iterable[Finding],
    *,
    collection_ids: Sequence[int] | None = None,
    batch: int = 5000,
) -> int:
    """Delete earlier findings of these kinds (for these collections) and store the new ones."""
    query = delete(t_finding).where(t_finding.c.kind.in_(list(kinds)))
    if collection_ids is not None:
        query = query.where(t_finding.c.collection_id.in_(list(collection_ids)))
    conn.execute(query)
    return add_findings(conn, run_id, findings, batch=batch)


def add_findings(
    conn: Connection, run_id: int, findings: Iterable[Finding], *, batch: int = 5000
) -> int:
    now = datetime.now(UTC)
    rows = (
        {
            "run_id": run_id,
            "kind": item.kind,
            "key": item.key,
            "subject_id": item.subject_id,
            "related_id": item.related_id,
            "collection_id": item.collection_id,
            "score": item.score,
            "decision": item.decision,
            "explanation": item.explanation,
            "data": item.data,
            "created_at": now,
        }
        for item in findings
    )
    return insert_dicts(conn, t_finding, rows, batch=batch)


# Column order of :func:`insert_finding_rows`.
FINDING_COLUMNS = (
    "run_id", "kind", "key", "subject_id", "related_id", "collection_id", "score", "decision",
    "explanation", "data", "created_at",
)  # fmt: skip


def insert_finding_rows(conn: Connection, rows: Iterable[Sequence[Any]]) -> int:
    """Bulk-insert findings given as tuples in ``FINDING_COLUMNS`` order, with
    ``explanation`` and ``data`` already JSON text (an analysis that builds its
    findings set-based); returns how many were inserted."""
    return insert_many(conn, t_finding, FINDING_COLUMNS, rows)


def _finding_from_row(row: Any) -> Finding:
    return Finding(
        id=row.id,
        run_id=row.run_id,
        kind=row.kind,
        key=row.key,
        subject_id=row.subject_id,
        related_id=row.related_id,
        collection_id=row.collection_id,
        score=row.score,
        decision=row.decision,
        explanation=list(row.explanation or []),
        data=dict(row.data or {}),
        created_at=utc(row.created_at),
    )


def query_findings(
    conn: Connection,
    kind: str,
    *,
    subject_ids: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    related_ids: Sequence[str] | None = None,
    collection_ids: Sequence[int] | None = None,
    min_score: float | None = None,
    order_by_score: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> list[Finding]:
    """Findings of one kind, filtered; highest score first by default."""
    query = select(t_finding).where(t_finding.c.kind == kind)
    if subject_ids is not None:
        query = query.where(t_finding.c.subject_id.in_(list(subject_ids)))
    if keys is not None:
        query = query.where(t_finding.c.key.in_(list(keys)))
    if related_ids is not None:
        query = query.where(t_finding.c.related_id.in_(list(related_ids)))
    if collection_ids is not None:
        query = query.where(t_finding.c.collection_id.in_(list(collection_ids)))
    if min_score is not None:
        query = query.where(t_finding.c.score >= min_score)
    if order_by_score:
        query = query.order_by(t_finding.c.score.desc(), t_finding.c.id)
    else:
        query = query.order_by(t_finding.c.id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_finding_from_row(row) for row in conn.execute(query)]


def count_findings(conn: Connection, kind: str, *, min_score: float | None = None) -> int:
    query = select(func.count()).select_from(t_finding).where(t_finding.c.kind == kind)
    if min_score is not None:
        query = query.where(t_finding.c.score >= min_score)
    return int(conn.execute(query).scalar_one())

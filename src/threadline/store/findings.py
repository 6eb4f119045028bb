"""Analysis runs and their findings (scores with explanations as data).

An analysis that runs again over the same scope replaces its earlier findings of
the same kinds in one transaction; analysts' judgements live elsewhere and
survive re-runs.

Every run belongs to the agency that ran it (``None``: the platform itself) and
every finding inherits that agency and names the collections it was derived from
(its scope, :mod:`threadline.store.scopes`). A run replaces only its own agency's
findings. Which findings an actor may read is decided by governance
(:mod:`threadline.governance.access`), which hands this module a ``FindingFilter``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from threadline.exc import NotFound
from threadline.store.bulk import insert_dicts, insert_many
from threadline.store.collections import utc
from threadline.store.scopes import ScopeIds, scope_of
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
    # Provenance: every further collection the finding was derived from (``collection_id``
    # counts too), and whether it also rests on the running agency's own unstored input.
    sources: tuple[int, ...] = ()
    private: bool = False
    scope_id: int | None = None  # as stored
    agency: str | None = None  # the agency whose run produced it (None: the platform)
    country: str | None = None

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


@dataclass(frozen=True)
class FindingFilter:
    """Which stored findings a reader may see: scopes and producing agencies.

    ``scope_ids`` None means every scope (the platform itself). Findings of the
    reader's own agency and of the platform are read; where both hold a finding with
    the same key, the agency's own is the one read.
    """

    scope_ids: frozenset[int] | None
    agency: str | None = None
    country: str | None = None


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
    agency: str | None = None
    country: str | None = None

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
            "agency": self.agency,
            "country": self.country,
        }


def start_run(
    conn: Connection,
    kind: str,
    *,
    scope: dict[str, Any],
    user: str,
    operation: str | None = None,
    agency: str | None = None,
    country: str | None = None,
) -> int:
    """A new run of an analysis by ``agency`` (None: the platform itself)."""
    result = conn.execute(
        insert(t_run).values(
            kind=kind,
            scope=scope,
            operation=operation,
            status="running",
            counts={},
            created_by=user,
            started_at=datetime.now(UTC),
            agency=agency,
            country=country if agency is not None else None,
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
        agency=row.agency,
        country=row.country,
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


def run_producer(conn: Connection, run_id: int) -> tuple[str | None, str | None]:
    """The agency and country a run belongs to (None, None: the platform)."""
    row = conn.execute(select(t_run.c.agency, t_run.c.country).where(t_run.c.id == run_id)).first()
    if row is None:
        raise NotFound(f"no analysis run with id {run_id}")
    return row.agency, row.country


def producer_clause(agency: str | None, country: str | None) -> ColumnElement[bool]:
    """Findings produced by this agency (or by the platform when ``agency`` is None)."""
    if agency is None:
        return t_finding.c.agency.is_(None)
    return and_(t_finding.c.agency == agency, t_finding.c.country == country)


def replace_findings(
    conn: Connection,
    run_id: int,
    kinds: Sequence[str],
    findings: Iterable[Finding],
    *,
    collection_ids: Sequence[int] | None = None,
    batch: int = 5000,
) -> int:
    """Delete the run's agency's earlier findings of these kinds (for these collections)
    and store the new ones: another agency's findings are never touched."""
    agency, country = run_producer(conn, run_id)
    query = delete(t_finding).where(
        t_finding.c.kind.in_(list(kinds)), producer_clause(agency, country)
    )
    if collection_ids is not None:
        query = query.where(t_finding.c.collection_id.in_(list(collection_ids)))
    conn.execute(query)
    return add_findings(conn, run_id, findings, batch=batch)


def add_findings(
    conn: Connection, run_id: int, findings: Iterable[Finding], *, batch: int = 5000
) -> int:
    """Store findings of a run; each inherits the run's agency and gets its scope."""
    now = datetime.now(UTC)
    agency, country = run_producer(conn, run_id)
    scope_ids = ScopeIds(conn)
    private = (agency, country or "") if agency is not None else None
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
            "scope_id": scope_ids(
                scope_of((item.collection_id, *item.sources), private if item.private else None)
            ),
            "agency": agency,
            "country": country,
        }
        for item in findings
    )
    return insert_dicts(conn, t_finding, rows, batch=batch)


# Column order of :func:`insert_finding_rows`.
FINDING_COLUMNS = (
    "run_id", "kind", "key", "subject_id", "related_id", "collection_id", "score", "decision",
    "explanation", "data", "created_at", "scope_id", "agency", "country",
)  # fmt: skip


def insert_finding_rows(conn: Connection, rows: Iterable[Sequence[Any]]) -> int:
    """Bulk-insert findings given as tuples in ``FINDING_COLUMNS`` order, with
    ``explanation`` and ``data`` already JSON text (an analysis that builds its
    findings set-based, its scope ids from :class:`ScopeIds`); returns how many."""
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
        scope_id=row.scope_id,
        agency=row.agency,
        country=row.country,
    )


def visible_clause(seen: FindingFilter) -> ColumnElement[bool] | None:
    """The SQL condition for findings a reader may see (None: everything).

    A reader sees findings of scopes they may see, produced by their own agency or by
    the platform; a platform finding is skipped where the agency holds its own finding
    with the same kind and key (a fresher analysis of its own).
    """
    if seen.scope_ids is None and seen.agency is None:
        return None
    conditions: list[ColumnElement[bool]] = []
    if seen.scope_ids is not None:
        conditions.append(t_finding.c.scope_id.in_(sorted(seen.scope_ids)))
    if seen.agency is None:
        conditions.append(t_finding.c.agency.is_(None))
        return and_(*conditions)
    own = producer_clause(seen.agency, seen.country)
    mine = t_finding.alias("mine")
    shadowed = exists().where(
        mine.c.kind == t_finding.c.kind,
        mine.c.key == t_finding.c.key,
        mine.c.agency == seen.agency,
        mine.c.country == seen.country,
    )
    if seen.scope_ids is not None:
        shadowed = shadowed.where(mine.c.scope_id.in_(sorted(seen.scope_ids)))
    conditions.append(or_(own, and_(t_finding.c.agency.is_(None), ~shadowed)))
    return and_(*conditions)


def query_findings(
    conn: Connection,
    kind: str,
    *,
    subject_ids: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    related_ids: Sequence[str] | None = None,
    collection_ids: Sequence[int] | None = None,
    min_score: float | None = None,
    since: datetime | None = None,
    order_by_score: bool = True,
    limit: int | None = None,
    offset: int = 0,
    seen: FindingFilter | None = None,
) -> list[Finding]:
    """Findings of one kind, filtered; highest score first by default.

    ``since`` keeps those stored at or after that time (the dashboard's last days).
    ``seen`` restricts them to what a reader may see; only governance and the
    platform's own processes (evaluation, re-runs) read without it.
    """
    query = select(t_finding).where(t_finding.c.kind == kind)
    if seen is not None:
        clause = visible_clause(seen)
        if clause is not None:
            query = query.where(clause)
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
    if since is not None:
        query = query.where(t_finding.c.created_at >= since)
    if order_by_score:
        query = query.order_by(t_finding.c.score.desc(), t_finding.c.id)
    else:
        query = query.order_by(t_finding.c.id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_finding_from_row(row) for row in conn.execute(query)]


def count_findings(
    conn: Connection,
    kind: str,
    *,
    min_score: float | None = None,
    seen: FindingFilter | None = None,
) -> int:
    query = select(func.count()).select_from(t_finding).where(t_finding.c.kind == kind)
    if seen is not None:
        clause = visible_clause(seen)
        if clause is not None:
            query = query.where(clause)
    if min_score is not None:
        query = query.where(t_finding.c.score >= min_score)
    return int(conn.execute(query).scalar_one())

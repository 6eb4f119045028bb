"""The ingestion job runner: batches, transactions, rejection reports, resume."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from threadline.exc import InputError
from threadline.ingest.base import Reader, ReaderContext, RecordError, SourceRecord
from threadline.ingest.entities import REJECTED
from threadline.ingest.registry import get_reader
from threadline.model.collections import Collection, build_collection
from threadline.settings import get_settings
from threadline.store import Store
from threadline.store import collections as collections_store
from threadline.store import jobs as jobs_store
from threadline.store.jobs import Job, JobWarning, Rejection
from threadline.store.statements import entity_rows, insert_rows, sort_rows

ProgressCallback = Callable[[int, int], None]  # (records done, bytes done)


@dataclass
class IngestResult:
    """What one file's ingestion did."""

    job: Job
    collection_created: Collection | None = None
    resumed_from: int | None = None
    rejections: list[Rejection] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = self.job.to_dict()
        data["collection_created"] = self.collection_created is not None
        data["resumed_from"] = self.resumed_from
        return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_collection(
    store: Store, name: str, owner: tuple[str, str] | None = None
) -> tuple[Collection, bool]:
    """The named collection; created when new, owned by ``owner`` (agency, country) or the
    installation's default agency, and shared with nobody until its owner says so."""
    with store.begin() as conn:
        found = collections_store.find_collection(conn, name)
        if found is not None:
            return found, False
        settings = get_settings()
        agency, country = owner or (settings.default_agency, settings.default_country)
        item = build_collection(name, owner_agency=agency, owner_country=country)
        return collections_store.create_collection(conn, item), True


def _batches(items: Iterator[SourceRecord], size: int) -> Iterator[list[SourceRecord]]:
    while batch := list(islice(items, size)):
        yield batch


def ingest_file(
    store: Store,
    path: Path,
    collection: str,
    *,
    format: str | None = None,
    options: dict[str, Any] | None = None,
    user: str = "cli",
    progress: ProgressCallback | None = None,
    batch_size: int | None = None,
    on_job: Callable[[Job], None] | None = None,
    owner: tuple[str, str] | None = None,
) -> IngestResult:
    """Ingest one file into a collection as a job; resumes an unfinished job on the same file.

    ``on_job`` is told the job as soon as it exists (a web page can then show its progress).
    A collection named for the first time is created for ``owner`` (agency, country), or the
    installation's default agency.
    """
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    options = {k: v for k, v in (options or {}).items() if v is not None}
    reader_cls = get_reader(format, path)
    with store.connect() as conn:
        existing = collections_store.find_collection(conn, collection)
    country = (
        existing.owner_country
        if existing
        else (owner[1] if owner else get_settings().default_country)
    )
    context = ReaderContext(collection=collection, default_country=country, options=options)
    reader = reader_cls(context)
    reader.prepare(path)  # whole-file problems stop here, before anything is written
    sha = file_sha256(path)
    target, created = ensure_collection(store, collection, owner)
    assert target.id is not None
    with store.begin() as conn:
        job = jobs_store.find_unfinished_job(conn, target.id, sha)
        resumed_from = None
        if job is not None and job.format == reader_cls.name:
            resumed_from = job.position
            jobs_store.reopen_job(conn, job.id)
        else:
            job = jobs_store.create_job(
                conn,
                collection_id=target.id,
                kind="ingest",
                format=reader_cls.name,
                source=str(path),
                source_sha256=sha,
                created_by=user,
                options={k: str(v) for k, v in options.items()},
            )
    if on_job is not None:
        on_job(job)
    try:
        try:
            done = _run(store, reader, path, job, target, resumed_from or 0, progress, batch_size)
        except (OSError, UnicodeError) as exc:  # the file itself, not one record of it
            raise InputError(f"cannot read {path}: {exc}") from None
        if not done and not resumed_from and path.stat().st_size > 0:
            raise InputError(
                f"{path.name}: no records found in a non-empty file by the {reader_cls.name!r}"
                f" reader ({reader_cls.description}); is this the right format?"
            )
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt | SystemExit) else "failed"
        with store.begin() as conn:
            jobs_store.finish_job(conn, job.id, status, error=str(exc) or type(exc).__name__)
        raise
    with store.begin() as conn:
        jobs_store.finish_job(conn, job.id, "completed")
        final = jobs_store.get_job(conn, job.id)
    return IngestResult(final, target if created else None, resumed_from)


@dataclass
class _Batch:
    """One batch parsed: statement rows to write, rejections and warnings to report."""

    position: int
    offset: int
    read: int
    stored: int
    entities: int
    rows: list[tuple[Any, ...]]
    rejections: list[Rejection]  # whole records, then values left out of stored records
    values_rejected: int = 0
    warnings: list[JobWarning] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    reader: Reader
    collection: str
    collection_id: int
    job_id: int
    seen_as_text: bool = False  # SQLite: pass timestamps as text, no per-row adapter
    entity_order: bool = False  # SQLite: rows sorted by entity here, in the parse process


_WORKER_TARGET: _Target | None = None  # set before forking the parse workers


def _parse_batch(batch: list[SourceRecord], target: _Target | None = None) -> _Batch:
    target = target or _WORKER_TARGET
    assert target is not None
    reader = target.reader
    rows: list[tuple[Any, ...]] = []
    rejections: list[Rejection] = []
    warnings: list[JobWarning] = []
    stored = entities = values_rejected = 0
    now = datetime.now(UTC)
    seen: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if target.seen_as_text else now
    for record in batch:
        try:
            parsed = reader.parse(record)
        except RecordError as exc:
            rejections.append(
                Rejection(
                    record.position, str(exc), record.source_id or None, reader.excerpt(record)
                )
            )
            continue
        stored += 1
        entities += len(parsed)
        notes = reader.warnings(record)
        if notes:
            excerpt, source = reader.excerpt(record), record.source_id or None
            warnings.extend(JobWarning(n.position, n.reason, source, excerpt) for n in notes)
        left_out: dict[str, None] = {}  # one line per reason and record (the report's key)
        for entity in parsed:
            if REJECTED in entity.context:
                left_out.update(dict.fromkeys(entity.context.pop(REJECTED)))
            rows.extend(
                entity_rows(
                    entity,
                    collection=target.collection,
                    collection_id=target.collection_id,
                    job_id=target.job_id,
                    source_id=record.source_id or str(entity.id),
                    seen=seen,
                )
            )
        if left_out:
            values_rejected += len(left_out)
            excerpt, source = reader.excerpt(record), record.source_id or None
            rejections.extend(Rejection(record.position, r, source, excerpt) for r in left_out)
    if target.entity_order:  # the writer then has less to do (it is the pipeline's bottleneck)
        sort_rows(rows)
    last = batch[-1]
    return _Batch(
        last.position,
        last.offset,
        len(batch),
        stored,
        entities,
        rows,
        rejections,
        values_rejected,
        warnings,
    )


def _parsed_batches(
    target: _Target, batches: Iterator[list[SourceRecord]], workers: int
) -> Iterator[_Batch]:
    """Parse batches in order, in worker processes when that is worth it."""
    if workers <= 1:
        for batch in batches:
            yield _parse_batch(batch, target)
        return
    global _WORKER_TARGET
    _WORKER_TARGET = target
    context = multiprocessing.get_context("fork")
    ahead = workers * 2  # bounded read-ahead: Pool.imap would queue the whole file in memory
    with context.Pool(workers) as pool:
        pending: deque[AsyncResult[_Batch]] = deque()
        for batch in batches:
            pending.append(pool.apply_async(_parse_batch, (batch,)))
            if len(pending) >= ahead:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    _WORKER_TARGET = None


def _workers(path: Path) -> int:
    settings = get_settings()
    if path.stat().st_size < settings.parallel_min_bytes:
        return 1
    return settings.workers or min(2, os.cpu_count() or 1)


def _run(
    store: Store,
    reader: Reader,
    path: Path,
    job: Job,
    target: Collection,
    start_after: int,
    progress: ProgressCallback | None,
    batch_size: int | None,
) -> int:
    """Store the file's records after ``start_after``; returns how many were read."""
    size = batch_size or get_settings().batch_size
    assert target.id is not None
    records: Iterable[SourceRecord] = reader.records(path)
    pending = iter(records) if not start_after else (r for r in records if r.position > start_after)
    done = 0
    store_batch = getattr(reader, "store_batch", None)
    if store_batch is not None:
        # A reader with its own table (a list of millions of rows) writes there, not statements:
        # store_batch(conn, records, job_id, collection_id) -> (stored, rejections).
        for records_batch in _batches(pending, size):
            with store.begin() as conn:
                stored, rejections = store_batch(conn, records_batch, job.id, target.id)
                jobs_store.add_rejections(conn, job.id, rejections)
                jobs_store.record_progress(
                    conn,
                    job,
                    position=records_batch[-1].position,
                    read=len(records_batch),
                    stored=stored,
                    rejected=len(rejections),
                    entities=0,
                    statements=0,
                )
            done += len(records_batch)
            if progress is not None:
                progress(done, records_batch[-1].offset)
        return done
    parse_target = _Target(
        reader, target.name, target.id, job.id, store.is_sqlite, entity_order=store.is_sqlite
    )
    for batch in _parsed_batches(parse_target, _batches(pending, size), _workers(path)):
        with store.begin() as conn:
            new = insert_rows(conn, batch.rows, in_entity_order=parse_target.entity_order)
            jobs_store.add_rejections(conn, job.id, batch.rejections)
            jobs_store.add_warnings(conn, job.id, batch.warnings)
            jobs_store.record_progress(
                conn,
                job,
                position=batch.position,
                read=batch.read,
                stored=batch.stored,
                rejected=len(batch.rejections) - batch.values_rejected,
                entities=batch.entities,
                statements=new,
                warnings=len(batch.warnings),
                values_rejected=batch.values_rejected,
            )
        done += batch.read
        if progress is not None:
            progress(done, batch.offset)
    return done

"""Background work: what arrives is queued, and a worker screens, traces and links it.

Tasks are kept in the database (``threadline.store.queue``), so the queue needs nothing
beyond the store: several ``threadline worker`` processes on several machines share one
PostgreSQL queue, and ``threadline serve`` on the embedded SQLite store runs a worker in
its own process.

What enqueues work:

- a manifest sent to ``POST /api/v1/manifests`` (or ingested into a ``manifests``
  collection) is screened as the officer who sent it, with the purpose and reference sent;
- data ingested into a collection starts the analyses it feeds, for the agency that
  loaded it: sightings and missing-person reports are traced, person records are linked
  (cluster ids stay stable when a cluster only grows), ads are scored and linked to
  personas; a task of the same kind still waiting is reused, so a burst of files costs one
  run;
- a changed watchlist (notices, stolen and lost documents) re-screens the manifests each
  agency screened recently.

Every task runs as the user who caused it (re-read when it runs: a user disabled in the
meantime stops the task), touches only that agency's findings and alerts, and is audited
like the same command typed by hand. A task whose worker dies is run again from the start;
screening commits its findings, alerts and the task's completion in one transaction, and
the other analyses replace their own earlier results, so a retry neither loses nor
duplicates anything.
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from threadline.exc import InputError, NotFound, ThreadlineError
from threadline.governance import AccessDenied, Actor, Purpose, Role
from threadline.governance.actors import Channel
from threadline.model.collections import CollectionKind
from threadline.settings import get_settings
from threadline.store import Store, queue
from threadline.store.queue import Task

COMPONENT = "worker"
SCREEN_MANIFEST, TRACE, LINK, ADS, RESCREEN = "screen_manifest", "trace", "link", "ads", "rescreen"
KIND_NAMES = {
    SCREEN_MANIFEST: "screen a manifest",
    TRACE: "trace missing persons",
    LINK: "link person records",
    ADS: "analyse ads",
    RESCREEN: "re-screen recent manifests",
}
KINDS = tuple(KIND_NAMES)
STATES = queue.STATES  # queued, running, done, failed
MANIFEST_LIMIT = 20 * 1024 * 1024  # bytes: a very large PAXLST is a few hundred kB
# What arrives in a collection of each kind, and the analyses it feeds.
FOLLOW_UPS: dict[CollectionKind, tuple[str, ...]] = {
    CollectionKind.MISSING_PERSONS: (TRACE, LINK),
    CollectionKind.CASE_RECORDS: (TRACE, LINK),
    CollectionKind.IDENTIFIED_PERSONS: (TRACE, LINK),
    CollectionKind.MANIFESTS: (TRACE,),
    CollectionKind.ADS: (ADS,),
    CollectionKind.NOTICES: (RESCREEN,),
    CollectionKind.TRAVEL_DOCUMENTS: (RESCREEN,),
}


class TaskRefused(ThreadlineError):
    """A task that cannot succeed however often it runs (its user, its input)."""


# -- enqueueing ---------------------------------------------------------------------------


def submit_manifest(
    store: Store,
    actor: Actor,
    filename: str,
    content: bytes,
    *,
    operation: str | None = None,
    country: str | None = None,
) -> Task:
    """Queue a manifest for screening as this actor (who must be allowed to screen now:
    the purpose and role are checked before anything is kept)."""
    from threadline.governance import require_purpose
    from threadline.screening.manifest import check_manifest, manifest_name
    from threadline.screening.service import require_screener

    require_screener(actor)
    require_purpose(actor)
    name = manifest_name(filename)
    if len(content) > MANIFEST_LIMIT:
        raise InputError(
            f"manifest file {name!r} is {len(content):,} bytes; the limit is {MANIFEST_LIMIT:,}"
        )
    check_manifest(name, content)
    arguments = {
        "file": name,
        "operation": (operation or "").strip() or None,
        "country": (country or "").strip() or None,
        "sha256": hashlib.sha256(content).hexdigest(),
        "bytes": len(content),
    }
    with store.begin() as conn:
        task = queue.enqueue(
            conn,
            SCREEN_MANIFEST,
            agency=actor.agency,
            country=actor.country,
            key=f"manifest:{arguments['sha256']}",
            payload={"actor": actor.to_dict(), "arguments": arguments},
            content=content,
        )
        _audit_enqueued(conn, actor, task)
    return task


def enqueue_follow_ups(
    store: Store, actor: Actor, collection: str, kind: CollectionKind, *, path: Path | None = None
) -> list[Task]:
    """Queue the analyses that data newly stored in this collection feeds (see
    ``FOLLOW_UPS``), for the agency that loaded it. A manifest file ingested into a
    ``manifests`` collection is also screened, when the actor may screen."""
    if not get_settings().analyse_on_arrival:
        return []
    tasks: list[Task] = []
    with store.begin() as conn:
        for follow_up in FOLLOW_UPS.get(kind, ()):
            if follow_up == RESCREEN:
                tasks += _queue_rescreens(conn, actor, collection)
                continue
            if actor.system:  # the platform's own loads belong to no agency's analyses
                continue
            arguments: dict[str, Any] = {"collection": collection} if follow_up == ADS else {}
            key = f"{follow_up}:{collection}" if follow_up == ADS else follow_up
            task = queue.enqueue(
                conn,
                follow_up,
                agency=actor.agency,
                country=actor.country,
                key=key,
                coalesce=True,
                payload={
                    "actor": actor.to_dict(),
                    "arguments": arguments,
                    "because": f"new data in collection {collection}",
                },
            )
            _audit_enqueued(conn, actor, task)
            tasks.append(task)
    if kind is CollectionKind.MANIFESTS and path is not None and _may_screen(actor):
        from threadline.screening.manifest import MANIFEST_SUFFIXES

        if path.suffix.lower() in MANIFEST_SUFFIXES and path.stat().st_size <= MANIFEST_LIMIT:
            screener = actor if actor.purpose else actor.for_purpose(Purpose.BORDER_CHECK)
            tasks.append(submit_manifest(store, screener, path.name, path.read_bytes()))
    return tasks


def _queue_rescreens(conn: Connection, actor: Actor, collection: str) -> list[Task]:
    """A changed list re-screens, for each agency that may see it, the manifests that
    agency screened in the re-screening window: one task per agency, as that agency."""
    from threadline.screening.rescreen import agencies_to_rescreen, rescreener

    tasks = []
    for agency, country in agencies_to_rescreen(conn, collection):
        task = queue.enqueue(
            conn,
            RESCREEN,
            agency=agency,
            country=country,
            key=RESCREEN,
            coalesce=True,
            payload={
                "actor": rescreener(agency, country).to_dict(),
                "arguments": {},
                "because": f"list {collection} changed (loaded by {actor.user})",
            },
        )
        _audit_enqueued(conn, actor, task)
        tasks.append(task)
    return tasks


def _may_screen(actor: Actor) -> bool:
    from threadline.screening.service import require_screener

    try:
        require_screener(actor)
    except AccessDenied:
        return False
    return True


def _audit_enqueued(conn: Connection, actor: Actor, task: Task) -> None:
    from threadline.governance.audit import record

    record(
        conn,
        actor,
        "task.enqueue",
        component=COMPONENT,
        target_type="task",
        target_id=str(task.id),
        detail={"kind": task.kind, "key": task.key},
    )


# -- reading ------------------------------------------------------------------------------


def get_task(store: Store, actor: Actor, task_id: int) -> Task:
    """A task of the actor's agency (another agency's answers as a missing one)."""
    found = None
    if 0 < task_id < 2**31:  # ids beyond the column's range name no task
        with store.connect() as conn:
            try:
                found = queue.get_task(conn, task_id)
            except NotFound:
                found = None
    if found is None or not _own(actor, found):
        raise NotFound(f"no task {task_id} (see 'threadline tasks list')")
    return found


def list_tasks(
    store: Store,
    actor: Actor,
    *,
    state: str | None = None,
    kind: str | None = None,
    limit: int = 50,
) -> list[Task]:
    """The actor's agency's tasks, newest first."""
    if state is not None and state not in queue.STATES:
        raise InputError(f"unknown task state {state!r}; states are: {', '.join(queue.STATES)}")
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown task kind {kind!r}; kinds are: {', '.join(KINDS)}")
    with store.connect() as conn:
        return queue.list_tasks(conn, agency=actor.agency, state=state, kind=kind, limit=limit)


def task_counts(store: Store, actor: Actor) -> dict[str, int]:
    with store.connect() as conn:
        return queue.state_counts(conn, agency=actor.agency)


def _own(actor: Actor, task: Task) -> bool:
    return actor.system or (task.agency == actor.agency and task.country == actor.country)


# -- running ------------------------------------------------------------------------------


@dataclass
class TaskContext:
    """What a handler gets besides the store and the actor: the task, and the two ways it
    records where it stands, each inside a transaction of the handler's own work."""

    task: Task
    finish: Callable[[Connection, dict[str, Any]], None]  # done, with this result
    progress: Callable[[Connection, dict[str, Any]], None]  # part done (kept for a retry)

    def finish_now(self, store: Store, result: dict[str, Any]) -> None:
        """Done, for analyses that commit their own work and replace their own earlier
        results (a retry after a kill redoes them without duplicating anything)."""
        with store.begin() as conn:
            self.finish(conn, result)


Handler = Callable[[Store, Actor, TaskContext], None]


def _screen_manifest(store: Store, actor: Actor, ctx: TaskContext) -> None:
    from threadline.screening.manifest import manifest_file, screen_manifest

    arguments = ctx.task.payload.get("arguments", {})
    if ctx.task.content is None:
        raise TaskRefused("the manifest's content is no longer kept")
    name = Path(str(arguments.get("file") or "manifest.edi")).name
    with manifest_file(name, ctx.task.content) as path:
        screen_manifest(
            store,
            actor,
            path,
            operation=arguments.get("operation"),
            country=arguments.get("country"),
            within=lambda conn, counts: ctx.finish(conn, {"file": name, **counts}),
        )


def _trace(store: Store, actor: Actor, ctx: TaskContext) -> None:
    from threadline.tracing import run_tracing

    if actor.purpose is None:
        actor = actor.for_purpose(Purpose.VICTIM_IDENTIFICATION)
    summary = run_tracing(store, actor).to_dict()
    keys = ("run_id", "reports", "sightings", "leads", "alerts_raised")
    ctx.finish_now(store, {k: summary.get(k) for k in keys})


def _link(store: Store, actor: Actor, ctx: TaskContext) -> None:
    from threadline.linkage import run_linkage

    summary = run_linkage(store, actor).to_dict()
    keys = ("run_id", "records", "scored", "links", "clusters")
    ctx.finish_now(store, {k: summary.get(k) for k in keys})


def _ads(store: Store, actor: Actor, ctx: TaskContext) -> None:
    from threadline.ads.service import analyze_collection

    collection = str(ctx.task.payload.get("arguments", {}).get("collection") or "")
    summary = analyze_collection(store, collection, actor)
    keys = ("run_id", "ads", "high_risk_ads", "personas")
    ctx.finish_now(store, {k: summary.get(k) for k in keys})


def _rescreen(store: Store, actor: Actor, ctx: TaskContext) -> None:
    """Re-screen what the agency screened recently against the changed lists, one manifest
    per transaction; a retry skips the manifests an earlier attempt finished."""
    from threadline.screening.rescreen import rescreen_recent

    earlier = ctx.task.result or {}
    done = [int(i) for i in earlier.get("rescreened", [])]

    def step(conn: Connection, archive_id: int) -> None:
        done.append(archive_id)
        ctx.progress(conn, {"rescreened": sorted(done)})

    counts = rescreen_recent(store, actor, done=frozenset(done), on_manifest=step)
    ctx.finish_now(store, {**counts, "rescreened": sorted(done)})


HANDLERS: dict[str, Handler] = {
    SCREEN_MANIFEST: _screen_manifest,
    TRACE: _trace,
    LINK: _link,
    ADS: _ads,
    RESCREEN: _rescreen,
}


def actor_of(store: Store, task: Task) -> Actor:
    """Who the task runs as: the user who caused it, as that user stands now."""
    stated = task.payload.get("actor") or {}
    name = str(stated.get("user") or "")
    purpose = stated.get("purpose")
    reference = stated.get("reference")
    try:
        channel = Channel(stated.get("channel") or Channel.SYSTEM)
    except ValueError:
        channel = Channel.SYSTEM
    from threadline.governance.accounts import find_user_row, require_active, row_user

    with store.connect() as conn:
        row = find_user_row(conn, name) if name else None
    if row is not None:
        try:
            base = require_active(row_user(row)).actor(channel)
        except ThreadlineError as exc:
            raise TaskRefused(f"the task's user cannot act: {exc}") from exc
        if (base.agency, base.country) != (task.agency, task.country):
            raise TaskRefused(f"user {name!r} no longer acts for agency {task.agency}")
    else:  # the console operator or the platform acting for an agency: not registered users
        if not name.startswith(("console:", "system:")):
            raise TaskRefused(f"the task's user {name!r} no longer exists")
        roles = frozenset(
            Role(r) for r in stated.get("roles", []) if r in Role.__members__.values()
        )
        base = Actor(
            user=name, agency=task.agency, country=task.country, roles=roles, channel=channel
        )
    return base.for_purpose(Purpose(purpose), reference) if purpose else base


@dataclass
class WorkerStats:
    done: int = 0
    failed: int = 0
    retried: int = 0
    recovered: int = 0
    last_error: str | None = None


def is_dead(worker: str) -> bool:
    """Whether a worker named ``host:pid`` (or ``host:pid:name``) was a process of this
    machine that is gone."""
    import socket

    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


# A dedicated worker process allocates millions of short-lived objects per manifest (parsed
# segments, records, name comparisons). With Python's default collector settings a collection
# runs every 700 allocations and about a fifth of a screening's time went to walking the
# same long-lived objects (the model, the watchlist index) again and again.
WORKER_GC_THRESHOLDS = (10_000, 20, 100)


def settle_process() -> None:
    """Tune the garbage collector of a process that does nothing but run tasks: what is
    loaded so far is moved out of the collector's sight and young objects are collected
    less often (memory is still reclaimed: reference counting frees almost everything)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


class Worker:
    """Runs queued tasks one at a time, until stopped (or until the queue is empty)."""

    def __init__(
        self,
        store: Store,
        *,
        name: str | None = None,
        kinds: tuple[str, ...] | None = None,
        on_task: Callable[[Task, str], None] | None = None,
    ) -> None:
        settings = get_settings()
        self.store = store
        # host:pid, and a name when one process runs several workers (tests, serve)
        self.name = queue.worker_name() + (f":{name}" if name else "")
        self.kinds = kinds
        self.lease = float(settings.task_lease_seconds)
        self.poll = float(settings.worker_poll_seconds)
        self.on_task = on_task
        self.stats = WorkerStats()
        self.stopping = threading.Event()

    def recover(self) -> list[int]:
        """Put back the tasks of workers that died."""
        with self.store.begin() as conn:
            back = queue.recover(conn, lease_seconds=self.lease, is_dead=is_dead)
            queue.purge(conn, older_than_days=get_settings().task_retention_days)
        self.stats.recovered += len(back)
        return back

    def run_one(self) -> Task | None:
        """Claim and run one task; None when none was due."""
        with self.store.begin() as conn:
            task = queue.claim(conn, self.name, self.kinds)
        if task is None:
            return None
        beat = _Heartbeat(self.store, task.id, self.name, max(self.lease / 3, 0.5))
        beat.start()
        try:
            outcome = self._run(task)
        finally:
            beat.stop()
        if self.on_task is not None:
            self.on_task(task, outcome)
        return task

    def _run(self, task: Task) -> str:
        handler = HANDLERS.get(task.kind)
        lost = False

        def finish(conn: Connection, result: dict[str, Any]) -> None:
            nonlocal lost
            if not queue.complete(conn, task.id, self.name, result):
                lost = True  # recovered from this worker meanwhile: undo this attempt
                raise _Lost()

        def progress(conn: Connection, data: dict[str, Any]) -> None:
            nonlocal lost
            if not queue.note_progress(conn, task.id, self.name, data):
                lost = True
                raise _Lost()

        try:
            if handler is None:
                raise TaskRefused(f"no handler for task kind {task.kind!r}")
            actor = actor_of(self.store, task)
            handler(self.store, actor, TaskContext(task, finish, progress))
        except _Lost:
            return "lost"
        except (TaskRefused, InputError, AccessDenied, NotFound) as exc:
            return self._failed(task, f"{type(exc).__name__}: {exc}", retry=False)
        except Exception as exc:  # noqa: BLE001 - a worker outlives any one task's error
            return self._failed(task, f"{type(exc).__name__}: {exc}", retry=True)
        if lost:
            return "lost"
        self.stats.done += 1
        return queue.DONE

    def _failed(self, task: Task, error: str, *, retry: bool) -> str:
        backoff = min(300.0, 5.0 * 2 ** max(task.attempts - 1, 0))
        with self.store.begin() as conn:
            state = queue.fail(conn, task.id, self.name, error[:2000], retry=retry, backoff=backoff)
            if state == queue.FAILED:
                from threadline.governance.actors import SYSTEM
                from threadline.governance.audit import record

                record(
                    conn, SYSTEM, "task.failed", component=COMPONENT, target_type="task",
                    target_id=str(task.id), outcome="error",
                    detail={"kind": task.kind, "error": error[:500]},
                )  # fmt: skip
        self.stats.last_error = error
        if state == queue.FAILED:
            self.stats.failed += 1
        else:
            self.stats.retried += 1
        return state

    def drain(self, *, max_tasks: int | None = None) -> int:
        """Run tasks until none is due (or ``max_tasks`` ran); how many ran."""
        self.recover()
        ran = 0
        while max_tasks is None or ran < max_tasks:
            if self.run_one() is None:
                break
            ran += 1
        return ran

    def run_forever(self) -> None:
        """Run tasks as they come until ``stop()``; recovers dead workers' tasks now and then."""
        last_recovery = 0.0
        while not self.stopping.is_set():
            now = time.monotonic()
            if now - last_recovery >= min(self.lease, 30.0):
                self.recover()
                last_recovery = now
            try:
                task = self.run_one()
            except Exception as exc:  # noqa: BLE001 - the database may be away for a moment
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                task = None
            if task is None:
                self.stopping.wait(self.poll)

    def stop(self) -> None:
        self.stopping.set()


class _Lost(Exception):
    """The task was taken from this worker while it ran (its lease passed)."""


class _Heartbeat:
    def __init__(self, store: Store, task_id: int, worker: str, every: float) -> None:
        self.store, self.task_id, self.worker, self.every = store, task_id, worker, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{task_id}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _beat(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                with self.store.begin() as conn:
                    if not queue.heartbeat(conn, self.task_id, self.worker):
                        return
            except Exception:  # noqa: BLE001, S112 - a missed beat is retried at the next one
                continue


def start_background_worker(store: Store) -> Worker:
    """A worker on a daemon thread of this process (``threadline serve``, the demo)."""
    worker = Worker(store, name="serve")
    thread = threading.Thread(target=worker.run_forever, name="threadline-worker", daemon=True)
    thread.start()
    return worker

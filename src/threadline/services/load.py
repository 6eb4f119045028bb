"""Loading a folder as its layout declares: ``threadline load``.

Three steps, each through the services every interface uses, so every rule holds:

1. :func:`read_layout` (``services.layout``) checks the layout file and every file it names.
2. :func:`plan` checks it against the store: each owner is the loading user's agency or a
   registered (or declared) agency, and governance allows each collection to be created or
   changed as declared. Nothing has been written when either refuses.
3. :func:`load` registers the declared agencies, creates or updates each collection
   (``services.collections``, audited), ingests each file as its own job (the same path as
   ``threadline ingest``: record-level refusals are counted and reported, a file that fails
   is named and the others still load) and counts what each collection holds.

Only the owning agency adds data to a collection. A collection declared for another agency
is therefore created for the loading user's agency, filled, and then handed over to its
owner (an ownership change, which governance allows administrators and operation
coordinators, audited with the old and new owner); after that only its owner's users add
to it. A collection with a file that failed is not handed over, so the load can be run again
once the file is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from threadline.exc import InputError, ThreadlineError
from threadline.governance import Actor
from threadline.governance.access import Access
from threadline.governance.policy import (
    AccessDenied,
    may_change_collection,
    may_create_collection,
    owns,
)
from threadline.model.collections import Collection, build_collection
from threadline.services import agencies as agencies_service
from threadline.services import collections as collections_service
from threadline.services.layout import AgencyEntry, CollectionEntry, FileEntry, Layout, Where
from threadline.store import Store
from threadline.store import collections as collections_store
from threadline.store.jobs import Job

# (collection, records done, bytes done) over the whole load
LoadProgress = Callable[[str, int, int], None]
TOTALS = (
    "files",
    "files_failed",
    "records_read",
    "records_stored",
    "records_refused",
    "values_left_out",
    "warnings",
    "entities",
)


@dataclass(frozen=True)
class Step:
    """One declared collection: what the load does with it."""

    entry: CollectionEntry
    item: Collection  # as it is when the load ends, with its declared owner
    exists: bool
    handover: bool  # loaded for the loading user's agency, then handed to its owner

    def to_dict(self, root: Path) -> dict[str, Any]:
        return {
            "name": self.item.name,
            "kind": self.item.kind.value,
            "owner_agency": self.item.owner_agency,
            "owner_country": self.item.owner_country,
            "sharing": self.item.sharing.value,
            "shared_countries": list(self.item.shared_countries),
            "watchlist": self.item.watchlist,
            "action": "update" if self.exists else "create",
            "handover": self.handover,
            "files": [f.to_dict(root) for f in self.entry.files],
        }


@dataclass(frozen=True)
class Plan:
    """What a load will do; ``load`` carries it out, ``--dry-run`` shows it."""

    layout: Layout
    register: tuple[AgencyEntry, ...]  # declared agencies not registered yet
    steps: tuple[Step, ...]

    @property
    def files(self) -> int:
        return sum(len(step.entry.files) for step in self.steps)

    @property
    def bytes(self) -> int:
        return sum(f.size for step in self.steps for f in step.entry.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layout": str(self.layout.path),
            "folder": str(self.layout.root),
            "agencies_to_register": [{"name": a.name, "country": a.country} for a in self.register],
            "collections": [step.to_dict(self.layout.root) for step in self.steps],
            "files": self.files,
            "bytes": self.bytes,
        }


@dataclass(frozen=True)
class FileResult:
    """One file's job, or why it could not be ingested."""

    file: FileEntry
    job: Job | None
    error: str | None = None

    def to_dict(self, root: Path) -> dict[str, Any]:
        data = self.file.to_dict(root)
        if self.job is None:
            return {**data, "status": "failed", "error": self.error}
        return {**data, "status": self.job.status, "job": self.job.to_dict()}


@dataclass(frozen=True)
class CollectionResult:
    """What one collection's load did; ``entities`` is what it holds afterwards."""

    step: Step
    files: tuple[FileResult, ...]
    entities: int
    handed_over: bool

    def _sum(self, count: Callable[[Job], int]) -> int:
        return sum(count(f.job) for f in self.files if f.job is not None)

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if f.job is None)

    def totals(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "files_failed": self.failed,
            "records_read": self._sum(lambda j: j.read),
            "records_stored": self._sum(lambda j: j.stored),
            "records_refused": self._sum(lambda j: j.rejected),
            "values_left_out": self._sum(lambda j: j.values_rejected),
            "warnings": self._sum(lambda j: j.warnings),
            "entities": self.entities,
        }

    def to_dict(self, root: Path) -> dict[str, Any]:
        data = self.step.to_dict(root)
        data["action"] = "updated" if self.step.exists else "created"
        data["handed_over"] = self.handed_over
        data["files"] = [f.to_dict(root) for f in self.files]
        return {**data, **self.totals()}


@dataclass
class LoadResult:
    plan: Plan
    registered: list[str] = field(default_factory=list)
    collections: list[CollectionResult] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        per = [c.totals() for c in self.collections]
        return {key: sum(t[key] for t in per) for key in TOTALS}

    def failures(self) -> list[FileResult]:
        return [f for c in self.collections for f in c.files if f.job is None]

    def to_dict(self) -> dict[str, Any]:
        root = self.plan.layout.root
        return {
            "layout": str(self.plan.layout.path),
            "folder": str(root),
            "agencies_registered": self.registered,
            "collections": [c.to_dict(root) for c in self.collections],
            "totals": self.totals(),
        }


# ------------------------------------------------------------------ planning


def plan(store: Store, actor: Actor, layout: Layout) -> Plan:
    """Check the layout against the store and governance; writes nothing."""
    known = agencies_service.registered(store)
    for entry in layout.agencies:
        _check_agency(layout, actor, entry, known)
    declared = {a.name: a.country for a in layout.agencies}
    steps = tuple(
        _step(store, actor, layout, entry, declared, known) for entry in layout.collections
    )
    return Plan(layout, tuple(a for a in layout.agencies if a.name not in known), steps)


def _check_agency(layout: Layout, actor: Actor, entry: AgencyEntry, known: dict[str, str]) -> None:
    """A declared agency agrees with its registration (and with the loading user's own)."""
    where = Where(layout.path, f"agency {entry.name!r}")
    if entry.name == actor.agency and entry.country != actor.country:
        raise where.error("country", f"{entry.name!r} is your own agency, of {actor.country}")
    registered = known.get(entry.name)
    if registered is not None and registered != entry.country:
        raise where.error("country", f"{entry.name!r} is registered for {registered}")


def _step(
    store: Store,
    actor: Actor,
    layout: Layout,
    entry: CollectionEntry,
    declared: dict[str, str],
    known: dict[str, str],
) -> Step:
    where = Where(layout.path, f"collection {entry.name!r}")
    owner = _owner(store, actor, where, entry, declared, known)
    with store.connect() as conn:
        current = collections_store.find_collection(conn, entry.name)
        foreign = current is not None and not owns(actor, current)
        # whose it is may be said only to an actor who may see it
        visible = foreign and Access(conn, actor).by_name(entry.name) is not None
    item = _item(where, entry, owner, current)
    if current is None:
        decision = may_create_collection(actor, item)
    elif foreign:
        held = f"{current.owner_agency} ({current.owner_country})" if visible else "another agency"
        raise AccessDenied(
            where.text(
                f"exists and belongs to {held}: only its owner adds data to it or changes it, "
                "so load it as one of its owner's users"
            )
        )
    else:
        decision = may_change_collection(actor, current, item)
    if not decision:
        raise AccessDenied(where.text(decision.reason))
    return Step(entry, item, current is not None, handover=not owns(actor, item))


def _owner(
    store: Store,
    actor: Actor,
    where: Where,
    entry: CollectionEntry,
    declared: dict[str, str],
    known: dict[str, str],
) -> tuple[str, str]:
    """The declared owner: the loading user's agency (no ``agency`` key), an agency this
    layout registers, or one already registered: the owner rule of ``collections create``."""
    agency, country = entry.agency, entry.country
    if agency is not None and agency != actor.agency and agency in declared:
        if country is not None and country != declared[agency]:
            message = f"agency {agency!r} is declared for {declared[agency]}, not {country}"
            raise where.error("country", message)
        return agency, declared[agency]
    try:
        return collections_service.owner(store, actor, agency, country)
    except InputError as exc:
        unknown = agency is not None and agency != actor.agency and agency not in known
        raise where.error("agency" if unknown else "country", str(exc)) from None


def _item(
    where: Where, entry: CollectionEntry, owner: tuple[str, str], current: Collection | None
) -> Collection:
    """The collection as declared; an update keeps its creation date and, unless the layout
    sets them, its label, description and review date (renewing a review is a decision
    of its own, ``threadline retention renew``)."""
    try:
        item = build_collection(
            entry.name,
            kind=entry.kind,
            owner_agency=owner[0],
            owner_country=owner[1],
            label=entry.label or (current.label if current else None),
            sharing=entry.sharing,
            shared_countries=entry.shared_with,
            watchlist=entry.watchlist,
            description=entry.description or (current.description if current else None),
            created_at=current.created_at if current else None,
            review_at=entry.review or (current.review_at if current else None),
        )
    except InputError as exc:
        raise where.error(None, str(exc)) from None
    return replace(item, id=current.id) if current else item


# ------------------------------------------------------------------ loading


class _Tracker:
    """Counts records and bytes over every file, for one progress display."""

    def __init__(self, progress: LoadProgress | None) -> None:
        self.progress = progress
        self.records = self.bytes = 0
        self.collection = ""

    def update(self, records: int, done: int) -> None:
        if self.progress is not None:
            self.progress(self.collection, self.records + records, self.bytes + done)

    def finished(self, file: FileEntry, job: Job | None) -> None:
        self.records += job.read if job is not None else 0
        self.bytes += file.size
        self.update(0, 0)


def load(
    store: Store, actor: Actor, plan: Plan, progress: LoadProgress | None = None
) -> LoadResult:
    """Carry out the plan; a file that fails is reported in its result, the others load."""
    result = LoadResult(plan)
    for agency in plan.register:
        agencies_service.register(store, actor, agency.name, agency.country)
        result.registered.append(agency.name)
    tracker = _Tracker(progress)
    for step in plan.steps:
        result.collections.append(_load_step(store, actor, step, tracker))
    return result


def _load_step(store: Store, actor: Actor, step: Step, tracker: _Tracker) -> CollectionResult:
    name = step.item.name
    loading = step.item
    if step.handover:
        loading = replace(loading, owner_agency=actor.agency, owner_country=actor.country)
    if step.exists:
        collections_service.update(store, actor, name, lambda current: loading)
    else:
        collections_service.create(store, actor, loading)
    tracker.collection = name
    files = tuple(_ingest(store, actor, name, file, tracker) for file in step.entry.files)
    entities = int(collections_service.show(store, actor, name)["entities"])
    handed_over = step.handover and all(f.job is not None for f in files)
    if handed_over:
        owner = (step.item.owner_agency, step.item.owner_country)
        collections_service.update(
            store,
            actor,
            name,
            lambda current: replace(current, owner_agency=owner[0], owner_country=owner[1]),
        )
    return CollectionResult(step, files, entities, handed_over)


def _ingest(
    store: Store, actor: Actor, name: str, file: FileEntry, tracker: _Tracker
) -> FileResult:
    try:
        job = collections_service.ingest(
            store,
            actor,
            file.path,
            name,
            format=file.format,
            options=dict(file.options),
            progress=tracker.update,
        ).job
    except ThreadlineError as exc:
        tracker.finished(file, None)
        return FileResult(file, None, str(exc))
    tracker.finished(file, job)
    return FileResult(file, job)

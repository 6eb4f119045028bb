"""Collections and their ingestion jobs: the one function each interface calls.

The command line, the API and the web pages list, show, create, change and fill
collections only through these functions, so a rule (who may create a watchlist,
who may change sharing, who owns a new collection, what a hidden job answers)
holds the same everywhere, and every change is audited in the transaction that
makes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from threadline.exc import InputError, NotFound
from threadline.governance import Actor
from threadline.governance.access import Access
from threadline.governance.audit import append, record
from threadline.governance.identity import list_agencies
from threadline.governance.policy import (
    AccessDenied,
    may_change_collection,
    may_create_collection,
    owns,
    require_may_add,
)
from threadline.governance.shield import Redactor
from threadline.ingest.runner import IngestResult, ingest_file
from threadline.model.collections import Collection
from threadline.store import Store
from threadline.store import collections as collections_store
from threadline.store import jobs as jobs_store
from threadline.store.jobs import Job, JobWarning, Rejection
from threadline.store.statements import count_entities, count_statements

COMPONENT = "collections"
Note = TypeVar("Note", Rejection, JobWarning)


def _missing(name: str) -> NotFound:
    return NotFound(f"no collection named {name!r} (see 'threadline collections list')")


def list_visible(store: Store, actor: Actor) -> list[Collection]:
    """Collections the actor may see, by name."""
    with store.connect() as conn:
        found = Access(conn, actor).collections.values()
    return sorted(found, key=lambda c: c.name)


def show(store: Store, actor: Actor, name: str) -> dict[str, Any]:
    """A collection the actor may see, with its entity and value counts (hidden and missing
    answer alike)."""
    with store.connect() as conn:
        item = Access(conn, actor).by_name(name)
        if item is None or item.id is None:
            raise _missing(name)
        data = item.to_dict()
        data["entities"] = count_entities(conn, item.id)
        data["statements"] = count_statements(conn, item.id)
    return data


def owner(
    store: Store, actor: Actor, agency: str | None = None, country: str | None = None
) -> tuple[str, str]:
    """The owner of a new collection: the actor's own agency, or a registered agency named by
    the caller with its registered country (a country that disagrees is an error)."""
    if agency is None or agency == actor.agency:
        if country is not None and country.upper() != actor.country:
            raise InputError(f"country {country} is not your agency's country ({actor.country})")
        return actor.agency, actor.country
    return agency, _registered_country(store, agency, country)


def _registered_country(store: Store, agency: str, country: str | None) -> str:
    """The country ``agency`` is registered with; an unknown agency, or a ``country`` that
    is not its registered one, is an error."""
    with store.connect() as conn:
        registered = {str(a["name"]): str(a["country"]) for a in list_agencies(conn)}
    if agency not in registered:
        raise InputError(f"no agency named {agency!r} (see 'threadline agencies list')")
    if country is not None and country.upper() != registered[agency]:
        raise InputError(
            f"agency {agency!r} belongs to {registered[agency]}, not {country.upper()}"
        )
    return registered[agency]


def create(store: Store, actor: Actor, item: Collection) -> Collection:
    """Create a collection; who may create it, with that owner and sharing, is governance's
    decision (a watchlist shared beyond its owner needs an administrator or a coordinator).
    An owner other than the actor's own agency must be a registered agency with its
    registered country, whichever interface asks."""
    decision = may_create_collection(actor, item)
    if not decision:
        _refused(store, actor, "collection.create", item.name, decision.reason)
    if (item.owner_agency, item.owner_country) != (actor.agency, actor.country):
        _registered_country(store, item.owner_agency, item.owner_country)
    with store.begin() as conn:
        created = collections_store.create_collection(conn, item)
        record(
            conn,
            actor,
            "collection.create",
            component=COMPONENT,
            target_type="collection",
            target_id=created.name,
            detail=_policy(created),
        )
    return created


def update(
    store: Store, actor: Actor, name: str, change: Callable[[Collection], Collection]
) -> Collection:
    """Change a collection the actor may see; the owner decides its sharing (audited with the
    old and new policy)."""
    with store.connect() as conn:
        current = Access(conn, actor).by_name(name)
    if current is None:
        raise _missing(name)
    wanted = change(current)
    decision = may_change_collection(actor, current, wanted)
    if not decision:
        _refused(store, actor, "collection.update", name, decision.reason)
    with store.begin() as conn:
        updated = collections_store.update_collection(conn, wanted)
        record(
            conn,
            actor,
            "collection.update",
            component=COMPONENT,
            target_type="collection",
            target_id=name,
            detail={"before": _policy(current), "after": _policy(updated)},
        )
    return updated


def _policy(item: Collection) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "owner": [item.owner_agency, item.owner_country],
        "sharing": item.sharing.value,
        "shared_countries": list(item.shared_countries),
        "watchlist": item.watchlist,
        "review_at": item.review_at.isoformat() if isinstance(item.review_at, datetime) else None,
    }


def _refused(store: Store, actor: Actor, action: str, name: str, reason: str) -> None:
    append(
        store,
        actor,
        action,
        component=COMPONENT,
        target_type="collection",
        target_id=name,
        outcome="denied",
        detail={"reason": reason},
    )
    raise AccessDenied(reason)


def ingest(
    store: Store,
    actor: Actor,
    path: Path,
    name: str,
    *,
    format: str | None = None,
    options: dict[str, Any] | None = None,
    progress: Any = None,
    batch_size: int | None = None,
    on_job: Callable[[Job], None] | None = None,
) -> IngestResult:
    """Ingest a file into a collection: an existing one only by its owner, a new one becomes
    the actor's agency's (owner-only until its owner shares it). Audited."""
    with store.connect() as conn:
        require_may_add(conn, actor, name)
    owner = None if actor.system else (actor.agency, actor.country)
    result = ingest_file(
        store,
        path,
        name,
        format=format,
        options=options,
        user=actor.user,
        progress=progress,
        batch_size=batch_size,
        on_job=on_job,
        owner=owner,
    )
    append(
        store,
        actor,
        "collection.ingest",
        component=COMPONENT,
        target_type="collection",
        target_id=name,
        result_count=result.job.stored,
        detail={
            "job": result.job.id,
            "file": path.name,
            "format": result.job.format,
            "created": result.collection_created is not None,
        },
    )
    if result.job.stored:
        _follow_up(store, actor, name, path)
    return result


def _follow_up(store: Store, actor: Actor, name: str, path: Path) -> None:
    """Queue what the newly stored data feeds (screening, tracing, linkage, ads)."""
    from threadline.services.worker import enqueue_follow_ups

    with store.connect() as conn:
        target = collections_store.find_collection(conn, name)
    if target is not None:
        enqueue_follow_ups(store, actor, name, target.kind, path=path)


def list_jobs(
    store: Store, actor: Actor, *, collection: str | None = None, limit: int = 50
) -> list[Job]:
    """Jobs on collections the actor may see, newest first."""
    with store.connect() as conn:
        access = Access(conn, actor)
        if collection is not None:
            found = access.by_name(collection)
            if found is None:
                raise _missing(collection)
            return jobs_store.list_jobs(conn, collection_id=found.id, limit=limit)
        names = access.collection_names
        return [j for j in jobs_store.list_jobs(conn, limit=10_000) if j.collection in names][
            :limit
        ]


def _visible_job(access: Access, job_id: int) -> tuple[Job, Collection]:
    """The job and its collection if the actor may see it; a hidden job answers as a
    missing one."""
    try:
        job: Job | None = jobs_store.get_job(access.conn, job_id)
    except NotFound:
        job = None
    target = access.by_name(job.collection) if job is not None else None
    if job is None or target is None:
        raise NotFound(f"no job with id {job_id}")
    return job, target


def _shown(items: list[Note], owner: bool, redactor: Redactor) -> list[Note]:
    """Rejection or warning lines as the actor may read them: excerpts (source text) are the
    owner's data, and victims' values are withheld from both text fields."""
    return [
        replace(
            item,
            excerpt=redactor.text(item.excerpt) if owner and item.excerpt else None,
            reason=redactor.text(item.reason),
        )
        for item in items
    ]


def get_job(
    store: Store,
    actor: Actor,
    job_id: int,
    *,
    limit: int = 500,
    offset: int = 0,
    audit: bool = True,
) -> tuple[Job, list[Rejection]]:
    """A job the actor may see with a page of its rejection report; the excerpts (source
    text) are the owner's data: other agencies see positions and reasons. Reading a report
    is audited (``audit=False`` for a progress poll, which returns no report). A hidden job
    answers as a missing one."""
    with store.connect() as conn:
        access = Access(conn, actor)
        job, target = _visible_job(access, job_id)
        if not audit:  # a progress poll: counts only, no rejection report
            return job, []
        rejections = jobs_store.list_rejections(conn, job_id, limit=limit, offset=offset)
        rejections = _shown(rejections, owns(actor, target), access.shield.redactor)
    append(
        store,
        actor,
        "job.read",
        component=COMPONENT,
        target_type="job",
        target_id=str(job_id),
        result_count=len(rejections),
    )
    return job, rejections


def get_job_warnings(
    store: Store, actor: Actor, job_id: int, *, limit: int = 500, offset: int = 0
) -> tuple[Job, list[JobWarning]]:
    """A page of a job's warnings (values of stored records that could not be used as sent),
    on the terms of the rejection report: excerpts for the owner only, victims' values
    withheld, audited, a hidden job answering as a missing one."""
    with store.connect() as conn:
        access = Access(conn, actor)
        job, target = _visible_job(access, job_id)
        warnings = jobs_store.list_warnings(conn, job_id, limit=limit, offset=offset)
        warnings = _shown(warnings, owns(actor, target), access.shield.redactor)
    append(
        store,
        actor,
        "job.warnings",
        component=COMPONENT,
        target_type="job",
        target_id=str(job_id),
        result_count=len(warnings),
    )
    return job, warnings

"""Collections and ingestion jobs (upload a file, read its rejection report)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from pydantic import BaseModel, Field

from threadline.api.deps import ActorDep, PageDep, StoreDep, paginated
from threadline.exc import NotFound
from threadline.governance import may_see_collection
from threadline.governance.audit import record
from threadline.model.collections import build_collection
from threadline.store import collections as collections_store
from threadline.store import jobs as jobs_store

router = APIRouter(tags=["collections and ingestion"])


class CollectionIn(BaseModel):
    name: str = Field(examples=["ads-2026"])
    kind: str = "other"
    label: str | None = None
    sharing: str = "owner"
    shared_countries: list[str] = []
    watchlist: bool = False
    description: str | None = None


@router.get("/collections")
def list_collections(store: StoreDep, actor: ActorDep, p: PageDep) -> dict[str, Any]:
    """Collections the caller may see."""
    with store.connect() as conn:
        items = [
            c for c in collections_store.list_collections(conn) if may_see_collection(actor, c)
        ]
    return paginated([c.to_dict() for c in items[p.offset : p.offset + p.limit + 1]], p, len(items))


@router.post("/collections", status_code=201)
def create_collection(body: CollectionIn, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """Create a collection owned by the caller's agency."""
    item = build_collection(
        body.name,
        kind=body.kind,
        label=body.label,
        owner_agency=actor.agency,
        owner_country=actor.country,
        sharing=body.sharing,
        shared_countries=body.shared_countries,
        watchlist=body.watchlist,
        description=body.description,
    )
    with store.begin() as conn:
        created = collections_store.create_collection(conn, item)
        record(
            conn,
            actor,
            "collection.create",
            component="api",
            target_type="collection",
            target_id=item.name,
        )
    return created.to_dict()


def _visible(store: StoreDep, actor: ActorDep, name: str) -> Any:
    with store.connect() as conn:
        found = collections_store.find_collection(conn, name)
    if found is None or not may_see_collection(actor, found):
        raise NotFound(f"no collection named {name!r}")
    return found


@router.get("/collections/{name}")
def get_collection(name: str, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    result: dict[str, Any] = _visible(store, actor, name).to_dict()
    return result


@router.post("/collections/{name}/files", status_code=201)
def upload(
    name: str,
    store: StoreDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="The file to ingest.")],
    format: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Ingest an uploaded file into a collection the caller's agency owns; returns the job."""
    from threadline.governance.policy import require_may_add
    from threadline.ingest.runner import ingest_file

    with store.connect() as conn:
        require_may_add(conn, actor, name)
    suffix = FilePath(file.filename or "upload").name
    with tempfile.TemporaryDirectory(prefix="threadline-upload-") as folder:
        path = FilePath(folder) / suffix
        with path.open("wb") as handle:
            shutil.copyfileobj(file.file, handle)
        result = ingest_file(store, path, name, format=format, user=actor.user)
    if result.collection_created is not None:
        with store.begin() as conn:
            from dataclasses import replace

            collections_store.update_collection(
                conn,
                replace(
                    result.collection_created,
                    owner_agency=actor.agency,
                    owner_country=actor.country,
                ),
            )
    return result.to_dict()


@router.get("/jobs")
def list_jobs(store: StoreDep, actor: ActorDep, p: PageDep) -> dict[str, Any]:
    """Ingestion jobs on collections the caller may see, newest first."""
    with store.connect() as conn:
        names = {
            c.name for c in collections_store.list_collections(conn) if may_see_collection(actor, c)
        }
        jobs = [j for j in jobs_store.list_jobs(conn, limit=10_000) if j.collection in names]
    window = jobs[p.offset : p.offset + p.limit + 1]
    return paginated([j.to_dict() for j in window], p, len(jobs))


@router.get("/jobs/{job_id}")
def get_job(
    job_id: Annotated[int, Path(ge=1, le=2**31 - 1)], store: StoreDep, actor: ActorDep, p: PageDep
) -> dict[str, Any]:
    """One job with a page of its rejection report (position and reason)."""
    with store.connect() as conn:
        job = jobs_store.get_job(conn, job_id)
        target = collections_store.get_collection(conn, job.collection)
        if not may_see_collection(actor, target):
            raise NotFound(f"no job with id {job_id}")
        rejections = jobs_store.list_rejections(conn, job_id, limit=p.limit + 1, offset=p.offset)
    data = job.to_dict()
    total = job.rejected + job.values_rejected  # records rejected, values left out
    data["rejections"] = paginated([r.to_dict() for r in rejections], p, total)
    return data

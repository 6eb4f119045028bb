"""Collections and ingestion jobs (upload a file, read its rejection and warning reports)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from pydantic import BaseModel, Field

from threadline.api.deps import ActorDep, PageDep, StoreDep, paginated
from threadline.model.collections import build_collection
from threadline.services import collections as collections_service

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
    items = collections_service.list_visible(store, actor)
    return paginated([c.to_dict() for c in items[p.offset : p.offset + p.limit + 1]], p, len(items))


@router.post("/collections", status_code=201)
def create_collection(body: CollectionIn, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """Create a collection owned by the caller's agency (a watchlist shared with others needs
    the administrator or operation_coordinator role)."""
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
    return collections_service.create(store, actor, item).to_dict()


@router.get("/collections/{name}")
def get_collection(name: str, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """A collection the caller may see, with its entity and value counts."""
    return collections_service.show(store, actor, name)


@router.post("/collections/{name}/files", status_code=201)
def upload(
    name: str,
    store: StoreDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="The file to ingest.")],
    format: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Ingest an uploaded file into a collection the caller's agency owns (a new one becomes
    theirs); returns the job."""
    suffix = FilePath(file.filename or "upload").name
    with tempfile.TemporaryDirectory(prefix="threadline-upload-") as folder:
        path = FilePath(folder) / suffix
        with path.open("wb") as handle:
            shutil.copyfileobj(file.file, handle)
        result = collections_service.ingest(store, actor, path, name, format=format)
    data: dict[str, Any] = result.to_dict()
    return data


@router.get("/jobs")
def list_jobs(store: StoreDep, actor: ActorDep, p: PageDep) -> dict[str, Any]:
    """Ingestion jobs on collections the caller may see, newest first."""
    jobs = collections_service.list_jobs(store, actor, limit=10_000)
    window = jobs[p.offset : p.offset + p.limit + 1]
    return paginated([j.to_dict() for j in window], p, len(jobs))


@router.get("/jobs/{job_id}")
def get_job(
    job_id: Annotated[int, Path(ge=1, le=2**31 - 1)], store: StoreDep, actor: ActorDep, p: PageDep
) -> dict[str, Any]:
    """One job with a page of its rejection report (position and reason)."""
    job, rejections = collections_service.get_job(
        store, actor, job_id, limit=p.limit + 1, offset=p.offset
    )
    data = job.to_dict()
    total = job.rejected + job.values_rejected  # records rejected, values left out
    data["rejections"] = paginated([r.to_dict() for r in rejections], p, total)
    return data


@router.get("/jobs/{job_id}/warnings")
def get_job_warnings(
    job_id: Annotated[int, Path(ge=1, le=2**31 - 1)], store: StoreDep, actor: ActorDep, p: PageDep
) -> dict[str, Any]:
    """A page of a job's warnings: values of stored records that could not be used as sent."""
    job, warnings = collections_service.get_job_warnings(
        store, actor, job_id, limit=p.limit + 1, offset=p.offset
    )
    return paginated([w.to_dict() for w in warnings], p, job.warnings)

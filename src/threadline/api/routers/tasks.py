"""Queued work: manifests sent by airline and border systems, and the caller's agency's tasks.

``POST /manifests`` is how an integrator (a carrier's or a border system's API client)
sends passenger data as it arrives: the manifest is queued and answered at once with
``202 Accepted`` and the task; a worker screens it as the sender (with the purpose and
reference sent) and raises the hits and referrals as alerts (``GET /alerts``). The
synchronous ``POST /screening/manifests`` stays for an officer waiting on one screen.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Response, UploadFile
from fastapi import File as FileParam

from threadline.api.deps import ActorDep, PurposeActor, StoreDep
from threadline.services import worker as worker_service

router = APIRouter(tags=["queued work"])


@router.post("/manifests", status_code=202)
def submit_manifest(
    store: StoreDep,
    actor: PurposeActor,
    response: Response,
    file: Annotated[UploadFile, FileParam(description="PAXLST (.edi) or manifest CSV (.csv).")],
    operation: Annotated[str | None, Form(max_length=100)] = None,
    country: Annotated[str | None, Form(max_length=60)] = None,
) -> dict[str, Any]:
    """Queue a manifest for screening (border officers and analysts; needs a purpose).

    Answers with the task (``state`` queued); its ``Location`` header is the task to poll.
    When the task is done its ``result`` holds the screening run and its counts, and the
    hits and referrals wait in ``GET /alerts``."""
    content = file.file.read(worker_service.MANIFEST_LIMIT + 1)
    task = worker_service.submit_manifest(
        store, actor, file.filename or "", content, operation=operation, country=country
    )
    response.headers["Location"] = f"/api/v1/tasks/{task.id}"
    return task.to_dict()


@router.get("/tasks")
def tasks(
    store: StoreDep,
    actor: ActorDep,
    state: Annotated[
        str | None, Query(max_length=16, description="queued, running, done or failed.")
    ] = None,
    kind: Annotated[
        str | None,
        Query(max_length=40, description="screen_manifest, trace, link, ads or rescreen."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """The caller's agency's tasks, newest first, and the count in each state."""
    items = worker_service.list_tasks(store, actor, state=state, kind=kind, limit=limit)
    return {
        "items": [t.to_dict() for t in items],
        "states": worker_service.task_counts(store, actor),
    }


@router.get("/tasks/{task_id}")
def task(
    store: StoreDep, actor: ActorDep, task_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> dict[str, Any]:
    """One task of the caller's agency (another agency's is 404)."""
    return worker_service.get_task(store, actor, task_id).to_dict()

"""Uploading a file to ingest from the browser, with the job's progress shown in the page."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.exc import ThreadlineError
from threadline.governance.policy import require_may_add
from threadline.settings import get_settings
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
WEB_BATCH = 2_000  # small transactions, so the page sees progress often
START_WAIT = 15.0  # seconds to wait for the job to exist before answering


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _save(upload: UploadFile) -> Path:
    folder = Path(get_settings().data_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(upload.filename or "upload").name or "upload"
    target = folder / f"{uuid.uuid4().hex[:12]}-{name}"
    with target.open("wb") as handle:
        while chunk := upload.file.read(1 << 20):
            handle.write(chunk)
    return target


@router.post("/collections/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    user: User,
    collection: Annotated[str, Form(max_length=100)],
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    format: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Start ingesting the file in the background and show its job page."""
    from threadline.services import collections as collections_service

    check_csrf(user, csrf_token)
    store = _store(request)
    actor = user.actor
    with store.connect() as conn:
        require_may_add(conn, actor, collection)  # refused before the file is even saved
    path = _save(file)
    started = threading.Event()
    outcome: dict[str, Any] = {}

    def job_started(job: Any) -> None:
        outcome["job"] = job.id
        started.set()

    def run() -> None:
        try:
            collections_service.ingest(
                store,
                actor,
                path,
                collection,
                format=format or None,
                batch_size=WEB_BATCH,
                on_job=job_started,
            )
        except ThreadlineError as exc:
            outcome["error"] = str(exc)
        finally:
            started.set()

    threading.Thread(target=run, name=f"ingest-{path.name}", daemon=True).start()
    started.wait(START_WAIT)
    if "job" in outcome:
        return RedirectResponse(f"/jobs/{outcome['job']}", status_code=303)
    return page(
        request,
        "error.html",
        status=422,
        title="The file could not be ingested",
        detail=outcome.get("error", "the upload is still being prepared; see Collections"),
        user=user,
    )


@router.get("/jobs/{job_id}/progress", response_class=HTMLResponse)
def progress(request: Request, user: User, job_id: int) -> Response:
    """The job's counts as a fragment the job page refreshes while the job runs."""
    from threadline.services import collections as collections_service

    job, _rejections = collections_service.get_job(
        _store(request), user.actor, job_id, limit=0, audit=False
    )
    return page(request, "_job_progress.html", job=job)

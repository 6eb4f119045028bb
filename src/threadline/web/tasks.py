"""The work queue of the user's agency: what waits, what runs, what was done, what failed.

Tasks name files and counts, not people, so the page needs no purpose. It refreshes itself
every 10 seconds (htmx), so a manifest sent by an airline system shows as queued, then
done with its hits and alerts, without reloading.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from threadline.exc import ThreadlineError
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
PAGE = 100


@router.get("/tasks", response_class=HTMLResponse)
def tasks(
    request: Request,
    user: User,
    state: Annotated[str, Query(max_length=16)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    from threadline.services.worker import KIND_NAMES, STATES, list_tasks, task_counts

    store: Store = request.app.state.store
    error, code = None, 200
    try:
        items = list_tasks(store, user.actor, state=state or None, kind=kind or None, limit=PAGE)
    except ThreadlineError as exc:
        items, error, code = [], str(exc), 422
    return page(
        request,
        "tasks.html",
        status=code,
        user=user,
        items=[t.to_dict() for t in items],
        counts=task_counts(store, user.actor),
        states=STATES,
        kinds=KIND_NAMES,
        shown_state=state,
        shown_kind=kind,
        error=error,
    )

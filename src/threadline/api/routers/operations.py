"""Coordinated operations: define, submit and confirm per-country outcomes, report.

Governance is in the operations package (coordinators define and confirm; a
participating country's agencies submit their own figures); every change and
every report export is audited there, in the request's transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from threadline.api.deps import ActorDep, PageDep, StoreDep, paginated
from threadline.operations import (
    build_report,
    build_spec,
    confirm_outcome,
    consolidate,
    create_operation,
    get_operation,
    list_operations,
    outcome_history,
    submit_outcome,
    validate_figures,
)

router = APIRouter(tags=["operations"])

MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv"}


class ParticipantIn(BaseModel):
    country: str = Field(examples=["KE"])
    contact_agency: str | None = Field(default=None, examples=["DCI Kenya"])


class OperationIn(BaseModel):
    code: str = Field(examples=["WEKA-III"])
    name: str | None = None
    edition: str | None = None
    start: str = Field(examples=["2026-06-01"])
    end: str = Field(examples=["2026-06-30"])
    countries: list[ParticipantIn]
    focus: list[str] = []
    coordinators: list[str] = []
    hotspots: list[str] = []
    border_points: list[str] = []
    description: str | None = None


class OutcomeIn(BaseModel):
    figures: dict[str, Any] = Field(
        description="The metrics that change: every metric left out keeps its value from "
        "the country's latest revision (a keyed one such as notices.red key by key).",
        examples=[{"arrests_trafficking": 9, "victims_rescued": 33, "notices": {"red": 1}}],
    )
    confirm: bool = False
    note: str | None = None
    source: str | None = None


class ConfirmIn(BaseModel):
    note: str | None = None


@router.get("/operations")
def operations(store: StoreDep, actor: ActorDep, p: PageDep) -> dict[str, Any]:
    """Operations, newest first (any signed-in user: figures are counts only)."""
    with store.connect() as conn:
        items = list_operations(conn)
    window = items[p.offset : p.offset + p.limit + 1]
    return paginated([op.to_dict() for op in window], p, len(items))


@router.post("/operations", status_code=201)
def create(body: OperationIn, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """Define an operation (operation coordinators)."""
    spec = build_spec(
        body.code,
        name=body.name,
        edition=body.edition,
        start=body.start,
        end=body.end,
        countries=[c.model_dump() for c in body.countries],
        focus=body.focus,
        coordinators=body.coordinators,
        hotspots=body.hotspots,
        border_points=body.border_points,
        description=body.description,
    )
    with store.begin() as conn:
        return create_operation(conn, spec, actor, component="api").to_dict()


@router.get("/operations/{code}")
def show(code: str, store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """The operation with its consolidated figures per country and in total."""
    with store.connect() as conn:
        return consolidate(conn, code).to_dict()


@router.post("/operations/{code}/outcomes/{country}", status_code=201)
def submit(
    code: str, country: str, body: OutcomeIn, store: StoreDep, actor: ActorDep
) -> dict[str, Any]:
    """Submit (or revise) a country's figures; an agency of that country or a coordinator.

    Only the metrics given change; the answer lists each change as old → new.
    """
    figures = validate_figures(body.figures)
    with store.begin() as conn:
        rev = submit_outcome(
            conn,
            code,
            country,
            figures,
            actor,
            confirm=body.confirm,
            source=body.source or "api",
            note=body.note,
            component="api",
        )
    return rev.to_dict()


@router.post("/operations/{code}/outcomes/{country}/confirm", status_code=201)
def confirm(
    code: str, country: str, store: StoreDep, actor: ActorDep, body: ConfirmIn | None = None
) -> dict[str, Any]:
    """Confirm a country's newest figures (operation coordinators)."""
    with store.begin() as conn:
        rev = confirm_outcome(
            conn, code, country, actor, note=body.note if body else None, component="api"
        )
    return rev.to_dict()


@router.get("/operations/{code}/outcomes/{country}")
def history(
    code: str, country: str, store: StoreDep, actor: ActorDep, p: PageDep
) -> dict[str, Any]:
    """Every revision of a country's figures, oldest first: who, when, the note, and each
    metric it changed as old → new (the items are what ``threadline ops history --json``
    prints)."""
    with store.connect() as conn:
        items = outcome_history(conn, code, country)
    window = items[p.offset : p.offset + p.limit + 1]
    return paginated([r.to_dict() for r in window], p, len(items))


@router.get("/operations/{code}/report")
def report(
    code: str,
    store: StoreDep,
    actor: ActorDep,
    format: Annotated[str, Query(pattern="^(html|pdf|csv)$")] = "html",
) -> Response:
    """The consolidated report as a download (HTML, PDF or CSV; counts only)."""
    with store.begin() as conn:
        get_operation(conn, code)
        _report, content = build_report(conn, actor, code, format, component="api")
    filename = f"{code}-report.{format}"
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

"""Operation pages: the list with a create form, one operation's report with its charts,
the outcomes form per country, and download links (the service functions govern and audit)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from threadline.exc import InputError
from threadline.governance import Role
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
BAR_WIDTH, CHART_HEIGHT = 28, 160


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _listing(request: Request, user: WebUser, status: int = 200, **extra: Any) -> Response:
    from threadline.operations import list_operations

    with _store(request).connect() as conn:
        items = list_operations(conn)
    coordinator = Role.OPERATION_COORDINATOR in user.actor.roles
    return page(
        request,
        "operations.html",
        status=status,
        user=user,
        operations=items,
        coordinator=coordinator,
        form=extra.pop("form", {}),
        **extra,
    )


@router.get("/operations", response_class=HTMLResponse)
def operations(request: Request, user: User) -> Response:
    return _listing(request, user)


@router.post("/operations", response_class=HTMLResponse)
def create(
    request: Request,
    user: User,
    csrf_token: Annotated[str, Form()] = "",
    code: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=255)] = "",
    start: Annotated[str, Form(max_length=10)] = "",
    end: Annotated[str, Form(max_length=10)] = "",
    countries: Annotated[str, Form(max_length=2000)] = "",
    focus: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    from threadline.operations import build_spec, create_operation

    check_csrf(user, csrf_token)
    form = {"code": code, "name": name, "start": start, "end": end, "countries": countries}
    try:
        spec = build_spec(
            code.strip(),
            name=name or None,
            start=start or None,
            end=end or None,
            countries=countries or None,
            focus=focus or None,
        )
        with _store(request).begin() as conn:
            create_operation(conn, spec, user.actor, component="web")
    except InputError as exc:
        return _listing(request, user, status=422, error=str(exc), form=form)
    return RedirectResponse(f"/operations/{spec.code}", status_code=303)


def _bars(report: Any) -> list[dict[str, Any]]:
    """Victims and arrests per country as bar heights for the inline SVG chart."""
    rows = []
    for c in report.countries:
        f = c.figures
        victims = f.get("victims_rescued") or f.get("victims_identified", 0)
        arrests = sum(f.get(k, 0) for k in ("arrests_trafficking", "arrests_smuggling"))
        rows.append({"country": c.country, "victims": victims, "arrests": arrests})
    top = max([1, *(max(r["victims"], r["arrests"]) for r in rows)])
    for index, r in enumerate(rows):
        r["x"] = 40 + index * (2 * BAR_WIDTH + 16)
        r["hv"] = round(r["victims"] / top * CHART_HEIGHT, 1)
        r["ha"] = round(r["arrests"] / top * CHART_HEIGHT, 1)
    return rows


def _report_page(
    request: Request, user: WebUser, code: str, status: int = 200, **extra: Any
) -> Response:
    from threadline.operations import consolidate
    from threadline.operations.metrics import COUNTS
    from threadline.operations.tabulate import total_lines

    with _store(request).connect() as conn:
        report = consolidate(conn, code)
    actor = user.actor
    coordinator = Role.OPERATION_COORDINATOR in actor.roles
    own = [c for c in report.operation.countries if coordinator or c == actor.country]
    bars = _bars(report)
    return page(
        request,
        "operation.html",
        status=status,
        user=user,
        r=report,
        op=report.operation,
        totals=total_lines(report),
        bars=bars,
        bar_width=BAR_WIDTH,
        chart_height=CHART_HEIGHT,
        chart_width=max(320, 60 + len(bars) * (2 * BAR_WIDTH + 16)),
        metrics=list(COUNTS.items()),
        submit_countries=own,
        coordinator=coordinator,
        **extra,
    )


@router.get("/operations/{code}", response_class=HTMLResponse)
def operation(request: Request, user: User, code: str) -> Response:
    return _report_page(request, user, code)


@router.post("/operations/{code}/outcomes", response_class=HTMLResponse)
async def submit(request: Request, user: User, code: str) -> Response:
    """The outcomes form: one number field per count metric, for one country."""
    from threadline.operations import submit_outcome, validate_figures
    from threadline.operations.metrics import COUNTS

    form = await request.form()
    check_csrf(user, str(form.get("csrf_token", "")))
    country = str(form.get("country", ""))
    raw = {k: str(form.get(k, "")).strip() for k in COUNTS if str(form.get(k, "")).strip()}
    try:
        figures = validate_figures(raw)
        with _store(request).begin() as conn:
            rev = submit_outcome(
                conn,
                code,
                country,
                figures,
                user.actor,
                source="web form",
                note=str(form.get("note", "")) or None,
                component="web",
            )
    except InputError as exc:
        return _report_page(request, user, code, status=422, error=str(exc))
    message = f"{rev.country}: revision {rev.revision} saved ({rev.status})."
    return _report_page(request, user, code, message=message)


@router.post("/operations/{code}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    user: User,
    code: str,
    csrf_token: Annotated[str, Form()] = "",
    country: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    from threadline.operations import confirm_outcome

    check_csrf(user, csrf_token)
    try:
        with _store(request).begin() as conn:
            rev = confirm_outcome(conn, code, country, user.actor, component="web")
    except InputError as exc:
        return _report_page(request, user, code, status=422, error=str(exc))
    message = f"{rev.country}: figures confirmed (revision {rev.revision})."
    return _report_page(request, user, code, message=message)


@router.get("/operations/{code}/report.{fmt}")
def download(request: Request, user: User, code: str, fmt: str) -> Response:
    from threadline.operations import build_report
    from threadline.operations.reports import FORMATS

    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    with _store(request).begin() as conn:
        _report, content = build_report(conn, user.actor, code, fmt, component="web")
    media = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv"}
    return Response(
        content,
        media_type=media[fmt],
        headers={"Content-Disposition": f'attachment; filename="{code}-report.{fmt}"'},
    )

"""Errors as RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from threadline.exc import ConfigError, InputError, NotFound, StoreError, ThreadlineError
from threadline.governance import Purpose
from threadline.governance.identity import AuthenticationFailed
from threadline.governance.policy import AccessDenied, PurposeRequired

PROBLEM = "application/problem+json"

_STATUS: list[tuple[type[Exception], int, str]] = [
    (AuthenticationFailed, 401, "Not signed in"),
    (AccessDenied, 403, "Not allowed"),
    (NotFound, 404, "Not found"),
    (InputError, 422, "Invalid input"),
    (StoreError, 503, "Store unavailable"),
    (ConfigError, 500, "Configuration error"),
]


def problem(status: int, title: str, detail: str, instance: str | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(ThreadlineError)
    async def _threadline(request: Request, exc: ThreadlineError) -> Response:
        status, title = 400, "Request failed"
        for cls, code, name in _STATUS:
            if isinstance(exc, cls):
                status, title = code, name
                break
        if isinstance(exc, AccessDenied):
            _audit_refusal(request, exc)
        if not request.url.path.startswith("/api/"):
            from threadline.web.rendering import page
            from threadline.web.session import current_web_user

            user = current_web_user(request)
            if isinstance(exc, PurposeRequired) and user is not None:
                return page(
                    request,
                    "purpose.html",
                    status=status,
                    detail=str(exc),
                    user=user,
                    next=str(request.url.path)
                    + (f"?{request.url.query}" if request.url.query else ""),
                    purposes=[p.value for p in Purpose],
                )
            return page(
                request, "error.html", status=status, title=title, detail=str(exc), user=user
            )
        return problem(status, title, str(exc), request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
            parts.append(f"{where}: {error.get('msg')}")
        return problem(422, "Invalid input", "; ".join(parts), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), str(exc.detail), request.url.path)


def _audit_refusal(request: Request, exc: AccessDenied) -> None:
    """A refused attempt is logged in its own transaction (the request's was rolled back)."""
    from threadline.governance.audit import record

    actor = getattr(request.state, "actor", None)
    if actor is None:
        try:
            from threadline.web.session import current_web_user

            web = current_web_user(request)
            actor = web.actor if web else None
        except Exception:  # noqa: BLE001 - never let logging a refusal fail the response
            actor = None
    if actor is None:
        return
    store = request.app.state.store
    with store.begin() as conn:
        record(
            conn,
            actor,
            "access.denied",
            component="api" if request.url.path.startswith("/api/") else "web",
            target_type="request",
            target_id=f"{request.method} {request.url.path}"[:300],
            outcome="denied",
            detail={"reason": str(exc)[:300]},
        )

"""The FastAPI application: routers under /api/v1, problem+json errors, the web pages."""

from __future__ import annotations

from fastapi import FastAPI

from threadline import __version__
from threadline.api import errors
from threadline.api.headers import SecurityHeaders
from threadline.api.routers import (
    ads,
    alerts,
    audit,
    collections,
    entities,
    linkage,
    network,
    notifications,
    operations,
    rules,
    screening,
    tasks,
    tracing,
    victims,
)
from threadline.store import Store, open_store

API_PREFIX = "/api/v1"
ROUTERS = [
    collections.router,
    entities.router,
    audit.router,
    operations.router,
    victims.router,
    notifications.router,
    alerts.router,
    screening.router,
    rules.router,
    ads.router,
    linkage.router,
    tracing.router,
    network.router,
    tasks.router,
]


def create_app(store: Store | None = None) -> FastAPI:
    """The application on a store (default: the configured one)."""
    app = FastAPI(
        title="Threadline",
        version=__version__,
        description="Counter-human-trafficking intelligence platform API.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.store = store or open_store()
    app.add_middleware(SecurityHeaders, docs_path=f"{API_PREFIX}/docs")
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)

    _install_web(app)

    @app.get(f"{API_PREFIX}/health", tags=["service"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app


def _install_web(app: FastAPI) -> None:
    from fastapi import Request
    from fastapi.responses import RedirectResponse
    from fastapi.staticfiles import StaticFiles

    from threadline.web.account import router as account_pages
    from threadline.web.ads import router as ad_pages
    from threadline.web.alerts import router as alert_pages
    from threadline.web.linkage import router as linkage_pages
    from threadline.web.network import router as network_pages
    from threadline.web.notifications import router as notification_pages
    from threadline.web.operations import router as operations_pages
    from threadline.web.rendering import HERE
    from threadline.web.routes import router
    from threadline.web.rules import router as rule_pages
    from threadline.web.screening import router as screening_pages
    from threadline.web.session import RememberPurpose, SignInRequired
    from threadline.web.tasks import router as task_pages
    from threadline.web.tracing import router as tracing_pages
    from threadline.web.uploads import router as upload_pages
    from threadline.web.victims import router as victim_pages

    app.add_middleware(RememberPurpose)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
    app.include_router(account_pages)
    app.include_router(upload_pages)
    app.include_router(operations_pages)
    app.include_router(victim_pages)
    app.include_router(notification_pages)
    app.include_router(alert_pages)
    app.include_router(ad_pages)
    app.include_router(screening_pages)
    app.include_router(linkage_pages)
    app.include_router(tracing_pages)
    app.include_router(network_pages)
    app.include_router(task_pages)
    app.include_router(rule_pages)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse("/login", status_code=303)

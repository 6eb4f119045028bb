"""The FastAPI application: routers under /api/v1, problem+json errors, the web pages."""

from __future__ import annotations

from fastapi import FastAPI

from threadline import __version__
from threadline.api import errors
from threadline.api.routers import audit, collections, entities
from threadline.store import Store, open_store

API_PREFIX = "/api/v1"
ROUTERS = [collections.router, entities.router, audit.router]


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
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)

    @app.get(f"{API_PREFIX}/health", tags=["service"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app

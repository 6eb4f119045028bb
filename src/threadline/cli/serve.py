"""``threadline serve``: the web application and API."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
) -> None:
    """Serve the web application and the REST API (/api/v1) on the configured store."""
    import uvicorn

    from threadline.cli.output import err_console
    from threadline.store import open_store

    open_store()  # migrate once, before the workers start
    err_console.print(
        f"Threadline on http://{host}:{port}/ (API docs: http://{host}:{port}/api/v1/docs)"
    )
    uvicorn.run(
        "threadline.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def register(root: typer.Typer) -> None:
    root.command("serve")(serve)

"""``threadline serve``: the web application and API."""

from __future__ import annotations

from pathlib import Path

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
    certfile: Path | None = typer.Option(
        None, "--https-cert", help="Serve HTTPS with this certificate (PEM); needs --https-key."
    ),
    keyfile: Path | None = typer.Option(
        None, "--https-key", help="The certificate's private key (PEM)."
    ),
    proxy: str | None = typer.Option(
        None,
        "--behind-proxy",
        help="Addresses of the reverse proxy in front (comma-separated): its X-Forwarded-For "
        "and X-Forwarded-Proto headers are trusted for the client address and HTTPS.",
    ),
    run_worker: bool | None = typer.Option(
        None,
        "--worker/--no-worker",
        help="Run a worker for queued tasks in this process (default: the serve_worker "
        "setting, on). Separate 'threadline worker' processes can run as well.",
    ),
) -> None:
    """Serve the web application and the REST API (/api/v1) on the configured store.

    Session cookies are marked Secure whenever a request came by HTTPS (directly
    with --https-cert/--https-key, or through a proxy named with --behind-proxy);
    the secure_cookies setting marks them Secure always. A worker runs queued tasks
    (manifests sent to the API, analyses of newly ingested data) unless --no-worker.
    """
    serve_app(
        host=host,
        port=port,
        workers=workers,
        certfile=certfile,
        keyfile=keyfile,
        proxy=proxy,
        run_worker=run_worker,
    )


def serve_app(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    proxy: str | None = None,
    run_worker: bool | None = None,
) -> None:
    """What ``threadline serve`` does (the demo serves through it too)."""
    import uvicorn

    from threadline.cli.output import err_console
    from threadline.exc import InputError
    from threadline.settings import get_settings
    from threadline.store import open_store

    if (certfile is None) != (keyfile is None):
        raise InputError("HTTPS needs both --https-cert and --https-key")
    for path in (certfile, keyfile):
        if path is not None and not path.is_file():
            raise InputError(f"no such file: {path}")
    db = open_store()  # migrate once, before the workers start
    if get_settings().serve_worker if run_worker is None else run_worker:
        from threadline.services.worker import start_background_worker

        start_background_worker(db)
    scheme = "https" if certfile else "http"
    err_console.print(
        f"Threadline on {scheme}://{host}:{port}/ (API docs: {scheme}://{host}:{port}/api/v1/docs)"
    )
    uvicorn.run(
        "threadline.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        proxy_headers=proxy is not None,
        forwarded_allow_ips=proxy if proxy is not None else None,
        server_header=False,
    )


def register(root: typer.Typer) -> None:
    root.command("serve")(serve)

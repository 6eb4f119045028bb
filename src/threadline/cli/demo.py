"""``threadline demo``: the README's first command: a simulated world, analysed, then served."""

from __future__ import annotations

from pathlib import Path

import typer

from threadline.cli.output import console, err_console


def demo(
    world: Path | None = typer.Option(None, "--world", help="Where to write the world."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app afterwards."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    scale: str = typer.Option(
        "small", "--scale", help="small (the demo), medium or large: analyses at scale."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed of the simulated world."),
) -> None:
    """Simulate a world (small by default), ingest it, run every analysis, create a user per
    role, serve."""
    from rich.table import Table

    from threadline.cli.context import store
    from threadline.services.demo import run_demo
    from threadline.settings import get_settings

    folder = world or Path(get_settings().data_dir) / "demo-world"
    db = store()
    with err_console.status("demo") as status:
        run = run_demo(
            db,
            folder,
            on_step=lambda label: status.update(f"demo: {label}…"),
            scale=scale,
            seed=seed,
        )
    for line in run.lines:
        console.print(f"• {line}")
    table = Table("user", "role", "password", title="Demo users (new passwords each run)")
    for username, role, password in run.credentials:
        table.add_row(username, role, password)
    console.print(table)
    if serve:
        from threadline.cli.serve import serve_app

        serve_app(host=host, port=port, workers=1, run_worker=True)


def register(root: typer.Typer) -> None:
    root.command("demo")(demo)

"""``threadline db``: schema migrations."""

from __future__ import annotations

import typer

from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Database schema and status.")


@app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    from threadline.store import open_store

    store = open_store(migrate=True)
    console.print(f"Database at revision {store.revision()}.")


@app.command("status")
def status(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show the database, its schema revision and how much it holds."""
    from threadline.services.status import store_status
    from threadline.store import open_store

    data = store_status(open_store(migrate=False))
    if json:
        print_json(data)
    else:
        for key, value in data.items():
            console.print(f"{key:10} {value}")

"""``threadline export``: write a collection out as FtM JSON lines."""

from __future__ import annotations

from pathlib import Path

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION


def export(
    collection: str = typer.Option(..., "--collection", "-c", help="Collection to export."),
    format: str = typer.Option("ftm", "--format", "-f", help="Output format: ftm."),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
) -> None:
    """Export a collection's entities (FtM JSON lines, readable by `ftm`, Aleph and yente)."""
    from threadline.cli.context import actor, store
    from threadline.cli.output import err_console, output_file
    from threadline.cli.progress import counting_bar
    from threadline.exc import InputError
    from threadline.services.export import export_ftm

    if format != "ftm":
        raise InputError(f"unknown export format {format!r}; available: ftm")
    db = store()
    who = actor(db, purpose, reference)
    with (
        output_file(out) as handle,
        counting_bar(f"export {collection}", None, noun="entities") as bar,
    ):
        count = export_ftm(db, collection, handle, progress=bar.update, actor=who)
    if out is not None:
        err_console.print(f"Wrote {count:,} entities to {out}.")


def register(root: typer.Typer) -> None:
    root.command("export")(export)

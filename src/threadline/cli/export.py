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
    import sys

    from threadline.cli.context import actor, store
    from threadline.cli.output import err_console
    from threadline.cli.progress import counting_bar
    from threadline.exc import InputError
    from threadline.services.export import export_ftm

    if format != "ftm":
        raise InputError(f"unknown export format {format!r}; available: ftm")
    db = store()
    if out is not None and out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")
    handle = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        with counting_bar(f"export {collection}", None, noun="entities") as bar:
            count = export_ftm(
                db, collection, handle, progress=bar.update, actor=actor(db, purpose, reference)
            )
    finally:
        if out is not None:
            handle.close()
    if out is not None:
        err_console.print(f"Wrote {count:,} entities to {out}.")


def register(root: typer.Typer) -> None:
    root.command("export")(export)

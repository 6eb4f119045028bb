"""``threadline ingest``: load files into a collection as jobs."""

from __future__ import annotations

from pathlib import Path

import typer

from threadline.cli.output import console, err_console, print_json


def ingest(
    files: list[Path] = typer.Argument(..., help="Files (or folders) to ingest."),
    collection: str = typer.Option(..., "--collection", "-c", help="Target collection name."),
    format: str | None = typer.Option(
        None, "--format", "-f", help="Reader to use (default: detected). See 'threadline formats'."
    ),
    mapping: Path | None = typer.Option(None, "--mapping", help="YAML mapping for CSV files."),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="Records per commit."),
    json: bool = typer.Option(False, "--json", help="Print the jobs as JSON."),
) -> None:
    """Ingest files into a collection; each file is a job with counts and a rejection report."""
    from threadline.cli.context import actor
    from threadline.cli.context import store as open_store
    from threadline.cli.progress import counting_bar
    from threadline.exc import InputError
    from threadline.ingest.runner import IngestResult
    from threadline.services import collections as collections_service

    paths = _expand(files)
    if not paths:
        raise InputError("no files to ingest (the folders given are empty)")
    db = open_store()
    who = actor(db)
    results: list[IngestResult] = []
    for path in paths:
        with counting_bar(f"ingest {path.name}", path.stat().st_size) as bar:
            result = collections_service.ingest(
                db,
                who,
                path,
                collection,
                format=format,
                options={"mapping": str(mapping) if mapping else None},
                batch_size=batch_size,
                progress=bar.update,
            )
        results.append(result)
        if result.collection_created is not None and not json:
            c = result.collection_created
            err_console.print(
                f"Created collection {c.name!r} (owner {c.owner_agency}, {c.owner_country}; "
                "sharing: owner only). Change it with 'threadline collections update'."
            )
        if result.resumed_from and not json:
            err_console.print(f"Resumed job {result.job.id} after record {result.resumed_from}.")
    if json:
        print_json([r.to_dict() for r in results] if len(results) > 1 else results[0].to_dict())
        return
    for result in results:
        job = result.job
        console.print(
            f"Job {job.id} {job.status}: {job.source} → {job.collection}: "
            f"read {job.read:,}, stored {job.stored:,}, rejected {job.rejected:,}, "
            f"warnings {job.warnings:,} ({job.entities:,} entities, {job.statements:,} new values)"
        )
        if job.rejected or job.warnings:
            console.print(
                f"  See the rejections and warnings with 'threadline jobs show {job.id}'."
            )


def _expand(files: list[Path]) -> list[Path]:
    from threadline.exc import InputError

    paths: list[Path] = []
    for item in files:
        if item.is_dir():
            paths.extend(sorted(p for p in item.rglob("*") if p.is_file()))
        elif item.is_file():
            paths.append(item)
        else:
            raise InputError(f"no such file or folder: {item}")
    return paths


def formats(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the file formats Threadline can ingest."""
    from rich.table import Table

    from threadline.ingest import list_readers

    readers = list_readers()
    if json:
        print_json(
            [
                {"name": r.name, "description": r.description, "extensions": list(r.extensions)}
                for r in readers
            ]
        )
        return
    table = Table("format", "description", "file names")
    for r in readers:
        table.add_row(r.name, r.description, ", ".join(r.extensions))
    console.print(table)


def register(root: typer.Typer) -> None:
    root.command("ingest")(ingest)
    root.command("formats")(formats)

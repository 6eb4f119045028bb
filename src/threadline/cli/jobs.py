"""``threadline jobs``: ingestion jobs, their counts and rejection reports."""

from __future__ import annotations

import typer

from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Ingestion jobs and their rejection reports.")


@app.command("list")
def list_jobs(
    collection: str | None = typer.Option(None, "--collection", "-c", help="Only this collection."),
    limit: int = typer.Option(50, "--limit", min=1, help="How many, newest first."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List ingestion jobs, newest first."""
    from rich.table import Table

    from threadline.cli.context import actor, store
    from threadline.services import collections as collections_service

    db = store()
    jobs = collections_service.list_jobs(db, actor(db), collection=collection, limit=limit)
    if json:
        print_json([job.to_dict() for job in jobs])
        return
    if not jobs:
        console.print("No jobs yet. Load data with 'threadline ingest FILE --collection NAME'.")
        return
    table = Table(
        "id", "status", "collection", "format", "source", "read", "stored", "rejected", "warnings"
    )
    for job in jobs:
        table.add_row(
            str(job.id),
            job.status,
            job.collection,
            job.format,
            job.source,
            f"{job.read:,}",
            f"{job.stored:,}",
            f"{job.rejected:,}",
            f"{job.warnings:,}",
        )
    console.print(table)


@app.command("show")
def show_job(
    job_id: int = typer.Argument(..., help="Job id (see 'threadline jobs list')."),
    limit: int = typer.Option(
        100, "--limit", min=0, help="How many rejections (and warnings) to show."
    ),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show one job with its counts, its rejection report (records and values left out) and
    its warnings."""
    from threadline.cli.context import actor, store
    from threadline.services import collections as collections_service

    db = store()
    who = actor(db)
    job, rejections = collections_service.get_job(db, who, job_id, limit=limit)
    _job, warnings = collections_service.get_job_warnings(db, who, job_id, limit=limit)
    if json:
        data = job.to_dict()
        data["rejections"] = [r.to_dict() for r in rejections]
        data["warning_report"] = [w.to_dict() for w in warnings]
        print_json(data)
        return
    console.print(f"[bold]Job {job.id}[/bold] ({job.status}) {job.format} {job.source}")
    console.print(f"  collection  {job.collection}")
    console.print(f"  started     {job.started_at:%Y-%m-%d %H:%M:%S} UTC by {job.created_by}")
    if job.finished_at:
        console.print(f"  finished    {job.finished_at:%Y-%m-%d %H:%M:%S} UTC")
    console.print(
        f"  records     read {job.read:,} · stored {job.stored:,} · rejected {job.rejected:,}"
        f" · warnings {job.warnings:,}"
    )
    if job.values_rejected:
        console.print(f"  values      {job.values_rejected:,} left out of stored records")
    console.print(f"  entities    {job.entities:,} ({job.statements:,} new values)")
    if job.error:
        console.print(f"  error       {job.error}")
    if rejections:
        console.print("  rejections (position: reason):")
        for item in rejections:
            console.print(f"    {item.position}: {item.reason}", markup=False)
        more = job.rejected + job.values_rejected - len(rejections)
        if more > 0:
            console.print(f"    … {more:,} more (use --limit)")
    if warnings:
        console.print(
            "  warnings (position: record: what could not be used; the record is stored):"
        )
        for note in warnings:
            console.print(
                f"    {note.position}: {note.source_id or '-'}: {note.reason}", markup=False
            )
        if job.warnings > len(warnings):
            console.print(f"    … {job.warnings - len(warnings):,} more (use --limit)")

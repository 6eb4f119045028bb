"""``threadline ingest``: load files into a collection as jobs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from threadline.cli.output import console, err_console, print_json

if TYPE_CHECKING:
    from threadline.ingest.runner import IngestResult


def ingest(
    files: list[Path] = typer.Argument(..., help="Files (or folders) to ingest."),
    collection: str = typer.Option(..., "--collection", "-c", help="Target collection name."),
    format: str | None = typer.Option(
        None, "--format", "-f", help="Reader to use (default: detected). See 'threadline formats'."
    ),
    mapping: Path | None = typer.Option(None, "--mapping", help="YAML mapping for CSV files."),
    sheet: str | None = typer.Option(
        None, "--sheet", help="Worksheet of an .xlsx file (default: the mapping's, else the first)."
    ),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="Records per commit."),
    json: bool = typer.Option(False, "--json", help="Print the jobs as JSON."),
) -> None:
    """Ingest files into a collection; each file is a job with counts and a rejection report.

    Several files (or a folder): a file that cannot be read is reported and the others are
    still ingested; the exit code is 2 when any file failed.
    """
    from threadline.cli.context import store as open_store
    from threadline.exc import InputError

    paths = _expand(files)
    if not paths:
        raise InputError("no files to ingest (the folders given are empty)")
    db = open_store()
    options = {"mapping": str(mapping) if mapping else None, "sheet": sheet}
    outcomes = [
        _ingest_one(db, path, collection, format, options, batch_size, json, alone=len(paths) == 1)
        for path in paths
    ]
    if len(paths) == 1:
        result = outcomes[0]
        assert not isinstance(result, str)
        if json:
            print_json(result.to_dict())
        else:
            _print_job(result)
        return
    _report(list(zip(paths, outcomes, strict=True)), json)


def _ingest_one(
    db: Any,
    path: Path,
    collection: str,
    format: str | None,
    options: dict[str, str | None],
    batch_size: int | None,
    json: bool,
    *,
    alone: bool,
) -> IngestResult | str:
    """One file's job, or (when other files follow) the reason it could not be ingested."""
    from threadline.cli.context import actor
    from threadline.cli.progress import counting_bar
    from threadline.exc import ThreadlineError
    from threadline.services import collections as collections_service

    try:
        with counting_bar(f"ingest {path.name}", path.stat().st_size) as bar:
            result = collections_service.ingest(
                db,
                actor(db),
                path,
                collection,
                format=format,
                options=options,
                batch_size=batch_size,
                progress=bar.update,
            )
    except ThreadlineError as exc:
        if alone:
            raise
        return str(exc)
    if result.collection_created is not None and not json:
        c = result.collection_created
        err_console.print(
            f"Created collection {c.name!r} (owner {c.owner_agency}, {c.owner_country}; "
            "sharing: owner only). Change it with 'threadline collections update'."
        )
    if result.resumed_from and not json:
        err_console.print(f"Resumed job {result.job.id} after record {result.resumed_from}.")
    if not json and not alone:
        _print_job(result)
    return result


def _print_job(result: IngestResult) -> None:
    job = result.job
    console.print(
        f"Job {job.id} {job.status}: {job.source} → {job.collection}: "
        f"read {job.read:,}, stored {job.stored:,}, rejected {job.rejected:,}, "
        f"warnings {job.warnings:,} ({job.entities:,} entities, {job.statements:,} new values)",
        markup=False,
    )
    if job.values_rejected:
        noun = "value" if job.values_rejected == 1 else "values"
        console.print(
            f"  {job.values_rejected:,} {noun} left out (each named with its record;"
            " the rest of the record was stored).",
            markup=False,
        )
    if job.rejected or job.values_rejected or job.warnings:
        console.print(
            f"  See the rejections and warnings with 'threadline jobs show {job.id}'.",
            markup=False,
        )


def _report(outcomes: list[tuple[Path, IngestResult | str]], json: bool) -> None:
    """Totals over the files; failures on standard error; exit code 2 if any file failed."""
    jobs = [o.job for _, o in outcomes if not isinstance(o, str)]
    failed = [(path, reason) for path, reason in outcomes if isinstance(reason, str)]
    totals = {
        "files": len(outcomes),
        "files_ok": len(jobs),
        "files_failed": len(failed),
        "read": sum(j.read for j in jobs),
        "stored": sum(j.stored for j in jobs),
        "rejected": sum(j.rejected for j in jobs),
        "values_rejected": sum(j.values_rejected for j in jobs),
    }
    if json:
        files = [
            {"source": str(path), "status": "failed", "error": o}
            if isinstance(o, str)
            else o.to_dict()
            for path, o in outcomes
        ]
        print_json({"files": files, "totals": totals})
    else:
        for path, reason in failed:
            named = reason if path.name in reason else f"{path}: {reason}"
            err_console.print(f"Failed: {named}", markup=False, soft_wrap=True)
        console.print(
            f"{totals['files']} files: {totals['files_ok']} ingested, {totals['files_failed']}"
            f" failed; records read {totals['read']:,}, stored {totals['stored']:,},"
            f" rejected {totals['rejected']:,}",
            markup=False,
        )
    if failed:
        from threadline.exc import InputError

        raise InputError(f"{len(failed)} of {len(outcomes)} files failed (listed above)")


def _expand(files: list[Path]) -> list[Path]:
    from threadline.exc import InputError

    paths: list[Path] = []
    for item in files:
        if item.is_dir():
            # Hidden files (.DS_Store, editors' swap files) are never data.
            found = (p for p in item.rglob("*") if p.is_file())
            paths.extend(
                sorted(
                    p
                    for p in found
                    if not any(part.startswith(".") for part in p.relative_to(item).parts)
                )
            )
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

"""``threadline load``: a folder of files into the collections its layout file declares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from threadline.cli.output import console, counted, err_console, print_json

if TYPE_CHECKING:
    from threadline.services.load import LoadResult, Plan


def load(
    directory: Path = typer.Argument(..., help="Folder of the files (and of its layout file)."),
    layout: Path | None = typer.Option(
        None, "--layout", help="Layout file (default: DIR/threadline-layout.toml)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check the layout and print what would be loaded; write nothing."
    ),
    json: bool = typer.Option(False, "--json", help="Print the summary (or the plan) as JSON."),
) -> None:
    """Load a folder as its layout file declares: agencies, collections and their files.

    Each collection is created or updated with its owner and sharing, and each file is
    ingested as its own job: refused records are counted and reported, a file that fails
    is named and the others still load (the exit code is then 2). The layout is checked
    whole first, so a mistake in it is refused before anything is written. See
    docs/loading.md.
    """
    from threadline.cli.context import actor, store
    from threadline.cli.progress import counting_bar
    from threadline.services import load as load_service
    from threadline.services.layout import read_layout

    checked = read_layout(directory, layout)
    db = store()
    who = actor(db)
    plan = load_service.plan(db, who, checked)
    if dry_run:
        if json:
            print_json({"dry_run": True, **plan.to_dict()})
        else:
            _print_plan(plan)
        return
    with counting_bar("load", plan.bytes) as bar:

        def show(collection: str, records: int, done: int) -> None:
            bar.label = f"load {collection}"
            bar.update(records, done)

        result = load_service.load(db, who, plan, progress=show)
    if json:
        print_json(result.to_dict())
    else:
        _print_summary(result, who.agency)
    _report_failures(result)


def _owner(agency: str, country: str) -> str:
    return f"{agency} ({country})"


def _print_plan(plan: Plan) -> None:
    from rich.table import Table

    if plan.register:
        names = ", ".join(_owner(a.name, a.country) for a in plan.register)
        console.print(
            f"Would register {counted(len(plan.register), 'agency', 'agencies')}: {names}."
        )
    table = Table("collection", "action", "kind", "owner", "sharing", "files")
    for step in plan.steps:
        item = step.item
        shared = f" ({', '.join(item.shared_countries)})" if item.shared_countries else ""
        formats = ", ".join(sorted({f.format for f in step.entry.files}))
        table.add_row(
            item.name,
            "update" if step.exists else "create",
            item.kind.value + (", watchlist" if item.watchlist else ""),
            _owner(item.owner_agency, item.owner_country),
            item.sharing.value + shared,
            f"{len(step.entry.files):,}" + (f" {formats}" if formats else ""),
        )
    console.print(table)
    handover = [step.item.name for step in plan.steps if step.handover]
    if handover:
        console.print(
            f"Would be loaded by your agency, then handed over to their owners: "
            f"{', '.join(handover)}.",
            markup=False,
        )
    console.print(
        f"Dry run: {counted(plan.files, 'file')} ({_size(plan.bytes)}) checked; nothing was"
        " written.",
        markup=False,
    )


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def _print_summary(result: LoadResult, agency: str) -> None:
    from rich.table import Table

    if result.registered:
        names = ", ".join(result.registered)
        noun = counted(len(result.registered), "agency", "agencies")
        console.print(f"Registered {noun}: {names}.", markup=False)
    table = Table(
        "collection",
        "owner",
        "files",
        "records stored",
        "records refused",
        "entities",
        title=f"Loaded {result.plan.layout.path}",
    )
    for item in result.collections:
        totals = item.totals()
        step = item.step
        failed = f" ({totals['files_failed']:,} failed)" if totals["files_failed"] else ""
        table.add_row(
            step.item.name,
            _owner(step.item.owner_agency, step.item.owner_country),
            f"{totals['files']:,}{failed}",
            f"{totals['records_stored']:,}",
            f"{totals['records_refused']:,}",
            f"{totals['entities']:,}",
        )
    totals = result.totals()
    table.add_section()
    table.add_row(
        "total",
        "",
        f"{totals['files']:,}",
        f"{totals['records_stored']:,}",
        f"{totals['records_refused']:,}",
        f"{totals['entities']:,}",
    )
    console.print(table)
    _print_notes(result, agency)


def _print_notes(result: LoadResult, agency: str) -> None:
    """Where to read the refusals, and which collections changed hands."""
    for item in result.collections:
        for file in item.files:
            job = file.job
            if job is not None and (job.rejected or job.values_rejected or job.warnings):
                counts = (
                    f"{counted(job.rejected, 'record')} refused, "
                    f"{counted(job.values_rejected, 'value')} left out, "
                    f"{counted(job.warnings, 'warning')}"
                )
                console.print(
                    f"{job.collection}: {file.file.path.name}: {counts}; see"
                    f" 'threadline jobs show {job.id}'.",
                    markup=False,
                )
    handed = [c.step.item.name for c in result.collections if c.handed_over]
    kept = [c.step.item.name for c in result.collections if c.step.handover and not c.handed_over]
    if handed:
        console.print(
            f"Loaded by {agency} and handed over to their owners: {', '.join(handed)}.",
            markup=False,
        )
    if kept:
        err_console.print(
            f"Not handed over (a file failed; fix it and load again): {', '.join(kept)}.",
            markup=False,
        )


def _report_failures(result: LoadResult) -> None:
    from threadline.exc import InputError

    failures = result.failures()
    for failure in failures:
        reason = failure.error or ""
        named = reason if str(failure.file.path) in reason else f"{failure.file.path}: {reason}"
        err_console.print(f"Failed: {named}", markup=False, soft_wrap=True)
    if failures:
        total = result.totals()["files"]
        raise InputError(f"{len(failures)} of {total} files failed (listed above)")


def register(root: typer.Typer) -> None:
    root.command("load")(load)

"""``threadline ops``: coordinated operations, per-country outcomes and consolidated reports.

Changes act as the user chosen with the root option ``--user`` (else the console
operator, an operation coordinator): coordinators define operations and confirm
figures, a participating country's agencies submit that country's figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from threadline.cli.output import console, print_json

if TYPE_CHECKING:
    from threadline.operations import OutcomeRevision

app = typer.Typer(
    no_args_is_help=True,
    help="Coordinated operations: define, collect each country's outcomes, report.",
)

JSON = typer.Option(False, "--json", help="Print as JSON.")


@app.command("create")
def create(
    code: str | None = typer.Argument(None, help="Operation code, e.g. WEKA-II."),
    file: Path | None = typer.Option(None, "--file", help="Operation definition (YAML)."),
    name: str | None = typer.Option(None, "--name", help="Operation name."),
    edition: str | None = typer.Option(None, "--edition", help="Edition (II, 2024 ...)."),
    start: str | None = typer.Option(None, "--start", help="First day, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--end", help="Last day, YYYY-MM-DD."),
    countries: str | None = typer.Option(
        None, "--countries", help="Participants: FR,ES or FR=contact agency,ES=..."
    ),
    focus: str | None = typer.Option(
        None, "--focus", help="Comma-separated: forced_labour, sexual_exploitation, ..."
    ),
    coordinator: list[str] = typer.Option([], "--coordinator", help="Coordinating body (repeat)."),
    hotspots: str | None = typer.Option(None, "--hotspots", help="Comma-separated places."),
    border_points: str | None = typer.Option(None, "--border-points", help="Comma-separated."),
    description: str | None = typer.Option(None, "--description"),
    json: bool = JSON,
) -> None:
    """Define an operation from options or a YAML file (options override the file)."""
    from threadline.cli.context import actor, store
    from threadline.exc import InputError
    from threadline.operations import build_spec, create_operation, read_spec

    fields: dict[str, Any] = {
        "name": name,
        "edition": edition,
        "start": start,
        "end": end,
        "countries": countries,
        "focus": focus,
        "coordinators": ",".join(coordinator) if coordinator else None,
        "hotspots": hotspots,
        "border_points": border_points,
        "description": description,
    }
    if file is not None:
        spec = read_spec(file, code=code, **fields)
    elif code is None:
        raise InputError("give an operation CODE or --file operation.yml")
    else:
        spec = build_spec(code, **fields)
    db = store()
    with db.begin() as conn:
        op = create_operation(conn, spec, actor(db))
    if json:
        print_json(op.to_dict())
    else:
        console.print(
            f"Created operation {op.code} ({op.start} to {op.end}, "
            f"{len(op.participants)} {'country' if len(op.participants) == 1 else 'countries'})."
        )


@app.command("list")
def list_(json: bool = JSON) -> None:
    """List operations, newest first."""
    from threadline.cli.context import store
    from threadline.operations import list_operations

    with store().connect() as conn:
        items = list_operations(conn)
    if json:
        print_json([op.to_dict() for op in items])
        return
    if not items:
        console.print("No operations yet. 'threadline ops create CODE ...' defines one.")
        return
    from rich.table import Table

    table = Table("code", "name", "edition", "start", "end", "countries")
    for op in items:
        table.add_row(
            op.code, op.name, op.edition or "", str(op.start), str(op.end), str(len(op.countries))
        )
    console.print(table)


@app.command("show")
def show(code: str = typer.Argument(..., help="Operation code."), json: bool = JSON) -> None:
    """Show an operation's consolidated figures (countries, totals, screening counts)."""
    from threadline.cli.context import store
    from threadline.operations import consolidate

    with store().connect() as conn:
        report = consolidate(conn, code)
    if json:
        print_json(report.to_dict())
        return
    from rich.table import Table

    from threadline.operations.tabulate import COUNTRY_COLUMNS, country_cells

    console.print(report.headline)
    console.print(report.status_line)
    table = Table("country", "status", *[label for _k, label in COUNTRY_COLUMNS])
    for row in report.countries:
        status = row.status + (f" r{row.revision}" if row.revision else "")
        table.add_row(row.country, status, *country_cells(row))
    console.print(table)


@app.command("submit")
def submit(
    code: str = typer.Argument(..., help="Operation code."),
    country: str = typer.Argument(..., help="Participating country (ISO code)."),
    file: Path = typer.Argument(..., help="Outcomes: CSV (metric,value rows) or JSON."),
    confirm: bool = typer.Option(False, "--confirm", help="Submit as confirmed figures."),
    note: str | None = typer.Option(None, "--note", help="Why the figures changed."),
    json: bool = JSON,
) -> None:
    """Submit (or revise) a country's outcome figures; every submission is a revision.

    A resubmission need give only the metrics that change: every metric it leaves out
    keeps its value from the country's latest revision (a keyed one such as notices.red
    key by key). To correct a figure reported in error, send its right value (0 if none).
    """
    from threadline.cli.context import actor, store
    from threadline.operations import read_figures, submit_outcome

    figures = read_figures(file)
    db = store()
    with db.begin() as conn:
        rev = submit_outcome(
            conn,
            code,
            country,
            figures,
            actor(db),
            confirm=confirm,
            source=file.name,
            note=note,
        )
    _print_revision(rev, code, json)


@app.command("confirm")
def confirm(
    code: str = typer.Argument(..., help="Operation code."),
    country: str = typer.Argument(..., help="Participating country."),
    note: str | None = typer.Option(None, "--note"),
    json: bool = JSON,
) -> None:
    """Confirm a country's newest figures (they stop being preliminary)."""
    from threadline.cli.context import actor, store
    from threadline.operations import confirm_outcome

    db = store()
    with db.begin() as conn:
        rev = confirm_outcome(conn, code, country, actor(db), note=note)
    _print_revision(rev, code, json)


def _print_revision(rev: OutcomeRevision, code: str, json: bool) -> None:
    if json:
        print_json(rev.to_dict())
        return
    changed = {c.metric.partition(".")[0] for c in rev.changes}
    kept = len(set(rev.figures) - changed)
    what = "; ".join(f"{c.metric} {_value(c.old)} → {_value(c.new)}" for c in rev.changes)
    console.print(
        f"{code} {rev.country}: revision {rev.revision}, {rev.status} "
        f"({len(rev.figures)} metrics: {len(changed)} changed, {kept} kept) "
        f"by {rev.changed_by}." + (f"\n  changed: {what}" if what else ""),
        highlight=False,
        markup=False,
    )


def _value(value: Any) -> str:
    """A figure as the history prints it; — where the metric was not reported."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


@app.command("history")
def history(
    code: str = typer.Argument(..., help="Operation code."),
    country: str = typer.Argument(..., help="Participating country."),
    json: bool = JSON,
) -> None:
    """Every revision of a country's figures: who, when, why, and each change as old → new."""
    from threadline.cli.context import store
    from threadline.operations import outcome_history

    with store().connect() as conn:
        items = outcome_history(conn, code, country)
    if json:
        print_json([r.to_dict() for r in items])
        return
    if not items:
        console.print(f"No figures submitted for {country.upper()} yet.")
    for rev in items:
        console.print(
            f"r{rev.revision} {rev.changed_at:%Y-%m-%d %H:%M} UTC {rev.status} by {rev.changed_by}"
            + (f" from {rev.source}" if rev.source else "")
            + (f": {rev.note}" if rev.note else ""),
            highlight=False,
            markup=False,
        )
        for change in rev.changes:
            console.print(
                f"    {change.metric}: {_value(change.old)} → {_value(change.new)}",
                highlight=False,
                markup=False,
            )
        if not rev.changes:
            console.print("    no change in figures", highlight=False)


@app.command("report")
def report(
    code: str = typer.Argument(..., help="Operation code."),
    fmt: str = typer.Option("html", "--format", help="html, pdf or csv."),
    out: Path | None = typer.Option(
        None, "--out", help="File to write (default: standard output; a PDF only when piped)."
    ),
) -> None:
    """Write the consolidated report (counts only; no victim's personal data)."""
    import sys

    from threadline.cli.context import actor, store
    from threadline.cli.output import err_console
    from threadline.exc import InputError
    from threadline.operations import build_report, write_report

    db = store()
    if out is not None:
        with db.begin() as conn:
            result = write_report(conn, actor(db), code, fmt.lower(), out)
        err_console.print(f"Wrote {out} ({result.status} figures).")
        return
    if fmt.lower() == "pdf" and sys.stdout.isatty():
        raise InputError("a PDF report is binary: give --out FILE or redirect the output")
    with db.begin() as conn:
        _report, content = build_report(conn, actor(db), code, fmt.lower())
    sys.stdout.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()

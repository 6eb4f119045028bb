"""``threadline trace``: missing-person tracing (a person query: purpose required, audited)."""

from __future__ import annotations

import typer

from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Match missing-person reports against sightings.")

PURPOSE = typer.Option(
    "victim_identification",
    "--purpose",
    help="investigation, border_check, victim_identification, operation or audit",
)
REFERENCE = typer.Option(None, "--reference", help="Case or operation reference.")


@app.command("run")
def run(
    purpose: str = PURPOSE,
    reference: str | None = REFERENCE,
    json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """Match every report you may see against every sighting you may see."""
    from threadline.cli.context import actor, store
    from threadline.tracing import run_tracing

    db = store()
    result = run_tracing(db, actor(db, purpose, reference))
    if json:
        print_json(result.to_dict())
        return
    console.print(
        f"Tracing run {result.run_id}: {result.reports} reports, {result.sightings} sightings, "
        f"{result.leads} leads ({result.alerts} new, alerted to the reports' owners)."
    )


@app.command("leads")
def leads(
    purpose: str = PURPOSE,
    reference: str | None = REFERENCE,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Leads, best first: report, sighting, kind, score and evidence."""
    from threadline.cli.context import actor, store
    from threadline.tracing import list_leads

    db = store()
    found = list_leads(db, actor(db, purpose, reference))
    if json:
        print_json(found)
        return
    for lead in found:
        console.print(
            f"{lead['report_id']} -> {lead['sighting_id']} ({lead['sighting_kind']}) "
            f"score {lead['score']:.2f}  {lead['when'] or ''} {lead['place'] or ''}"
        )


@app.command("show")
def show(
    report_id: str = typer.Argument(..., help="Entity id of the missing-person report."),
    purpose: str = PURPOSE,
    reference: str | None = REFERENCE,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """One report's leads and its trail of sightings in time order."""
    from threadline.cli.context import actor, store
    from threadline.tracing import show_report

    db = store()
    view = show_report(db, actor(db, purpose, reference), report_id)
    if json:
        print_json(view)
        return
    console.print(f"Report {report_id}: {len(view['leads'])} leads")
    for step in view["trail"]:
        console.print(
            f"  {step['when']}  {step['place'] or '?'}  {step['sighting_kind']} "
            f"{step['sighting_id']} ({step['score']:.2f})"
        )

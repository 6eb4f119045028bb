"""``threadline trace``: missing-person tracing (a person query: purpose required, audited)."""

from __future__ import annotations

from typing import Any

import typer

from threadline.cli.output import console, counted, print_json

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
        f"Tracing run {result.run_id}: {counted(result.reports, 'report')}, "
        f"{counted(result.sightings, 'sighting')}, {counted(result.leads, 'lead')} "
        f"({result.alerts:,} new, alerted to the reports' owners)."
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
            f"{_report(lead)} -> {_sighting(lead)} ({lead['sighting_kind']}) "
            f"score {lead['score']:.2f}  {lead['when'] or ''} {lead['place'] or ''}"
        )


def _report(lead: dict[str, Any]) -> str:
    protected = lead.get("report_protected")
    return f"{lead['report_id']} ({protected['label']})" if protected else str(lead["report_id"])


def _sighting(lead: dict[str, Any]) -> str:
    """The sighting's id, or a recorded victim's pseudonym when the id is withheld."""
    protected = lead.get("sighting_protected") or lead.get("protected")
    if not protected:
        return str(lead["sighting_id"])
    shown = lead["sighting_id"] or protected["pseudonym"]
    return f"{shown} ({protected['label']})"


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
    protected = view.get("report_protected")
    label = f" ({protected['label']}: {protected['guidance']})" if protected else ""
    console.print(f"Report {view['report_id']}{label}: {counted(len(view['leads']), 'lead')}")
    for step in view["trail"]:
        console.print(
            f"  {step['when']}  {step['place'] or '?'}  {step['sighting_kind']} "
            f"{_sighting(step)} ({step['score']:.2f})"
        )

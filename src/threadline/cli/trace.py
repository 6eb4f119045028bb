"""``threadline trace``: missing-person tracing (a person query: purpose required, audited)."""

from __future__ import annotations

from typing import Any

import typer

from threadline.cli.output import console, counted, minute, print_json

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
        f"({result.alerts:,} new); {counted(result.alerts_raised, 'alert')} raised and "
        f"{result.alerts_reopened:,} re-opened for the reports' owners and your agency "
        "(see 'threadline alerts list')."
        + (
            f" {counted(result.possible, 'sighting')} held back as possible, not leads: "
            "full birth dates more than a typing slip apart (see 'threadline trace show')."
            if result.possible
            else ""
        )
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
        where = "  ".join(part for part in (lead["when"], lead["place"]) if part)
        console.print(
            f"{_report(lead)} -> {_sighting(lead)} score {lead['score']:.2f}"
            + (f"  {where}" if where else ""),
            markup=False,
            highlight=False,
        )
        for flight in lead.get("flights") or []:
            console.print(f"    {_flight(flight)}", markup=False, highlight=False)


def _report(lead: dict[str, Any]) -> str:
    protected = lead.get("report_protected")
    return f"{lead['report_id']} ({protected['label']})" if protected else str(lead["report_id"])


def _sighting(lead: dict[str, Any]) -> str:
    """The sighting as a person reads it: caption, kind and id; a recorded victim's
    pseudonym when the id is withheld."""
    protected = lead.get("sighting_protected") or lead.get("protected")
    kind = (lead.get("sighting_kind") or "record").replace("_", " ")
    if not protected:
        caption = lead.get("caption")
        return (
            f"{caption} ({kind} {lead['sighting_id']})"
            if caption
            else f"{lead['sighting_id']} ({kind})"
        )
    shown = lead["sighting_id"] or protected["pseudonym"]
    return f"{shown} ({protected['label']})"


def _flight(flight: dict[str, Any]) -> str:
    """``YY3271 MNL 2025-01-19 06:35 → DXB 2025-01-19 13:35`` (countries beside the codes)."""

    def end(side: str) -> str:
        code = flight.get(f"{side}_airport") or "?"
        country = flight.get(f"{side}_country")
        when = minute(flight.get(f"{side}_time"))
        return " ".join(p for p in (f"{code}, {country}" if country else code, when) if p)

    return f"flight {flight.get('flight') or '?'}: {end('departure')} → {end('arrival')}"


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
    undated = view.get("undated", 0)
    console.print(
        f"Report {view['report_id']}{label}: {counted(len(view['leads']), 'lead')}, "
        f"{counted(len(view['trail']), 'dated step')} on the trail"
        + (f", {undated} without a date (listed after it)" if undated else ""),
        markup=False,
        highlight=False,
    )
    for step in view["trail"]:
        console.print(
            f"  {step['when']}  {step['place'] or '?'}  {_sighting(step)} ({step['score']:.2f})",
            markup=False,
            highlight=False,
        )
        for flight in step.get("flights") or []:
            console.print(f"      {_flight(flight)}", markup=False, highlight=False)
    if undated:
        console.print("Without a date:", highlight=False)
        for lead in view["leads"]:
            if not lead["when"]:
                place = f"  {lead['place']}" if lead["place"] else ""
                console.print(
                    f"  {_sighting(lead)} ({lead['score']:.2f}){place}",
                    markup=False,
                    highlight=False,
                )
    held = view.get("possible") or []
    if held:
        console.print("Possible, not leads:", highlight=False)
    for item in held:
        reason = next(
            (e["evidence"] for e in item["evidence"] if e.get("feature") == "decision_cap"), ""
        )
        console.print(
            f"  {_sighting(item)} ({item['score']:.2f})  {reason}", markup=False, highlight=False
        )

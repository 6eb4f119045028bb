"""``threadline person``: data subjects' rights (access and erasure)."""

from __future__ import annotations

import typer

from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Everything held about one person; erasure.")

PURPOSE_HELP = "investigation, border_check, victim_identification, operation or audit"


@app.command("export")
def export(
    entity_id: str = typer.Argument(..., help="Entity id of the person."),
    purpose: str = typer.Option(..., "--purpose", help=PURPOSE_HELP),
    reference: str | None = typer.Option(None, "--reference", help="Case or operation ref."),
) -> None:
    """Print (JSON) every value, merge and finding held about a person that you may see."""
    from threadline.cli.context import actor, store
    from threadline.governance.rights import person_data

    db = store()
    print_json(person_data(db, actor(db, purpose, reference), entity_id))


@app.command("erase")
def erase(
    entity_id: str = typer.Argument(..., help="Entity id of the person."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the audit log)."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Erase what your agency holds about a person (values, findings, alerts, screened
    manifests with them on board); the audit chain stays verifiable."""
    from threadline.cli.context import actor, store
    from threadline.services.rights import erase_person

    db = store()
    counts = erase_person(db, actor(db), entity_id, reason)
    if json:
        print_json(counts)
    else:
        console.print(
            f"Erased {counts['values']} values, {counts['findings']} findings, "
            f"{counts['alerts']} alerts and {counts['archived_manifests']} archived manifests; "
            f"{counts['queued_manifests']} manifests waiting to be screened withdrawn."
        )

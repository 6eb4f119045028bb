"""``threadline entities``: look at one entity with its sources; merge and split."""

from __future__ import annotations

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION
from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Entities with their sources; reversible merges.")


@app.command("show")
def show(
    entity_id: str = typer.Argument(..., help="Entity id (a merged id or any member's)."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show an entity: every value with the collection, job and source record it came from."""
    from rich.table import Table

    from threadline.cli.context import actor, store
    from threadline.services.entities import get_entity

    db = store()
    view = get_entity(db, entity_id, actor(db, purpose, reference))
    if json:
        print_json(view.to_dict())
        return
    console.print(f"[bold]{view.entity.caption}[/bold] ({view.entity.schema.label}) {view.id}")
    if len(view.members) > 1:
        console.print(f"merged from: {', '.join(view.members)}")
    table = Table("property", "value", "collection", "job", "source record")
    for value in view.values:
        if value.prop == "id":
            continue
        p = value.provenance
        table.add_row(value.prop, value.value, p.collection, str(p.job_id or ""), p.source_id)
    console.print(table)


@app.command("merge")
def merge(
    entity_ids: list[str] = typer.Argument(..., help="Two or more entity ids."),
    reason: str | None = typer.Option(None, "--reason", help="Why they are the same."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Merge entities into one (reversible with 'split'; no source value is lost)."""
    from threadline.cli.context import actor, store
    from threadline.services.entities import merge as merge_service

    db = store()
    canonical = merge_service(db, entity_ids, actor=actor(db), reason=reason)
    if json:
        print_json({"id": canonical, "members": sorted(set(entity_ids))})
    else:
        console.print(f"Merged into {canonical}.")


@app.command("split")
def split(
    entity_id: str = typer.Argument(..., help="A member id, or a merged id to undo entirely."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Take an entity out of a merge."""
    from threadline.cli.context import actor, store
    from threadline.services.entities import split as split_service

    db = store()
    remaining = split_service(db, entity_id, actor=actor(db))
    if json:
        print_json({"id": entity_id, "remaining": remaining})
    else:
        console.print(f"Split {entity_id}; {len(remaining)} entities remain merged.")

"""``threadline search``: find entities by name in the collections you may see."""

from __future__ import annotations

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION
from threadline.cli.output import console, print_json


def search(
    q: str = typer.Argument(..., metavar="QUERY", help="Part of a name (at least 2 characters)."),
    schema: str | None = typer.Option(
        None, "--schema", help="Only this entity type (Person, Company, Passport...)."
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="At most this many."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many (paging)."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Entities whose names contain QUERY (case-insensitive), as the search page finds them:
    only what you may see, a possible victim never by name unless you may see her, and the
    query recorded in the audit log with its purpose."""
    from rich.table import Table

    from threadline.cli.context import actor, store
    from threadline.services.search import search_entities

    db = store()
    found = search_entities(
        db, actor(db, purpose, reference), q, schema=schema, limit=limit, offset=offset
    )
    more = len(found) > limit
    found = found[:limit]
    if json:
        print_json(
            {
                "items": [r.to_dict() for r in found],
                "next_offset": offset + limit if more else None,
            }
        )
        return
    if not found:
        console.print(f"No entity you may see has a name containing {q.strip()!r}.")
        return
    table = Table("id", "type", "name", "other names", "countries")
    for result in found:
        others = [n for n in result.names if n != result.caption]
        table.add_row(
            result.id, result.schema, result.caption, "; ".join(others), ", ".join(result.countries)
        )
    console.print(table)
    if more:
        console.print(f"More results: add --offset {offset + limit}.")


def register(root: typer.Typer) -> None:
    root.command("search")(search)

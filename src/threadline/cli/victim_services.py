"""``threadline victims services``: the directory of support services per country."""

from __future__ import annotations

import typer

from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Directory of support services.")
JSON = typer.Option(False, "--json", help="Print as JSON.")


@app.command("list")
def services_list(
    country: str | None = typer.Option(None, "--country"),
    kind: str | None = typer.Option(None, "--kind"),
    json: bool = JSON,
) -> None:
    """List support services, by country and kind."""
    from threadline.cli.context import store
    from threadline.victims import list_services

    with store().connect() as conn:
        items = list_services(conn, country_code=country, kind=kind)
    if json:
        print_json([s.to_dict() for s in items])
        return
    if not items:
        console.print("No services listed. 'threadline victims services add' adds one.")
    for s in items:
        langs = f" [{', '.join(s.languages)}]" if s.languages else ""
        console.print(f"{s.id:>4} {s.country} {s.kind:<20} {s.name}{langs}")


@app.command("add")
def services_add(
    country: str = typer.Argument(..., help="Country (ISO code)."),
    kind: str = typer.Argument(..., help="shelter, medical, psychological, legal_aid, ..."),
    name: str = typer.Argument(..., help="Organisation name."),
    contact: str | None = typer.Option(None, "--contact", help="The organisation's contact point."),
    languages: str | None = typer.Option(None, "--languages", help="Comma-separated ISO 639."),
    note: str | None = typer.Option(None, "--note"),
    json: bool = JSON,
) -> None:
    """Add a support service to the directory."""
    from threadline.cli.context import store
    from threadline.victims import add_service

    with store().begin() as conn:
        item = add_service(
            conn,
            country,
            kind,
            name,
            contact=contact,
            languages=(languages or "").split(","),
            note=note,
        )
    if json:
        print_json(item.to_dict())
    else:
        console.print(f"Added service {item.id}: {item.name} ({item.kind}, {item.country}).")

"""``threadline collections``: datasets, their owners and sharing policies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer

from threadline.cli.output import console, print_json, shown

if TYPE_CHECKING:
    from threadline.model.collections import Collection

app = typer.Typer(no_args_is_help=True, help="Collections: owner, kind, sharing and review date.")

KIND_HELP = (
    "ads, notices, travel-documents, manifests, case-records, missing-persons, "
    "identified-persons, victims or other"
)


def _countries(value: str | None) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()] if value else []


def _render(items: list[Collection]) -> None:
    from rich.table import Table

    table = Table("name", "kind", "owner", "country", "sharing", "watchlist", "review")
    for c in items:
        shared = f" ({', '.join(c.shared_countries)})" if c.shared_countries else ""
        review = f"{c.review_at:%Y-%m-%d}" if c.review_at else ""
        table.add_row(
            c.name,
            c.kind.value,
            c.owner_agency,
            c.owner_country,
            c.sharing.value + shared,
            "yes" if c.watchlist else "",
            review,
        )
    console.print(table)


@app.command("list")
def list_(json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List collections."""
    from threadline.cli.context import actor, store
    from threadline.services import collections as collections_service

    db = store()
    items = collections_service.list_visible(db, actor(db))
    if json:
        print_json([c.to_dict() for c in items])
    elif not items:
        console.print("No collections yet. 'threadline ingest FILE -c NAME' creates one.")
    else:
        _render(items)


@app.command("create")
def create(
    name: str = typer.Argument(..., help="Collection name (lower case, digits, - _ .)."),
    kind: str = typer.Option("other", "--kind", help=KIND_HELP),
    label: str | None = typer.Option(None, "--label", help="Human-readable title."),
    agency: str | None = typer.Option(None, "--agency", help="Owning agency (default: config)."),
    country: str | None = typer.Option(None, "--country", help="Owning country, ISO 3166."),
    sharing: str = typer.Option("owner", "--sharing", help="owner, countries or all."),
    shared_with: str | None = typer.Option(
        None, "--shared-with", help="Comma-separated countries (with --sharing countries)."
    ),
    watchlist: bool = typer.Option(False, "--watchlist", help="Screen travellers against it."),
    review: datetime | None = typer.Option(
        None, "--review", formats=["%Y-%m-%d"], help="Review date (default: in five years)."
    ),
    description: str | None = typer.Option(None, "--description", help="What it holds."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Create a collection with its owner and sharing policy."""
    from datetime import UTC

    from threadline.cli.context import actor, store
    from threadline.model.collections import build_collection
    from threadline.services import collections as collections_service

    db = store()
    who = actor(db)
    owner_agency, owner_country = collections_service.owner(db, who, agency, country)
    item = build_collection(
        name,
        kind=kind,
        label=label,
        owner_agency=owner_agency,
        owner_country=owner_country,
        sharing=sharing,
        shared_countries=_countries(shared_with),
        watchlist=watchlist,
        description=description,
        review_at=review.replace(tzinfo=UTC) if review else None,
    )
    created = collections_service.create(db, who, item)
    if json:
        print_json(created.to_dict())
    else:
        console.print(f"Created collection {created.name!r}.")


@app.command("update")
def update(
    name: str = typer.Argument(..., help="Collection name."),
    kind: str | None = typer.Option(None, "--kind", help=KIND_HELP),
    label: str | None = typer.Option(None, "--label"),
    sharing: str | None = typer.Option(None, "--sharing", help="owner, countries or all."),
    shared_with: str | None = typer.Option(None, "--shared-with", help="Comma-separated."),
    watchlist: bool | None = typer.Option(None, "--watchlist/--no-watchlist"),
    review: datetime | None = typer.Option(None, "--review", formats=["%Y-%m-%d"]),
    description: str | None = typer.Option(None, "--description"),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Change a collection's kind, sharing policy, watchlist flag or review date."""
    from datetime import UTC

    from threadline.cli.context import actor, store
    from threadline.model.collections import build_collection
    from threadline.services import collections as collections_service

    def change(current: Collection) -> Collection:
        new_sharing = sharing or current.sharing.value
        countries = (
            _countries(shared_with)
            if shared_with is not None
            else (list(current.shared_countries) if new_sharing == "countries" else [])
        )
        return build_collection(
            name,
            kind=kind or current.kind.value,
            label=label or current.label,
            owner_agency=current.owner_agency,
            owner_country=current.owner_country,
            sharing=new_sharing,
            shared_countries=countries,
            watchlist=current.watchlist if watchlist is None else watchlist,
            description=description if description is not None else current.description,
            created_at=current.created_at,
            review_at=review.replace(tzinfo=UTC) if review else current.review_at,
        )

    db = store()
    updated = collections_service.update(db, actor(db), name, change)
    if json:
        print_json(updated.to_dict())
    else:
        console.print(f"Updated collection {updated.name!r}.")


@app.command("show")
def show(
    name: str = typer.Argument(..., help="Collection name."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a collection with its entity and value counts."""
    from threadline.cli.context import actor, store
    from threadline.services import collections as collections_service

    db = store()
    data = collections_service.show(db, actor(db), name)
    if json:
        print_json(data)
        return
    from rich.table import Table

    table = Table("field", "value", show_header=False, box=None)
    for key, value in data.items():
        table.add_row(key.replace("_", " "), shown(value))
    console.print(table)

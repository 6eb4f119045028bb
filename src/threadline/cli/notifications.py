"""``threadline notifications``: what other agencies notified your agency of; acknowledge it.

Acts as the registered user named by ``--user`` (or THREADLINE_USER): the inbox is
that user's agency's. Reads and acknowledgements are audited.
"""

from __future__ import annotations

import typer

from threadline.cli.output import console, print_json

app = typer.Typer(no_args_is_help=True, help="Notifications addressed to your agency.")
JSON = typer.Option(False, "--json", help="Print as JSON.")


@app.command("list")
def list_(
    status: str | None = typer.Option(None, "--status", help="pending or acknowledged."),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="Most shown."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many (newest first)."),
    json: bool = JSON,
) -> None:
    """Notifications addressed to your agency, newest first."""
    from threadline.cli.context import actor, store
    from threadline.victims import inbox

    db = store()
    with db.begin() as conn:
        items, total = inbox(conn, actor(db), status=status, limit=limit, offset=offset)
    if json:
        print_json({"items": [n.to_dict() for n in items], "total": total, "offset": offset})
        return
    if not items:
        console.print("No notifications for your agency.")
    for n in items:
        sender = f"{n.from_agency} ({n.from_country})" if n.from_agency else "another agency"
        state = (
            f"acknowledged by {n.acknowledged_by} {n.acknowledged_at:%Y-%m-%d %H:%M}"
            if n.acknowledged_at
            else "PENDING"
        )
        console.print(f"{n.id:>4}  {n.created_at:%Y-%m-%d}  from {sender}  ({state})")
        console.print(f"      {n.message}", markup=False)
    if offset + len(items) < total:
        console.print(f"{total - offset - len(items)} more: --offset {offset + len(items)}")


@app.command("ack")
def ack(
    notification_id: int = typer.Argument(..., min=1, help="The notification's number."),
    json: bool = JSON,
) -> None:
    """Acknowledge a notification addressed to your agency (who and when are recorded)."""
    from threadline.cli.context import actor, store
    from threadline.victims import acknowledge

    db = store()
    with db.begin() as conn:
        item = acknowledge(conn, actor(db), notification_id)
    if json:
        print_json(item.to_dict())
        return
    console.print(f"Notification {item.id} acknowledged by {item.acknowledged_by}.")

"""``threadline alerts``: the new leads, hits and referrals waiting for your agency; triage.

Acts as the registered user named by ``--user`` (or THREADLINE_USER): the alerts are that
user's agency's. Alerts name people, so reading them takes a purpose, and every read and
every triage step is audited.
"""

from __future__ import annotations

from typing import Any

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION
from threadline.cli.output import console, counted, print_json, shown

app = typer.Typer(
    no_args_is_help=True, help="Alerts for your agency (leads, hits, referrals) and their triage."
)
JSON = typer.Option(False, "--json", help="Print as JSON.")


@app.command("list")
def list_(
    state: str | None = typer.Option(
        None, "--state", help="new, reviewed, confirmed, dismissed or reopened."
    ),
    kind: str | None = typer.Option(
        None, "--kind", help="trace_lead, screening_hit, safeguarding or rule."
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="Most shown."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many (newest first)."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = JSON,
) -> None:
    """Your agency's alerts, most recently changed first, with the count in each state.

    --json prints {"items": [{id, kind, subject_id, related_id, score, decision, state,
    created_at, explanation, ...}], "total", "offset", "states"}.
    """
    from threadline.alerts import list_alerts
    from threadline.cli.context import actor, store

    db = store()
    with db.begin() as conn:
        items, total, states = list_alerts(
            conn, actor(db, purpose, reference), state=state, kind=kind, limit=limit, offset=offset
        )
    if json:
        print_json({"items": items, "total": total, "offset": offset, "states": states})
        return
    console.print(
        ", ".join(f"{count:,} {name}" for name, count in states.items()) + " in all",
        highlight=False,
    )
    if not items:
        what = f" {state}" if state else ""
        console.print(f"No{what} alerts for your agency.")
    for item in items:
        _print_alert(item)
    if offset + len(items) < total:
        console.print(f"{total - offset - len(items)} more: --offset {offset + len(items)}")


def _print_alert(item: dict[str, Any]) -> None:
    from threadline.alerts import KIND_NAMES

    detail = item.get("detail") or {}
    score = f" {item['score']:.2f}" if isinstance(item.get("score"), int | float) else ""
    console.print(
        f"{item['id']:>5}  {item['state'].upper():<9} {KIND_NAMES.get(item['kind'], item['kind'])}"
        f" ({item['decision'] or '-'}{score})  {shown(item['updated_at'])}",
        markup=False,
        highlight=False,
    )
    who = item.get("subject_protected") or item.get("related_protected")
    if who:
        console.print(f"       {who['label']}: {item.get('withheld', '')}", markup=False)
    elif detail.get("caption"):
        console.print(f"       {detail['caption']}", markup=False, highlight=False)
    if detail.get("message"):
        console.print(f"       {detail['message']}", markup=False, highlight=False)
    if detail.get("changed"):
        console.print(f"       changed: {detail['changed']}", markup=False, highlight=False)


@app.command("show")
def show(
    alert_id: int = typer.Argument(..., min=1, help="The alert's number."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = JSON,
) -> None:
    """One alert with its evidence and every triage step (who, when, why)."""
    from threadline.alerts import alert_history
    from threadline.cli.context import actor, store

    db = store()
    with db.begin() as conn:
        item = alert_history(conn, actor(db, purpose, reference), alert_id)
    if json:
        print_json(item)
        return
    _print_full(item)


def _print_full(item: dict[str, Any]) -> None:
    _print_alert(item)
    for side in ("subject", "related"):
        if item.get(f"{side}_id"):
            console.print(f"       {side}: {item[f'{side}_id']}", markup=False, highlight=False)
    for step in item.get("explanation") or []:
        name = step.get("feature") or step.get("indicator") or step.get("comparison") or "?"
        weight = step.get("weight", step.get("points"))
        value = f" {weight:.2f}" if isinstance(weight, int | float) else ""
        console.print(f"       evidence: {name}{value}", markup=False, highlight=False)
        if step.get("expression"):  # an analyst rule: what it says and the values it met
            values = ", ".join(f"{k} {shown(v)}" for k, v in (step.get("fields") or {}).items())
            console.print(f"         {step['expression']}  ({values})", markup=False)
    console.print(f"History ({counted(len(item.get('history', [])), 'step')}):")
    for step in item.get("history", []):
        why = f": {step['reason']}" if step.get("reason") else ""
        console.print(
            f"  {shown(step['at'])}  {step['state']} by {step['changed_by']}{why}",
            markup=False,
            highlight=False,
        )


@app.command("triage")
def triage(
    alert_id: int = typer.Argument(..., min=1, help="The alert's number."),
    state: str = typer.Option(..., "--state", help="reviewed, confirmed, dismissed or reopened."),
    reason: str | None = typer.Option(
        None, "--reason", help="Why (required to dismiss or re-open)."
    ),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = JSON,
) -> None:
    """Move an alert along: new → reviewed → confirmed or dismissed (with a reason) → re-opened.

    Confirming a watchlist hit or a tracing lead also records its two records as the same
    person (a linkage judgement of your agency), where both are held and you may judge.
    """
    from threadline.cli.context import actor, store
    from threadline.services.alerts import triage as triage_one

    db = store()
    item = triage_one(db, actor(db, purpose, reference), alert_id, state, reason)
    if json:
        print_json(item)
        return
    console.print(f"Alert {item['id']} is now {item['state']}.")
    linkage = item.get("linkage")
    if linkage and linkage["recorded"]:
        console.print("Recorded as a linkage judgement: the two records are the same person.")
    elif linkage:
        console.print(f"Not recorded as a linkage judgement: {linkage['reason']}", markup=False)

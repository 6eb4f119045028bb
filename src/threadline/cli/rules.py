"""``threadline rules``: screening rules your agency's analysts write, test and switch on.

Acts as the registered user named by ``--user`` (or THREADLINE_USER). Analysts and
operation coordinators write, back-test, activate and retire the rules of their agency;
the officers who triage alerts read them. Reading a back-test's example travellers and
running a back-test take a purpose. Every step is audited. See docs/rules.md.
"""

from __future__ import annotations

from typing import Any

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION
from threadline.cli.output import console, counted, print_json, shown

app = typer.Typer(
    no_args_is_help=True,
    help="Screening rules of your agency: write, back-test, activate, retire.",
)
JSON = typer.Option(False, "--json", help="Print as JSON.")
NAME = typer.Argument(..., help="The rule's name (lower-case letters, digits, '-', '_').")
VERSION = typer.Option(None, "--version", min=1, help="A version (default: the newest).")


@app.command("fields")
def fields(json: bool = JSON) -> None:
    """The fields a rule can use, with their types (number, text, yes/no, date)."""
    from threadline.screening.rules import rule_fields

    items = rule_fields()
    if json:
        print_json(items)
        return
    for item in items:
        console.print(
            f"{item['name']:<26} {item['type']:<7} {item['group']:<9} {item['description']}",
            markup=False,
            highlight=False,
        )


@app.command("create")
def create(
    name: str = NAME,
    expression: str = typer.Option(
        ..., "--expression", "-e", help='The rule, e.g. "minor and booking_adults == 0".'
    ),
    action: str = typer.Option(
        "referral", "--action", help="referral (safeguarding referral) or review."
    ),
    description: str = typer.Option(
        ..., "--description", help="Why the travellers it flags may need help."
    ),
    json: bool = JSON,
) -> None:
    """Write a rule, or a new version of the rule with this name (a draft: back-test it with
    'threadline rules test', then switch it on with 'threadline rules activate')."""
    from threadline.cli.context import actor, store
    from threadline.screening.rules import create_rule

    db = store()
    with db.begin() as conn:
        item = create_rule(conn, actor(db), name, expression, action, description)
    if json:
        print_json(item)
        return
    console.print(
        f"Rule {item['name']} version {item['version']} written as a draft; it uses "
        f"{', '.join(item['fields'])}.",
        markup=False,
    )
    console.print(f"Next: threadline rules test {item['name']} --version {item['version']}")


@app.command("list")
def list_(
    state: str | None = typer.Option(
        None, "--state", help="Rules with a version in this state: draft, active or retired."
    ),
    json: bool = JSON,
) -> None:
    """Your agency's rules: each with its newest and its active version."""
    from threadline.cli.context import actor, store
    from threadline.screening.rules import list_rules

    db = store()
    with db.begin() as conn:
        items = list_rules(conn, actor(db), state=state)
    if json:
        print_json(items)
        return
    if not items:
        console.print("No screening rules for your agency.")
    for item in items:
        active = item["active"]
        latest = item["latest"]
        status = f"active v{active['version']}" if active else "not active"
        console.print(
            f"{item['name']}  ({status}; newest v{latest['version']} {latest['state']}, "
            f"{counted(item['versions'], 'version')})",
            markup=False,
            highlight=False,
        )
        shown_version = active or latest
        console.print(
            f"    {shown_version['action']}: {shown_version['expression']}",
            markup=False,
            highlight=False,
        )


@app.command("show")
def show(
    name: str = NAME,
    version: int | None = VERSION,
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = JSON,
) -> None:
    """A rule with every version (or one), its state and its back-test."""
    from threadline.cli.context import actor, store
    from threadline.screening.rules import show_rule

    db = store()
    with db.begin() as conn:
        item = show_rule(conn, actor(db, purpose, reference), name, version=version)
    if json:
        print_json(item)
        return
    console.print(
        f"Rule {item['name']}: "
        + (f"version {item['active_version']} active" if item["active_version"] else "not active"),
        markup=False,
    )
    for each in item["versions"]:
        _print_version(each)


def _print_version(item: dict[str, Any]) -> None:
    console.print(
        f"  v{item['version']} {item['state'].upper()} ({item['action']}), written by "
        f"{item['created_by']} {shown(item['created_at'])}",
        markup=False,
        highlight=False,
    )
    console.print(f"    expression: {item['expression']}", markup=False, highlight=False)
    console.print(f"    why: {item['description']}", markup=False, highlight=False)
    if item.get("activated_at"):
        console.print(
            f"    activated by {item['activated_by']} {shown(item['activated_at'])}",
            markup=False,
        )
    if item.get("retired_at"):
        why = f": {item['retired_reason']}" if item.get("retired_reason") else ""
        console.print(
            f"    retired by {item['retired_by']} {shown(item['retired_at'])}{why}",
            markup=False,
            highlight=False,
        )
    if item.get("backtest"):
        _print_backtest(item["backtest"], indent="    ")
    else:
        console.print("    not back-tested", markup=False)


def _print_backtest(result: dict[str, Any], indent: str = "") -> None:
    console.print(
        f"{indent}back-test {shown(result.get('tested_at'))}: "
        f"{counted(result['manifests'], 'manifest')} of the last "
        f"{counted(result['retention_days'], 'day')}, "
        f"{counted(result['travellers'], 'traveller')}, evaluated on {result['evaluated']:,}, "
        f"would have flagged {result['flagged']:,}",
        markup=False,
        highlight=False,
    )
    unknown = result.get("unknown_fields") or {}
    if unknown:
        parts = ", ".join(f"{name} unknown for {count:,}" for name, count in unknown.items())
        console.print(f"{indent}  not evaluated: {parts}", markup=False, highlight=False)
    if result.get("errors"):
        console.print(
            f"{indent}  could not be evaluated on {result['errors']:,} "
            f"(e.g. {result.get('first_error')})",
            markup=False,
            highlight=False,
        )
    for example in result.get("examples") or []:
        if example.get("withheld"):
            console.print(
                f"{indent}  e.g. {example.get('traveller')} ({example['protected']['label']}) "
                f"in {example.get('manifest')}: {example['withheld']}",
                markup=False,
                highlight=False,
            )
            continue
        values = ", ".join(f"{k} {shown(v)}" for k, v in (example.get("fields") or {}).items())
        console.print(
            f"{indent}  e.g. {example['record_id']} on {example['flight']} "
            f"{example['departure']} ({example['manifest']}): {values}",
            markup=False,
            highlight=False,
        )


@app.command("test")
def test(
    name: str = NAME,
    version: int | None = VERSION,
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = JSON,
) -> None:
    """Back-test a version of a rule on the manifests your agency screened in the retention
    period: how many travellers it would have flagged, with examples. Kept on the version."""
    from threadline.cli.context import actor, store
    from threadline.screening.rules import backtest_rule

    db = store()
    with db.begin() as conn:
        result = backtest_rule(conn, actor(db, purpose, reference), name, version=version)
    if json:
        print_json(result)
        return
    console.print(f"Rule {result['name']} version {result['version']}:", markup=False)
    _print_backtest(result, indent="  ")
    console.print(
        f"Switch it on: threadline rules activate {result['name']} --version {result['version']}",
        markup=False,
    )


@app.command("activate")
def activate(name: str = NAME, version: int | None = VERSION, json: bool = JSON) -> None:
    """Switch on a back-tested version (default: the newest); the version active before it
    is retired. Every manifest your agency screens from now on is checked against it."""
    from threadline.cli.context import actor, store
    from threadline.screening.rules import activate_rule

    db = store()
    with db.begin() as conn:
        item = activate_rule(conn, actor(db), name, version=version)
    if json:
        print_json(item)
        return
    console.print(f"Rule {item['name']} version {item['version']} is active.", markup=False)


@app.command("retire")
def retire(
    name: str = NAME,
    version: int | None = typer.Option(
        None, "--version", min=1, help="A version (default: the active one)."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why it is retired."),
    json: bool = JSON,
) -> None:
    """Retire a rule's active version (or withdraw a draft): it raises nothing more."""
    from threadline.cli.context import actor, store
    from threadline.screening.rules import retire_rule

    db = store()
    with db.begin() as conn:
        item = retire_rule(conn, actor(db), name, version=version, reason=reason)
    if json:
        print_json(item)
        return
    console.print(f"Rule {item['name']} version {item['version']} is retired.", markup=False)

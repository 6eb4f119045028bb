"""``threadline evaluate``: precision, recall and F1 per task against a simulated world."""

from __future__ import annotations

from pathlib import Path

import typer

from threadline.cli.output import console, print_json


def evaluate(
    world: Path = typer.Argument(..., help="Folder written by 'threadline simulate'."),
    task: list[str] = typer.Option([], "--task", help="Only this task (repeatable)."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Compare what the platform found in the store with the world's truth.json."""
    from rich.table import Table

    from threadline.cli.context import store
    from threadline.simulation.evaluate import evaluate as run

    results = run(store(), world, task or None)
    if json:
        print_json([r.to_dict() for r in results])
        return
    table = Table("task", "precision", "recall", "F1", "other", "note")
    for r in results:
        if not r.measured:
            table.add_row(r.task, "", "", "", "", f"not measured: {r.reason}")
            continue
        m = r.metrics
        other = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in m.items()
            if k not in {"precision", "recall", "f1"}
        )
        cells = [f"{m[k]:.3f}" if k in m else "" for k in ("precision", "recall", "f1")]
        table.add_row(r.task, *cells, other, r.description)
    console.print(table)


def register(root: typer.Typer) -> None:
    root.command("evaluate")(evaluate)

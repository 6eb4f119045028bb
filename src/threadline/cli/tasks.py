"""``threadline worker`` runs queued work; ``threadline tasks`` shows your agency's queue.

Work is queued when data arrives (a manifest sent to the API, a file ingested into a
collection); a worker screens, traces, links and analyses it and raises the alerts. On
PostgreSQL run as many workers as you like, on as many machines as share the database;
``threadline serve`` runs one in its own process.
"""

from __future__ import annotations

import signal
from typing import Any

import typer

from threadline.cli.output import console, counted, err_console, print_json

app = typer.Typer(no_args_is_help=True, help="Queued work (screening, tracing, linkage, ads).")
JSON = typer.Option(False, "--json", help="Print as JSON.")


def worker(
    once: bool = typer.Option(
        False, "--once", help="Run what is due now, then stop (default: run until stopped)."
    ),
    max_tasks: int | None = typer.Option(
        None, "--max-tasks", min=1, help="With --once: stop after this many tasks."
    ),
    kind: list[str] = typer.Option(
        [], "--kind", help="Only tasks of this kind (repeat for several)."
    ),
) -> None:
    """Run queued tasks as they arrive: screen manifests, trace, link, analyse ads, re-screen.

    Stops cleanly on Ctrl-C or SIGTERM after the task in hand (a task cut short by a kill
    is run again from the start by the next worker, without loss or duplicates).
    """
    from threadline.cli.context import store
    from threadline.exc import InputError
    from threadline.services.worker import KINDS, Worker, settle_process

    unknown = [k for k in kind if k not in KINDS]
    if unknown:
        raise InputError(f"unknown task kind {unknown[0]!r}; kinds are: {', '.join(KINDS)}")

    def report(task: Any, outcome: str) -> None:
        err_console.print(
            f"task {task.id} ({task.kind}, {task.agency}): {outcome}", highlight=False
        )

    runner = Worker(store(), kinds=tuple(kind) or None, on_task=report)
    if once:
        ran = runner.drain(max_tasks=max_tasks)
        console.print(
            f"Ran {counted(ran, 'task')}: {runner.stats.done:,} done, "
            f"{runner.stats.retried:,} to retry, {runner.stats.failed:,} failed.",
            highlight=False,
        )
        return
    settle_process()  # a process that only runs tasks: tune its collector for throughput
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    err_console.print(f"Worker {runner.name} waiting for tasks (Ctrl-C stops it).")
    try:
        runner.run_forever()
    except KeyboardInterrupt:
        runner.stop()
    err_console.print(
        f"Worker stopped: {runner.stats.done:,} done, {runner.stats.failed:,} failed.",
        highlight=False,
    )


@app.command("list")
def list_(
    state: str | None = typer.Option(None, "--state", help="queued, running, done or failed."),
    kind: str | None = typer.Option(
        None, "--kind", help="screen_manifest, trace, link, ads or rescreen."
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="Most shown (newest first)."),
    json: bool = JSON,
) -> None:
    """Your agency's tasks, newest first, with the count in each state."""
    from rich.table import Table

    from threadline.cli.context import actor, store
    from threadline.services.worker import KIND_NAMES, list_tasks, task_counts

    db = store()
    who = actor(db)
    items = list_tasks(db, who, state=state, kind=kind, limit=limit)
    counts = task_counts(db, who)
    if json:
        print_json({"items": [t.to_dict() for t in items], "states": counts})
        return
    console.print(", ".join(f"{n:,} {s}" for s, n in counts.items()), highlight=False)
    if not items:
        # the counts above may show tasks: say which ones there are none of
        asked = " and ".join(f"{n} {v}" for n, v in (("state", state), ("kind", kind)) if v)
        console.print(
            f"No tasks for your agency with {asked}." if asked else "No tasks for your agency."
        )
        return
    table = Table("id", "task", "state", "attempts", "queued", "finished", "result or error")
    for item in items:
        table.add_row(
            str(item.id),
            KIND_NAMES.get(item.kind, item.kind),
            item.state,
            f"{item.attempts}/{item.max_attempts}",
            item.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            item.finished_at.strftime("%Y-%m-%d %H:%M:%S") if item.finished_at else "",
            _outcome(item),
        )
    console.print(table)


@app.command("show")
def show(task_id: int = typer.Argument(..., help="Task id."), json: bool = JSON) -> None:
    """One task of your agency: what it was asked to do, by whom, and what it did."""
    from threadline.cli.context import actor, store
    from threadline.services.worker import KIND_NAMES, get_task

    db = store()
    item = get_task(db, actor(db), task_id)
    if json:
        print_json(item.to_dict())
        return
    data = item.to_dict()
    console.print(f"Task {item.id}: {KIND_NAMES.get(item.kind, item.kind)} ({item.state})")
    for label, key in (
        ("requested by", "requested_by"),
        ("queued", "created_at"),
        ("started", "started_at"),
        ("finished", "finished_at"),
        ("worker", "worker"),
    ):
        if data.get(key):
            console.print(f"  {label}: {data[key]}", highlight=False)
    console.print(f"  attempts: {item.attempts} of {item.max_attempts}")
    for name, value in data["arguments"].items():
        if value is not None:
            console.print(f"  {name}: {value}", highlight=False, markup=False)
    if item.result:
        console.print("  result: " + _outcome(item), highlight=False, markup=False)
    if item.error:
        console.print(f"  error: {item.error}", highlight=False, markup=False)


def _outcome(item: Any) -> str:
    if item.result:
        return ", ".join(f"{k} {v}" for k, v in item.result.items() if v is not None)
    return item.error or ""


def register(root: typer.Typer) -> None:
    root.command("worker")(worker)
    root.add_typer(app, name="tasks")

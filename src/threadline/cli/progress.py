"""Progress bars for long tasks: counts and rate, on standard error."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from threadline.cli.output import err_console


class CountingBar:
    """A bar over bytes (when the size is known) that shows records done and records/s."""

    def __init__(self, progress: Progress, task: TaskID, label: str, noun: str) -> None:
        self.progress = progress
        self.task = task
        self.label = label
        self.noun = noun
        self.started = time.perf_counter()

    def update(self, done: int, completed: int | None = None) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        text = f"{self.label}: {done:,} {self.noun} · {done / elapsed:,.0f}/s"
        self.progress.update(
            self.task, description=text, completed=done if completed is None else completed
        )


@contextmanager
def counting_bar(label: str, total: int | None, noun: str = "records") -> Iterator[CountingBar]:
    """Show a progress bar on stderr while the block runs (silent when not a terminal)."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal,
    )
    with progress:
        task = progress.add_task(label, total=total)
        yield CountingBar(progress, task, label, noun)

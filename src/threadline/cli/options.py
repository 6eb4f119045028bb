"""Options several commands share (light: no heavy imports, so --help stays fast)."""

from __future__ import annotations

import typer

# The options of every command that reads person data (a purpose is recorded with each look).
PURPOSE_OPTION = typer.Option(
    None,
    "--purpose",
    help=(
        "Why person data is read: investigation, border_check, victim_identification, "
        "operation or audit (default: THREADLINE_PURPOSE)."
    ),
)
REFERENCE_OPTION = typer.Option(
    None,
    "--reference",
    help="Case or operation reference, needed for investigation and operation.",
)

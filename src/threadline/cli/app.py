"""The root ``threadline`` command and the registry of its sub-commands.

Each capability keeps its commands in ``threadline/cli/<name>.py`` exposing
``app`` (a ``typer.Typer``) or, for a single command, ``register(root)``.
Heavy libraries are imported inside the command functions so that
``threadline --help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

from threadline.settings import configure

app = typer.Typer(
    name="threadline",
    help="Threadline: counter-human-trafficking intelligence platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from threadline import __version__

        print(f"threadline {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="SQLite file or database URL (default: THREADLINE_DB or ./threadline.db).",
    ),
    user: str | None = typer.Option(
        None, "--user", help="Act as this registered user (default: THREADLINE_USER or console)."
    ),
    purpose: str | None = typer.Option(
        None,
        "--purpose",
        help=(
            "Why person data is read (investigation, border_check, victim_identification, "
            "operation, audit); default THREADLINE_PURPOSE. Commands that take their own "
            "--purpose use theirs."
        ),
    ),
    reference: str | None = typer.Option(
        None,
        "--reference",
        help="Case or operation reference for the purpose (default THREADLINE_REFERENCE).",
    ),
    version: bool = typer.Option(
        False,
        "--version",
        help="Print Threadline's version and exit.",
        is_eager=True,
        callback=_print_version,
    ),
) -> None:
    """Threadline: counter-human-trafficking intelligence platform."""
    if db is not None:
        configure(db=db)
    from threadline.cli import context

    context.SELECTED_USER = user
    context.SELECTED_PURPOSE = purpose
    context.SELECTED_REFERENCE = reference
    if context.named_user() and ctx.invoked_subcommand is not None:
        # Every command refuses an unknown or disabled user, not only those that
        # look the actor up: the check happens once, before any command runs.
        context.actor()


# (module, sub-command name or None when the module registers top-level commands)
COMMAND_MODULES: list[tuple[str, str | None]] = [
    ("threadline.cli.ingest", None),
    ("threadline.cli.load", None),
    ("threadline.cli.export", None),
    ("threadline.cli.jobs", "jobs"),
    ("threadline.cli.collections", "collections"),
    ("threadline.cli.entities", "entities"),
    ("threadline.cli.search", None),
    ("threadline.cli.db", "db"),
    ("threadline.cli.demo", None),
    ("threadline.cli.governance", None),
    ("threadline.cli.person", "person"),
    ("threadline.cli.serve", None),
    ("threadline.cli.mrz", "mrz"),
    ("threadline.cli.simulate", None),
    ("threadline.cli.evaluate", None),
    ("threadline.cli.match", "match"),
    ("threadline.cli.ops", "ops"),
    ("threadline.cli.victims", "victims"),
    ("threadline.cli.notifications", "notifications"),
    ("threadline.cli.alerts", "alerts"),
    ("threadline.cli.screen", "screen"),
    ("threadline.cli.rules", "rules"),
    ("threadline.cli.network", "network"),
    ("threadline.cli.ads", "ads"),
    ("threadline.cli.link", "link"),
    ("threadline.cli.trace", "trace"),
    ("threadline.cli.tasks", None),
]


def _register() -> None:
    for module_name, name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        if name is None:
            module.register(app)
        else:
            app.add_typer(module.app, name=name)


_register()

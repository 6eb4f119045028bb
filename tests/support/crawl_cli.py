"""Crawling the command line: every leaf command of ``threadline``, run in-process."""

from __future__ import annotations

import io
import itertools
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.agencies import ANONYMOUS, World
from support.crawl import CRASH, PURPOSE, Fills, Seen, combos, decode, pair_names


@dataclass(frozen=True)
class Command:
    """A leaf command of the CLI and how to fill it."""

    path: tuple[str, ...]
    arguments: list[str]  # positional parameter names, in order
    required: list[tuple[str, str]]  # (name, flag) of required options
    flags: dict[str, str]  # option name -> first flag, for every option
    json: tuple[str, ...]  # the output modes to run ("--json", "--no-json", "")
    format_words: tuple[str, ...] = ()  # words of the --format option's help

    @property
    def format_flag(self) -> str | None:
        return next((f for f in self.flags.values() if f == "--format"), None)

    @property
    def name(self) -> str:
        return " ".join(self.path)

    @property
    def writes_files(self) -> bool:
        return "out" in self.flags


def cli_commands() -> list[Command]:
    """Every leaf command of ``threadline``."""
    import typer

    from threadline.cli.app import app

    found: list[Command] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        arguments, required, flags = [], [], {}
        modes: tuple[str, ...] = ("",)
        words: tuple[str, ...] = ()
        for param in command.params:
            if param.param_type_name == "argument":
                arguments.append(param.name)
                continue
            flag = next((o for o in param.opts if o.startswith("--")), param.opts[0])
            flags[param.name] = flag
            if flag == "--format":
                words = tuple(re.findall(r"[a-z0-9]+", (param.help or "").lower()))
            if param.name == "json":
                modes = ("--json", "--no-json") if param.secondary_opts else ("--json", "")
            elif param.required:
                required.append((param.name, flag))
        found.append(Command(path, arguments, required, flags, modes, words))

    walk(typer.main.get_command(app), ())
    return found


@dataclass
class CliRun:
    code: int
    text: str


_BUILT: dict[int, Any] = {}
_STORES: dict[str, Any] = {}


@contextmanager
def _command_tree_built_once() -> Iterator[None]:
    """Typer rebuilds the command tree on every call (most of a call's time): keep one."""
    import typer.main

    original = typer.main.get_command

    def cached(app: Any) -> Any:
        if id(app) not in _BUILT:
            _BUILT[id(app)] = original(app)
        return _BUILT[id(app)]

    typer.main.get_command = cached
    try:
        yield
    finally:
        typer.main.get_command = original


@contextmanager
def _store_opened_once(db: Path) -> Iterator[None]:
    """Opening a store checks its migrations (half a command's time): open each file once.

    A server process holds one store for all its requests in the same way.
    """
    from threadline.cli import context
    from threadline.store import open_store

    key = str(db)
    if key not in _STORES:
        _STORES[key] = open_store(key)
    original = context.store
    context.store = lambda: _STORES[key]  # type: ignore[assignment]
    try:
        yield
    finally:
        context.store = original  # type: ignore[assignment]


def close_cli_store(db: Path) -> None:
    """Close the store the crawl kept open for this file."""
    found = _STORES.pop(str(db), None)
    if found is not None:
        found.close()


def run_cli(db: Path, user: str, argv: list[str]) -> CliRun:
    """Run one command in-process as a user (no --user: the console operator)."""
    from threadline.cli.main import main
    from threadline.cli.output import console, err_console

    out, err = io.StringIO(), io.StringIO()
    who = [] if user == ANONYMOUS else ["--user", user]
    width = console.width, err_console.width
    console.width = err_console.width = 1000  # tables must not cut a value short
    code = 0
    try:
        with (
            redirect_stdout(out),
            redirect_stderr(err),
            _command_tree_built_once(),
            _store_opened_once(db),
        ):
            try:
                main(["--db", str(db), *who, *argv])
            except SystemExit as exc:
                code = int(exc.code or 0)
            except Exception as exc:  # noqa: BLE001 - a crash is reported, not raised
                code = CRASH
                err.write(f"crash: {type(exc).__name__}: {exc}")
    finally:
        console.width, err_console.width = width
    return CliRun(code, out.getvalue() + "\n" + err.getvalue())


def _format_values(command: Command, fills: Fills) -> list[str | None]:
    """The formats the command's help names (every known format when it names none)."""
    if command.format_flag is None:
        return [None]
    named = [f for f in fills.formats if f in command.format_words]
    return list(named or fills.formats)


def command_lines(command: Command, fills: Fills, folder: Path) -> list[list[str]] | None:
    """Every command line to run (None when an argument cannot be filled)."""
    names = command.arguments
    pair = pair_names(names)
    singles = [n for n in names if n not in (pair or ())]
    argument_values = combos(singles, fills)
    if argument_values is None:
        return None
    option_values: list[list[tuple[str, str]]] = []
    for name, flag in command.required:
        if flag in ("--out", "--format", "--json"):
            continue
        pool = _option_pool(name, flag, fills)
        if pool is None:
            return None
        option_values.append([(flag, v) for v in pool])
    pairs = [dict(zip(pair, p, strict=True)) for p in fills.pairs] if pair else [{}]
    lines = []
    for number, (values, extra, options) in enumerate(
        itertools.product(list(argument_values), pairs, list(itertools.product(*option_values)))
    ):
        args = [{**values, **extra}[n] for n in names]
        # JSON carries every value; the human rendering is checked on the first fill only.
        modes = command.json if number == 0 else command.json[:1]
        for mode, fmt in itertools.product(modes, _format_values(command, fills)):
            line = [*command.path, *args]
            for flag, value in options:
                line += [flag, value]
            if "purpose" in command.flags and not any(f == "--purpose" for f, _ in options):
                line += ["--purpose", PURPOSE["purpose"]]
            if "reference" in command.flags:
                line += ["--reference", PURPOSE["reference"]]
            if fmt is not None and command.format_flag:
                line += [command.format_flag, fmt]
            if mode:
                line.append(mode)
            if command.writes_files:
                line += [command.flags["out"], str(Path(tempfile.mkdtemp(dir=folder)) / "out")]
            lines.append(line)
    return lines


def _option_pool(name: str, flag: str, fills: Fills) -> list[str] | None:
    """Values of a required option: by its flag first (``--name`` is a person's name, while
    an argument called ``name`` is a collection's), then by its parameter name."""
    if name in PURPOSE:
        return [PURPOSE[name]]
    return fills.get(flag) or fills.get(name)


def read_outputs(line: list[str]) -> str:
    """Every file a command wrote next to its --out path (PDF as text)."""
    if "--out" not in line:
        return ""
    folder = Path(line[line.index("--out") + 1]).parent
    return "\n".join(
        decode(path.read_bytes(), path.suffix)
        for path in sorted(folder.iterdir())
        if path.is_file()
    )


def crawl_cli(
    world: World,
    surface: str,
    actor: str,
    commands: list[Command],
    fills: Fills,
    folder: Path,
) -> list[Seen]:
    """Run every command with every fill as the actor."""
    seen = []
    for command in commands:
        lines = command_lines(command, fills, folder)
        if lines is None:
            seen.append(Seen(surface, actor, command.name, command.name, -1, "no values to fill"))
            continue
        for line in lines:
            result = run_cli(world.db, actor, line)
            text = result.text + "\n" + read_outputs(line)
            seen.append(Seen(surface, actor, command.name, " ".join(line), result.code, text))
            if result.code == CRASH and "--json" in line:
                # The human rendering may still show what the JSON would have.
                line = [a for a in line if a != "--json"]
                result = run_cli(world.db, actor, line)
                text = result.text + "\n" + read_outputs(line)
                seen.append(Seen(surface, actor, command.name, " ".join(line), result.code, text))
    return seen

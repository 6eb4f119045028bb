"""Crawling every read surface as one actor: API routes, web pages, CLI commands, exports.

Routes are read from the OpenAPI description and the application's route table, and
commands from the command tree, so a route or command added tomorrow is crawled
tomorrow. Path parameters are filled with ids harvested from the owner's own views
(:class:`Fills`); every query carries a purpose and a case reference, so a refusal
for want of a purpose does not hide a leak.

Each answer is a :class:`Seen`; :meth:`World.leaks` says which markers in it the
actor may not see.
"""

from __future__ import annotations

import io
import itertools
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from support.agencies import ANONYMOUS, PASSWORD, World

API = "/api/v1"
PURPOSE = {"purpose": "investigation", "reference": "CASE-1"}
# Parameters that name two entities: filled from pairs, not from a product of ids.
PAIR_PARAMS = {("from", "to"), ("source", "target"), ("start", "goal"), ("left", "right")}
# Audit trails are crawled on their own (each crawl adds events to them).
AUDIT = re.compile(r"(^|/)audit(/|$)")
MAX_PAGES = 20
CRASH = 99  # the exit code a crawl records for a command that raised


@dataclass(frozen=True)
class Seen:
    """One answer an actor got."""

    surface: str
    actor: str
    route: str  # the route or command template
    request: str  # the URL or command line as sent
    status: int  # HTTP status, or the command's exit code
    text: str


@dataclass
class Fills:
    """Values for every path parameter and command argument, by parameter name."""

    values: dict[str, list[str]] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def get(self, name: str) -> list[str] | None:
        return self.values.get(name)


# --- HTTP ---------------------------------------------------------------------------


def decode(content: bytes, content_type: str) -> str:
    """The text of an answer: a PDF's extracted text, every file of a ZIP, else UTF-8."""
    if "pdf" in content_type or content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK\x03\x04"):
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                f"{name}\n{decode(archive.read(name), name)}" for name in archive.namelist()
            )
    return content.decode("utf-8", errors="replace")


def sign_in(client: TestClient, user: str) -> None:
    """A web session through the sign-in form (the client keeps the cookie)."""
    if user == ANONYMOUS:
        return
    answer = client.post("/login", data={"username": user, "password": PASSWORD})
    assert answer.status_code in (200, 303), (user, answer.status_code, answer.text[:200])


def _combos(names: list[str], fills: Fills) -> Iterator[dict[str, str]] | None:
    """Every combination of values for these parameters (None when one has no values)."""
    pools: list[list[str]] = []
    for name in names:
        pool = fills.get(name)
        if pool is None:
            return None
        pools.append(pool)
    return (dict(zip(names, combo, strict=True)) for combo in itertools.product(*pools))


def _pair_names(names: Iterable[str]) -> tuple[str, str] | None:
    present = set(names)
    return next((p for p in PAIR_PARAMS if set(p) <= present), None)


@dataclass(frozen=True)
class Operation:
    """A GET route: its template, path parameters and the query parameters to fill."""

    path: str
    path_params: list[str]
    required: list[str]  # required query parameters
    optional: list[str]  # other query parameters (filled one at a time where values exist)
    enums: dict[str, list[str]]  # query parameters with a closed set of values
    paged: bool

    def requests(self, fills: Fills) -> list[str] | None:
        """Every URL to ask (None when a required parameter cannot be filled)."""
        pair = _pair_names(self.required)
        singles = [n for n in self.required if n not in (pair or ()) and n not in self.enums]
        paths = _combos(self.path_params, fills)
        queries = _combos(singles, fills)
        if paths is None or queries is None:
            return None
        pairs = [dict(zip(pair, p, strict=True)) for p in fills.pairs] if pair else [{}]
        enums = [dict(zip(self.enums, c, strict=True)) for c in itertools.product(
            *self.enums.values())] or [{}]  # fmt: skip
        required = [{**q, **p, **e} for q, p, e in itertools.product(list(queries), pairs, enums)]
        optional_pair = _pair_names(self.optional)
        urls = []
        for number, values in enumerate(paths):
            url = re.sub(r"{(\w+)(:\w+)?}", lambda m: values[m.group(1)], self.path)
            urls += [self._url(url, query) for query in required]
            if number > 0:
                continue  # optional parameters are tried on the first path only
            base = required[0]
            for name in self.optional:
                if optional_pair and name in optional_pair:
                    continue
                urls += [self._url(url, {**base, name: v}) for v in fills.get(name) or []]
            if optional_pair:
                for p in fills.pairs:
                    urls.append(
                        self._url(url, {**base, **dict(zip(optional_pair, p, strict=True))})
                    )
        return urls

    def _url(self, url: str, query: dict[str, str]) -> str:
        params = {**query, **PURPOSE, **({"limit": "500"} if self.paged else {})}
        return f"{url}?{urlencode(params)}"


def openapi_operations(client: TestClient) -> list[Operation]:
    """The API's GET operations, from its OpenAPI description."""
    schema = client.get(f"{API}/openapi.json").json()
    found = []
    for path, item in schema["paths"].items():
        get = item.get("get")
        if get is None or path in (f"{API}/openapi.json", f"{API}/health"):
            continue
        params = [p for p in get.get("parameters", []) if p["in"] in ("path", "query")]
        query = [p for p in params if p["in"] == "query" and p["name"] not in PURPOSE]
        enums = {p["name"]: _enum(p["schema"]) for p in query if _enum(p["schema"])}
        paged = any(p["name"] == "limit" for p in query)
        query = [p for p in query if p["name"] not in ("limit", "offset")]
        found.append(
            Operation(
                path=path,
                path_params=[p["name"] for p in params if p["in"] == "path"],
                required=[p["name"] for p in query if p.get("required") or p["name"] in enums],
                optional=[p["name"] for p in query if not p.get("required")],
                enums=enums,
                paged=paged,
            )
        )
    return found


def _enum(schema: dict[str, Any]) -> list[str]:
    values = schema.get("enum") or []
    for option in schema.get("anyOf", []):
        values = values or option.get("enum") or []
    return [str(v) for v in values]


def web_operations(app: FastAPI) -> list[Operation]:
    """The application's GET pages outside the API."""
    found = []
    for context in iter_route_contexts(app.router.routes):
        route = context.route
        if not isinstance(route, APIRoute) or context.path.startswith(API):
            continue
        if "GET" not in (context.methods or ()):
            continue
        query = [q for q in _flat_query(route.dependant) if q.name not in PURPOSE]
        found.append(
            Operation(
                path=context.path,
                path_params=re.findall(r"{(\w+)", context.path),
                required=[q.name for q in query if q.field_info.is_required()],
                optional=[q.name for q in query if not q.field_info.is_required()],
                enums={},
                paged=False,
            )
        )
    return found


def _flat_query(dependant: Any) -> list[Any]:
    found = list(dependant.query_params)
    for sub in dependant.dependencies:
        found += _flat_query(sub)
    return found


def _follow_pages(client: TestClient, url: str, first: Any, headers: dict[str, str]) -> str:
    """A paginated JSON answer with its following pages (up to MAX_PAGES)."""
    parts = [first.text]
    body = first.json() if "json" in first.headers.get("content-type", "") else {}
    for _ in range(MAX_PAGES):
        following = body.get("next_offset") if isinstance(body, dict) else None
        if following is None:
            break
        nxt = client.get(f"{url}&offset={following}", headers=headers)
        parts.append(nxt.text)
        body = nxt.json() if nxt.status_code == 200 else {}
    return "\n".join(parts)


def crawl_http(
    client: TestClient,
    surface: str,
    actor: str,
    operations: list[Operation],
    fills: Fills,
    headers: dict[str, str] | None = None,
    keep: Callable[[Operation], bool] = lambda op: not AUDIT.search(op.path),
) -> list[Seen]:
    """Ask every operation with every fill; unfillable routes are answered with status -1."""
    seen = []
    for op in operations:
        if not keep(op):
            continue
        urls = op.requests(fills)
        if urls is None:
            seen.append(Seen(surface, actor, op.path, op.path, -1, "no values to fill"))
            continue
        for url in urls:
            answer = client.get(url, headers=headers or {}, follow_redirects=False)
            text = decode(answer.content, answer.headers.get("content-type", ""))
            if answer.status_code == 200 and op.paged:
                text = _follow_pages(client, url, answer, headers or {})
            seen.append(Seen(surface, actor, op.path, unquote(url), answer.status_code, text))
    return seen


# --- command line -------------------------------------------------------------------


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
    pair = _pair_names(names)
    singles = [n for n in names if n not in (pair or ())]
    combos = _combos(singles, fills)
    if combos is None:
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
        itertools.product(list(combos), pairs, list(itertools.product(*option_values)))
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


# --- judging ------------------------------------------------------------------------


def violations(world: World, seen: Iterable[Seen]) -> list[str]:
    """One line per marker an actor saw and may not see, and per crash."""
    lines = []
    for item in seen:
        if item.status >= 500 or item.status == CRASH:
            last = item.text.strip().splitlines()[-1:] or [""]
            lines.append(f"{item.actor} crashed {item.request} ({item.status}): {last[0][:200]}")
            continue
        for marker in world.leaks(item.actor, item.text, item.request):
            lines.append(
                f"{item.actor} saw {marker.what} ({marker.value!r}) at {item.request}"
                f" [{item.status}]"
            )
    return lines

"""Every value-taking option and argument of every command, fed arbitrary text.

The command line's promise on input: a wrong value is refused with one line on standard
error, ``threadline: error: <reason>``, and exit code 2 (``threadline.cli.main`` reports
Click's usage errors the same way); never a traceback, never exit code 1 from an
exception nobody caught; and a refused command stores nothing. Exit code 1 is a
deliberate condition, reported on standard error like a refusal.

The command tree is walked, not listed by hand, so a new command or option is fuzzed as
soon as it exists: it only needs a recipe below (valid values for the rest of its command
line) or a named reason to be left out.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import shutil
import sqlite3
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, func, inspect, select, table
from typer.core import TyperArgument, TyperGroup, TyperOption

from threadline.cli.main import command, main
from threadline.settings import get_settings
from threadline.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "a long enough password\n"
MRZ_TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
TRACEBACK = "Traceback (most recent call last)"

# ------------------------------------------------------------------ speed, not behaviour

# ``main`` builds the Click command tree once per process; the walk below reads that tree.
ROOT = command()


# Every command migrates the store it opens. Once a test's copy is at the newest revision
# nothing here takes it back, so checking again (two thirds of what is left) is skipped;
# a new database named with --db is still migrated when it is first opened.
_upgrade = Store.upgrade
_MIGRATED: set[str] = set()


def _upgrade_once(db: Store) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    if url not in _MIGRATED:
        _upgrade(db)
        _MIGRATED.add(url)


# ------------------------------------------------------------------ what is left out

EXCLUDED_COMMANDS: dict[str, str] = {
    "serve": "starts the web server, which runs until it is stopped",
    "demo": "simulates, ingests and analyses a whole world, then starts the web server",
}
EXCLUDED_OPTIONS: dict[tuple[str, str], str] = {
    ("simulate", "countries"): "any number from 6 up is valid; a big one runs for hours",
    ("simulate", "networks"): "any positive number is valid; a big one runs for hours",
    ("simulate", "ads"): "any number of ads is valid; a big one runs for hours",
    ("simulate", "travellers"): "any number from 50 up is valid; a big one runs for hours",
}
# Valid values that start long work (a medium world is 100,000 travellers; spark a cluster).
LONG_RUNNING: dict[tuple[str, str], frozenset[str]] = {
    ("simulate", "scale"): frozenset({"medium", "large"}),
    ("link run", "backend"): frozenset({"spark"}),
}
# Tables a refused command may still grow: the audit log records refused reads and
# changes on purpose (who tried what). No other table grows on a refusal, not even for
# the read-only commands, so every other table is compared.
AUDIT_TABLES = frozenset({"audit_event"})


# ------------------------------------------------------------------ recipes

LIAISON = ("--user", "sv-liaison")
OSLO = ("--user", "no-officer")
INVESTIGATION = {"purpose": "investigation", "reference": "CASE-1"}


@dataclass(frozen=True)
class Recipe:
    """A command line that works, one value at a time replaced by the fuzzed one.

    Values may name what seeding made: ``{victim}`` (an open record), ``{closed_victim}``,
    ``{rule}`` (a back-tested draft screening rule of the console's agency),
    ``{alert}`` (a new alert of the console's agency), ``{task}`` (a queued task of the
    console's agency), ``{network}``, ``{reset_code}``,
    ``{fixtures}`` and ``{seed}`` (the folder with the seeded files). ``refused`` is the
    reason a recipe that can only point at nothing (or at a record in the wrong state) is
    refused with (its arguments are all fuzzed, so the lookup is what the fuzz reaches).
    """

    values: Mapping[str, str | list[str]] = field(default_factory=dict)
    root: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    refused: str = ""


RECIPES: dict[str, Recipe] = {
    "ingest": Recipe({"files": ["{fixtures}/cases.ftm.jsonl"], "collection": "cases"}),
    "load": Recipe({"directory": "{seed}/unit"}),
    "formats": Recipe(),
    "export": Recipe({"collection": "cases", **INVESTIGATION}),
    "search": Recipe({"q": "Anna", **INVESTIGATION}),
    "simulate": Recipe({"out": "world"}),
    "evaluate": Recipe({"world": "{seed}/world"}),
    "jobs list": Recipe(),
    "jobs show": Recipe({"job_id": "1"}),
    "collections list": Recipe(),
    "collections create": Recipe({"name": "fuzz-cases"}),
    "collections update": Recipe({"name": "cases"}),
    "collections show": Recipe({"name": "cases"}),
    "entities show": Recipe({"entity_id": "se-case-p1", **INVESTIGATION}),
    "entities merge": Recipe({"entity_ids": ["se-case-p1", "se-case-p2"]}),
    "entities split": Recipe({"entity_id": "se-case-p1"}, refused="is not merged"),
    "db upgrade": Recipe(),
    "db status": Recipe(),
    "agencies create": Recipe({"name": "NCB Fuzz", "country": "NO"}),
    "agencies list": Recipe(),
    "users create": Recipe(
        {"username": "fuzz-user", "agency": "test-unit", "roles": "analyst"},
        flags=("--password-stdin",),
    ),
    "users list": Recipe(),
    "users disable": Recipe({"username": "sv-analyst"}),
    "users enable": Recipe({"username": "sv-analyst"}),
    "users reset-code": Recipe({"username": "sv-analyst"}),
    "users reset-password": Recipe(
        {"username": "sv-analyst", "code": "{reset_code}"}, flags=("--password-stdin",)
    ),
    "users sign-out": Recipe({"username": "sv-analyst"}),
    "tokens issue": Recipe({"username": "sv-analyst", "name": "fuzz-token"}),
    "tokens list": Recipe({"username": "sv-analyst"}),
    "tokens revoke": Recipe({"username": "sv-analyst"}),
    "audit verify": Recipe(),
    "audit export": Recipe(),
    "retention due": Recipe(),
    "retention renew": Recipe({"collection": "cases", "reason": "the case is open"}),
    "person export": Recipe({"entity_id": "se-case-p1", **INVESTIGATION}),
    "person erase": Recipe({"entity_id": "se-case-org1", "reason": "court order 12/2026"}),
    "mrz check": Recipe({"lines": MRZ_TD2}),
    "match pairs": Recipe({"file": "{seed}/pairs.csv"}),
    "ops create": Recipe(
        {
            "code": "FUZZ-1",
            "name": "Fuzz",
            "edition": "I",
            "start": "2026-03-01",
            "end": "2026-03-10",
            "countries": "SE,NO",
            "focus": "forced_labour",
            "coordinator": ["INTERPOL"],
        }
    ),
    "ops list": Recipe(),
    "ops show": Recipe({"code": "WEKA-III"}),
    "ops submit": Recipe({"code": "WEKA-III", "country": "SE", "file": "{seed}/outcomes.csv"}),
    "ops confirm": Recipe({"code": "WEKA-III", "country": "SE"}),
    "ops history": Recipe({"code": "WEKA-III", "country": "SE"}),
    "ops report": Recipe({"code": "WEKA-III", "out": "report.pdf"}),
    "victims create": Recipe({"how": "raid", "identified_on": "2026-04-01"}, LIAISON),
    "victims show": Recipe({"victim": "{victim}"}, LIAISON),
    "victims list": Recipe(root=LIAISON),
    "victims consent": Recipe({"victim": "{victim}", "scope": "interview"}, LIAISON),
    "victims refer": Recipe({"victim": "{victim}", "kind": "shelter"}, LIAISON),
    "victims referral": Recipe(
        {"victim": "{victim}", "referral_id": "1", "status": "accepted"}, LIAISON
    ),
    "victims link-entity": Recipe({"victim": "{victim}", "entity": ["se-case-p2"]}, LIAISON),
    "victims link-missing": Recipe(
        {"victim": "{victim}", "report": "mp-1", "country": "NO"}, LIAISON
    ),
    "victims notify": Recipe({"victim": "{victim}"}, LIAISON),
    "victims reunite": Recipe(
        {"victim": "{victim}", "on": "2026-04-02", "relationship": "mother"}, LIAISON
    ),
    "victims outbox": Recipe(root=LIAISON),
    # Documented refusals: closing the seeded closed record, reopening the open one, so
    # the other recipes always find {victim} open and the seeded records never change.
    "victims close": Recipe(
        {"victim": "{closed_victim}", "reason": "care ended"}, LIAISON, refused="closed already"
    ),
    "victims reopen": Recipe(
        {"victim": "{victim}", "reason": "care resumes"}, LIAISON, refused="open already"
    ),
    "victims services list": Recipe(),
    "victims services add": Recipe({"country": "SE", "kind": "shelter", "name": "Safe House"}),
    "notifications list": Recipe(root=OSLO),
    "notifications ack": Recipe({"notification_id": "1"}, OSLO),
    "alerts list": Recipe(INVESTIGATION),
    "alerts show": Recipe({"alert_id": "{alert}", **INVESTIGATION}),
    # A documented refusal: a new alert cannot be re-opened, so the seeded one never changes.
    "alerts triage": Recipe(
        {"alert_id": "{alert}", "state": "reopened", "reason": "looked again", **INVESTIGATION},
        refused="can be moved to",
    ),
    "worker": Recipe(flags=("--once",)),
    "tasks list": Recipe(),
    "tasks show": Recipe({"task_id": "{task}"}),
    "rules fields": Recipe(),
    "rules list": Recipe(),
    "rules create": Recipe(
        {"name": "fuzz-rule", "expression": "minor", "description": "a child", "action": "review"}
    ),
    "rules show": Recipe({"name": "{rule}", **INVESTIGATION}),
    "rules test": Recipe({"name": "{rule}", **INVESTIGATION}),
    "rules activate": Recipe({"name": "{rule}", "version": "1"}),
    "rules retire": Recipe({"name": "{rule}", "version": "1", "reason": "withdrawn"}),
    "screen person": Recipe({"name": "Ivan Petrov"}),
    "screen document": Recipe({"number": "L898902C3", "country": "SE"}),
    "screen mrz": Recipe({"lines": MRZ_TD2}),
    "screen manifest": Recipe({"files": ["{fixtures}/border/manifest.csv"], "country": "SE"}),
    "network build": Recipe(),
    "network list": Recipe(INVESTIGATION),
    "network show": Recipe({"network_id": "{network}", **INVESTIGATION}),
    "network path": Recipe({"start": "se-case-p1", "goal": "se-case-org1", **INVESTIGATION}),
    "network expand": Recipe({"entity_id": "se-case-p1", **INVESTIGATION}),
    "network export": Recipe({"network_id": "{network}", "format": "graphml", **INVESTIGATION}),
    "ads extract": Recipe({"file": "{seed}/ads.jsonl"}),
    "ads score": Recipe({"file": "{seed}/ads.jsonl"}),
    "ads analyze": Recipe({"collection": "cases"}),
    "ads personas": Recipe(),
    "ads show": Recipe({"persona_id": "P-se-case-ad1"}),
    "ads results": Recipe(),
    "link run": Recipe(),
    "link review": Recipe(INVESTIGATION),
    "link decide": Recipe({"left": "se-case-p1", "right": "se-case-p2", "judgement": "same"}),
    "link retract": Recipe(
        {"left": "se-case-p1", "right": "se-case-p2"}, refused="no active judgement"
    ),
    "link clusters": Recipe(INVESTIGATION),
    # Oslo's officer sees the shared sightings and no report: a run has nothing to score
    # (scoring takes most of a second, every run).
    "trace run": Recipe(root=OSLO),
    "trace leads": Recipe(root=OSLO),
    "trace show": Recipe({"report_id": "mp-1"}, OSLO, refused="no leads you may see"),
}
# The root options are fuzzed in front of a command that reads little.
ROOT_COMMAND = "collections list"


# ------------------------------------------------------------------ the command tree


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield " ".join(path), command


def _takes_value(param: Any) -> bool:
    return isinstance(param, TyperArgument) or (
        isinstance(param, TyperOption) and not param.is_flag and not param.count
    )


LEAVES: dict[str, Any] = dict(_leaves(ROOT))
# The root options (``threadline --db X …``), named apart from a command's own --purpose.
ROOT_PARAMS = {f"root.{param.name}": param for param in ROOT.params if _takes_value(param)}
CASES = [
    pytest.param(name, param.name, id=f"{name} {(param.opts or [param.name])[0]}")
    for name, command in LEAVES.items()
    if name not in EXCLUDED_COMMANDS
    for param in command.params
    if _takes_value(param) and (name, param.name) not in EXCLUDED_OPTIONS
] + [
    pytest.param(ROOT_COMMAND, name, id=f"threadline {param.opts[0]}")
    for name, param in ROOT_PARAMS.items()
]


def _recipe_values(recipe: Recipe, context: dict[str, str]) -> dict[str, list[str]]:
    return {
        key: [v.format(**context) for v in (item if isinstance(item, list) else [item])]
        for key, item in recipe.values.items()
    }


def _line(name: str, context: dict[str, str], fuzzed: str = "", value: str = "") -> list[str]:
    """The command line of ``name`` from its recipe, ``fuzzed`` (a parameter) set to ``value``.

    Options are written ``--name=value`` and arguments follow ``--``, so a value that
    looks like an option (``-1``, ``--json``) still reaches the parameter it is meant for.
    """
    recipe = RECIPES[name]
    root = list(recipe.root)
    values = _recipe_values(recipe, context)
    if fuzzed in ROOT_PARAMS:
        root = [f"{ROOT_PARAMS[fuzzed].opts[0]}={value}", *root]
    elif fuzzed:
        values[fuzzed] = [value, *values.get(fuzzed, [])[1:]]
    options: list[str] = list(recipe.flags)
    arguments: list[str] = []
    for param in LEAVES[name].params:
        items = values.get(param.name)
        if items is None:
            assert not param.required, f"{name}: the recipe has no value for {param.name}"
        elif isinstance(param, TyperArgument):
            arguments.extend(items)
        else:
            options.extend(f"{param.opts[0]}={item}" for item in items)
    return [*root, *name.split(), *options, "--", *arguments]


# ------------------------------------------------------------------ values

CHARACTERS = st.characters(codec="utf-8", exclude_characters="\x00")  # argv cannot hold NUL
NASTY = [
    "",
    " ",
    "1993-13-45",
    "../../etc/passwd",
    "-1",
    "0",
    "NaN",
    "inf",
    "1e309",
    "9" * 40,
    "x" * 5000,
    "Ωμέγα 名前 ñ",
    "'; DROP TABLE statement; --",
    "--json",
    "a\nb",
    "%s%n{0}",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(CHARACTERS, max_size=30),
    st.builds(lambda part, times: part * times, st.text(CHARACTERS, min_size=1, max_size=4),
              st.integers(300, 1500)),
)  # fmt: skip
# The same examples on every run (CI must not pass or fail by chance); widen max_examples
# locally to explore further.
FEW = settings(max_examples=5, deadline=None, derandomize=True, database=None)


def _is_path(name: str, param_name: str) -> bool:
    if param_name in ROOT_PARAMS:
        return param_name == "root.db"
    param = next(p for p in LEAVES[name].params if p.name == param_name)
    return bool(param.type_descriptor.is_path)


def _safe_path(value: str) -> str:
    """A path the command may read or write without leaving the test's folder.

    Separators are dropped (so "/" is no folder to walk and no file to overwrite), and a
    leading "~" (no home folder): one name in the working folder is left, which is two
    folders below the store's, so ".." is inside the test too. The fixed values keep
    their separators: "../../etc/passwd" leads to a folder that does not exist.
    """
    if value in NASTY:
        return value
    return value.replace("/", "").replace("\\", "").lstrip("~")


# ------------------------------------------------------------------ the store


@dataclass(frozen=True)
class Seeded:
    folder: Path
    context: dict[str, str]


def _call(*args: str) -> tuple[int, str]:
    """Run a seeding command: its exit code and standard output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        old, sys.stdin = sys.stdin, io.StringIO(PASSWORD)
        try:
            main(list(args))
        except SystemExit as exc:
            return int(exc.code or 0), out.getvalue()
        finally:
            sys.stdin = old
    raise AssertionError("main returned without SystemExit")


def _ok(*args: str) -> str:
    code, out = _call(*args)
    assert code == 0, f"seeding failed: threadline {shlex.join(args)}"
    return out


def _write_files(folder: Path) -> None:
    (folder / "pairs.csv").write_text("name1,name2\nAnna Eriksson,Ana Ericsson\n", "utf-8")
    (folder / "outcomes.csv").write_text("metric,value\nvictims_rescued,3\n", "utf-8")
    ad = {"id": "ad-7", "platform": "example", "url": "https://example.org/7",
          "posted_at": "2024-05-01T10:00:00+02:00", "country": "fr", "location": "Lyon",
          "title": "Serveuse", "text": "Appelez le 06 39 98 12 34",
          "poster": {"handle": "lola"}, "images": [{"phash": "d1c4a0f0e0c0b0a0"}]}  # fmt: skip
    (folder / "ads.jsonl").write_text(json.dumps(ad) + "\n", "utf-8")
    report = {"id": "mp-1", "schema": "Person", "properties": {"name": ["Maria Lindqvist"]}}
    (folder / "missing.ftm.jsonl").write_text(json.dumps(report) + "\n", "utf-8")
    unit = folder / "unit"  # a folder 'threadline load' reads, with its layout
    unit.mkdir()
    (unit / "reports.ftm.jsonl").write_text(json.dumps(report) + "\n", "utf-8")
    layout = '[[collections]]\nname = "unit-reports"\nkind = "missing-persons"\nfiles = ['
    (unit / "threadline-layout.toml").write_text(layout + '"reports.ftm.jsonl"]\n', "utf-8")


def _seed(folder: Path) -> dict[str, str]:
    """Agencies and users, cases and a missing-person report, an operation with figures,
    a victim with a referral and a notification, a run of each analysis and a simulated
    world: each recipe reaches the value it fuzzes. Returns the names seeding chose."""
    _write_files(folder)
    _ok("agencies", "create", "test-unit", "--country", "SE")
    _ok("agencies", "create", "NCB Oslo", "--country", "NO")
    for user, agency, roles in (
        ("sv-liaison", "test-unit", "victim_liaison"),
        ("sv-analyst", "test-unit", "analyst"),
        ("no-officer", "NCB Oslo", "analyst"),
    ):
        _ok("users", "create", user, "--agency", agency, "--roles", roles, "--password-stdin")
    _ok("ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "cases")
    _ok("collections", "update", "cases", "--sharing", "all")
    _ok("collections", "create", "missing", "--kind", "missing-persons")
    _ok("ingest", str(folder / "missing.ftm.jsonl"), "-c", "missing")
    define = ["--name", "Weka", "--start", "2026-03-01", "--end", "2026-03-10"]
    _ok("ops", "create", "WEKA-III", *define, "--countries", "SE")
    _ok("ops", "submit", "WEKA-III", "SE", str(folder / "outcomes.csv"))
    create = ["victims", "create", "--how", "raid", "--identified-on", "2026-04-01", "--json"]
    victim = str(json.loads(_ok(*LIAISON, *create))["pseudonym"])
    _ok(*LIAISON, "victims", "refer", victim, "shelter")
    _ok(*LIAISON, "victims", "link-missing", victim, "mp-1", "--country", "NO")
    _ok(*LIAISON, "victims", "notify", victim)
    closed = str(json.loads(_ok(*LIAISON, *create))["pseudonym"])
    _ok(*LIAISON, "victims", "close", closed, "--reason", "opened by mistake")
    for analysis in (["network", "build"], ["link", "run"], ["trace", "run"]):
        _ok(*analysis)
    _ok("ads", "analyze", "-c", "cases")
    _ok("simulate", "--out", str(folder / "world"))
    manifest = str(FIXTURES / "border" / "manifest.csv")
    _ok("screen", "manifest", manifest, "--country", "SE")  # safeguarding alerts
    rule = ["--expression", "minor and booking_adults == 0", "--description", "a child alone"]
    _ok("rules", "create", "child-alone", *rule)  # a back-tested draft
    _ok("rules", "test", "child-alone", "--purpose", "investigation", "--reference", "C")
    alerts = _ok("alerts", "list", "--json", "--purpose", "investigation", "--reference", "C")
    networks = _ok("network", "list", "--json", "--purpose", "investigation", "--reference", "C")
    tasks = _ok("tasks", "list", "--json")  # the missing-person report queued a trace
    return {
        "task": str(json.loads(tasks)["items"][0]["id"]),
        "victim": victim,
        "closed_victim": closed,
        "rule": "child-alone",
        "alert": str(json.loads(alerts)["items"][0]["id"]),
        "network": str(json.loads(networks)[0]["id"]),
        "reset_code": _ok("users", "reset-code", "sv-analyst").strip(),
        "fixtures": str(FIXTURES),
        "seed": str(folder),
    }


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One seeded store for the module (seeding takes seconds); each test gets a copy.

    It is made before any test's own settings exist, with settings of its own that it
    takes away again (the environment is as it found it).
    """
    folder = tmp_path_factory.mktemp("seeded")
    settings = {"DB": str(folder / "threadline.db"), "DEFAULT_AGENCY": "test-unit",
                "DEFAULT_COUNTRY": "SE"}  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("THREADLINE_")]:
            if key != "THREADLINE_TEST_PG_URL":
                patch.delenv(key)
        for key, value in settings.items():
            patch.setenv(f"THREADLINE_{key}", value)
        patch.chdir(folder)
        get_settings.cache_clear()
        try:
            context = _seed(folder)
        finally:
            get_settings.cache_clear()
    with sqlite3.connect(folder / "threadline.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies need no -wal file
    yield Seeded(folder, context)


@pytest.fixture
def store(seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """This test's copy of the seeded store, with its audit key and anchor, where the
    autouse fixture configured the database; commands run two folders below it."""
    for item in seeded.folder.iterdir():
        if item.is_file() and not item.name.endswith(("-wal", "-shm")):
            shutil.copy2(item, tmp_path / item.name)
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(Store, "upgrade", _upgrade_once)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    engine = create_engine(f"sqlite:///{tmp_path / 'threadline.db'}")
    yield engine
    engine.dispose()


def _counter(engine: Engine) -> Callable[[], dict[str, int]]:
    """Rows per table of the store in one query (every table the migrations made)."""
    names = sorted(inspect(engine).get_table_names())
    query = select(*[select(func.count()).select_from(table(n)).scalar_subquery().label(n)
                     for n in names])  # fmt: skip

    def count() -> dict[str, int]:
        with engine.connect() as conn:
            return dict(zip(names, conn.execute(query).one(), strict=True))

    return count


def _grew(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Tables whose row count changed, but for the audit log: (before, after)."""
    return {
        name: (before.get(name, 0), count)
        for name, count in after.items()
        if name not in AUDIT_TABLES and count != before.get(name, 0)
    }


# ------------------------------------------------------------------ running a command


@dataclass(frozen=True)
class Outcome:
    code: int | None
    out: str
    err: str
    raised: str = ""


def _where_raised(exc: Exception) -> str:
    """The exception with the Threadline frames it passed through (the rest is libraries)."""
    frames = [
        f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(exc.__traceback__)
        if "/threadline/" in frame.filename
    ]
    return f"{type(exc).__name__}: {str(exc)[:300]}\n  via " + " > ".join(frames)


def _invoke(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    """Run ``threadline ARGV`` as the entry point does; an escaping exception is what a
    user would see as a traceback."""
    sys.stdin = io.StringIO(PASSWORD)  # a password for the commands that read one
    try:
        main(argv)
    except SystemExit as exc:
        out, err = capsys.readouterr()
        code = exc.code if isinstance(exc.code, int) or exc.code is None else -1
        return Outcome(code or 0, out, err)
    except Exception as exc:  # noqa: BLE001 - reported by the assertion
        out, err = capsys.readouterr()
        return Outcome(None, out, err, _where_raised(exc))
    out, err = capsys.readouterr()
    return Outcome(None, out, err, "main returned instead of exiting")


def _shown(argv: list[str]) -> str:
    """The command line as a shell takes it, long values cut (they are the fuzz's)."""
    return "threadline " + " ".join(
        shlex.quote(a if len(a) <= 80 else f"{a[:40]}…({len(a)} characters)") for a in argv
    )


def _check(argv: list[str], outcome: Outcome, grew: dict[str, tuple[int, int]]) -> None:
    """The promise, for one command line and what it did."""
    where = _shown(argv)
    assert not outcome.raised, f"{where}\nraised: {outcome.raised}"
    assert TRACEBACK not in outcome.out + outcome.err, f"{where}\n{outcome.out}{outcome.err}"
    assert outcome.code in (0, 1, 2), f"{where}: exit code {outcome.code}\n{outcome.err}"
    if outcome.code == 0:
        return
    one_line = outcome.err.startswith("threadline: error: ") and outcome.err.count("\n") == 1
    assert one_line, (
        f"{where}: exit code {outcome.code} without one line 'threadline: error: …'\n"
        f"stderr: {outcome.err[:600]!r}\nstdout: {outcome.out[:600]!r}"
    )
    assert not (outcome.code == 2 and grew), f"{where}: refused, yet stored {grew}"


# ------------------------------------------------------------------ the tests


@pytest.mark.parametrize(("name", "fuzzed"), CASES)
def test_wrong_values_are_refused_in_one_line(
    name: str, fuzzed: str, seeded: Seeded, store: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    path_like = _is_path(name, fuzzed)
    long_running = LONG_RUNNING.get((name, fuzzed), frozenset())
    count = _counter(store)
    counted = [count()]  # the counts after one example are the next one's "before"

    @FEW
    @given(value=VALUES)
    @example(value="")  # nothing at all
    @example(value="-1")  # a negative number, or what looks like an option
    @example(value="9" * 40)  # a number no column holds
    @example(value="x" * 300)  # longer than a file name may be
    def fuzz(value: str) -> None:
        if value.strip() in long_running:
            return
        argv = _line(name, seeded.context, fuzzed, _safe_path(value) if path_like else value)
        outcome = _invoke(argv, capsys)
        counted.append(count())
        _check(argv, outcome, _grew(counted[-2], counted[-1]))

    fuzz()


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_recipe_is_a_valid_command_line(
    name: str, seeded: Seeded, store: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unchanged, a recipe runs (or meets the one refusal it documents): so a refusal
    while fuzzing is the fuzzed value's, not the rest of the line's."""
    argv = _line(name, seeded.context)
    outcome = _invoke(argv, capsys)
    _check(argv, outcome, {})
    refused = RECIPES[name].refused
    expected = 2 if refused else 0
    assert outcome.code == expected, f"{_shown(argv)}\n{outcome.err}"
    assert refused in outcome.err


def test_a_stored_row_is_seen_and_the_audit_log_is_not(
    seeded: Seeded, store: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """The comparison behind "a refused command stores nothing" can fail."""
    count = _counter(store)
    before = count()
    assert _invoke(["agencies", "create", "NCB Fuzz", "--country", "NO"], capsys).code == 0
    assert _grew(before, count()) == {"agency": (2, 3)}
    before = count()
    reset = ["users", "reset-password", "sv-analyst", "--code", "wrong", "--password-stdin"]
    assert _invoke(reset, capsys).code == 2  # a failed reset is audited
    after = count()
    assert after["audit_event"] > before["audit_event"]
    assert _grew(before, after) == {}


def test_every_command_is_fuzzed_or_left_out_with_a_reason() -> None:
    """A new command needs a recipe (or a reason to be left out) to ship."""
    missing = sorted(set(LEAVES) - set(RECIPES) - set(EXCLUDED_COMMANDS))
    assert not missing, f"commands with no recipe in {__file__}: {missing}"
    assert not set(RECIPES) - set(LEAVES), "recipes of commands that no longer exist"
    for name, param in [*EXCLUDED_OPTIONS, *LONG_RUNNING]:
        assert param in {p.name for p in LEAVES[name].params}, (name, param)

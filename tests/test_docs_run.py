"""Every command the guides show in a shell block is run, in order, against a small world.

A guide whose commands no longer work sends a reader into an error at the first step, so
README.md and each guide in docs/ (docs/walkthrough.md has its own test) is run as a reader
would run it: every ``threadline`` line of its shell blocks (read as
:mod:`support.guides` reads them), in the order shown, through the command line's entry
point, in a folder of its own that holds a copy of the prepared world (below). A command must
end with exit code 0, or with the code its comment promises (``# exit code 2``). A block
whose info string names a file (```` ```csv file=pairs.csv ````) is written to that file
before the guide's first command.

How a line is read:

- ``[...]`` (an optional part) is run: what a guide offers must work.
- ``a|b|c`` (alternatives) runs the line once per alternative; several groups on one line
  advance together (the second run takes the second of each, a shorter group its last).
- A word that is a placeholder of :data:`PLACEHOLDERS` is replaced by its value, looked up
  when the command runs (so ``V-...`` is the record the guide has just created); globs are
  expanded as a shell would.
- A command that cannot run in a test is in :data:`NOT_AS_SHOWN` with the reason and what
  is run instead; an entry that no guide shows any more fails the test.
- Other lines of a shell block (``export``, ``curl``, ``python``) are not run: so the
  deployment block of docs/worker.md upgrades the guide's SQLite store, not the PostgreSQL
  database its ``export THREADLINE_DB=...`` names.

The prepared world is :mod:`support.guide_world`'s (built once per test process by the
session fixture ``guide_world``; tests/cli/test_json_contracts.py runs on it too): the
demo's store with the simulated world's files beside it, ``delivery/`` for docs/loading.md
and ``cases.xlsx`` for docs/formats.md.
"""

from __future__ import annotations

import glob
import io
import re
import shlex
import sqlite3
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer._click.termui as termui

from support.guide_world import AGENCY, copy_world
from support.guides import GUIDES, Shown, blocks, name, shell_commands
from threadline.cli.main import main
from threadline.settings import get_settings

RUN = [g for g in GUIDES if name(g) != "docs/walkthrough.md"]
PASSWORD = "a long enough password"
EXIT_CODE = re.compile(r"\bexit code (\d+)\b")


@dataclass(frozen=True)
class Placeholder:
    """What a placeholder stands for, and how its value is found in a guide's folder."""

    meaning: str
    value: Callable[[Path], str]


def _fixed(value: str) -> Callable[[Path], str]:
    return lambda folder: value


def _first(sql: str) -> Callable[[Path], str]:
    """The first column of the first row the query finds in the guide's store."""

    def value(folder: Path) -> str:
        with sqlite3.connect(folder / "threadline.db") as conn:
            row = conn.execute(sql).fetchone()
        if row is None or row[0] is None:
            raise LookupError(f"nothing in the guide's store for: {sql}")
        return str(row[0])

    return value


_RISKIEST = "SELECT key FROM finding WHERE kind = 'network' ORDER BY score DESC, key LIMIT 1"
_MEMBERS = (
    "SELECT e.{end} FROM network_edge e JOIN finding f ON f.kind = 'network' "
    f"AND f.key = ({_RISKIEST}) "
    "WHERE e.source IN (SELECT value FROM json_each(f.data, '$.members')) "
    "AND e.target IN (SELECT value FROM json_each(f.data, '$.members')) "
    "ORDER BY e.kind = 'relation' DESC, e.source, e.target LIMIT 1"
)

# The one substitution table: every placeholder a shell block may show, with its value.
PLACEHOLDERS: dict[str, Placeholder] = {
    "ALERT_ID": Placeholder(
        "the unit's first new alert",
        _first(f"SELECT min(id) FROM alert WHERE agency = '{AGENCY}' AND state = 'new'"),
    ),
    "NETWORK_ID": Placeholder("the riskiest network the demo built", _first(_RISKIEST)),
    "ENTITY_ID": Placeholder(
        "a member of that network, linked to another (a relation first)",
        _first(_MEMBERS.format(end="source")),
    ),
    "OTHER_ENTITY_ID": Placeholder("that other member", _first(_MEMBERS.format(end="target"))),
    "PERSON_ID": Placeholder(
        "a person the unit identified in a raid or at a border",
        _first(
            "SELECT min(s.entity_id) FROM statement s JOIN collection c ON c.id = s.collection_id"
            " WHERE c.name = 'identified-persons' AND s.schema = 'Person'"
        ),
    ),
    "REPORT_ID": Placeholder(
        "a missing-person report: the first yellow notice",
        _first("SELECT min(entity_id) FROM statement WHERE entity_id LIKE 'interpol-yellow-%'"),
    ),
    "TASK_ID": Placeholder("the queue's first task", _first("SELECT min(id) FROM task")),
    "V-...": Placeholder(
        "the pseudonym of the newest victim record",
        _first("SELECT pseudonym FROM victim ORDER BY id DESC LIMIT 1"),
    ),
    "NOTIFICATION_ID": Placeholder(
        "the newest notification", _first("SELECT max(id) FROM notification")
    ),
    "CODE": Placeholder("an operation's code: the demo's operation", _fixed("DEMO-LIBERTY")),
    "USER": Placeholder(
        "a registered user: the demo's operation coordinator", _fixed("coordinator")
    ),
    "DIR": Placeholder(
        "a folder with a layout file: docs/loading.md's delivery", _fixed("delivery")
    ),
    "FILE": Placeholder("that folder's layout file", _fixed("delivery/threadline-layout.toml")),
    "N": Placeholder("a count, a version or a number of hops", _fixed("1")),
    "R": Placeholder("a risk between 0 and 1", _fixed("0.5")),
}

# Commands that are not run as shown: (guide, command as shown) -> (why, what is run instead).
NOT_AS_SHOWN: dict[tuple[str, str], tuple[str, list[str]]] = {
    ("docs/api.md", "threadline serve --workers 2 &"): (
        "serves until stopped: its options are checked with --help",
        ["serve", "--workers", "2", "--help"],
    ),
    ("docs/worker.md", "threadline serve --workers 4 --no-worker"): (
        "serves until stopped: its options are checked with --help",
        ["serve", "--workers", "4", "--no-worker", "--help"],
    ),
    ("docs/worker.md", "threadline worker"): (
        "works until stopped: run with --once (what is due now, then stop)",
        ["worker", "--once"],
    ),
    ("docs/worker.md", "threadline worker --kind screen_manifest --kind rescreen"): (
        "works until stopped: run with --once (what is due now, then stop)",
        ["worker", "--kind", "screen_manifest", "--kind", "rescreen", "--once"],
    ),
}

# A guide that starts a new installation starts from the world's files without a store.
FRESH = {
    "docs/loading.md": "registers its agency and users, then loads its first delivery",
    "docs/screening.md": "loads its watchlists and manifests into collections of its own",
}


# ------------------------------------------------------------------ reading a line


def _optional_parts(text: str) -> str:
    """``[--json]`` read as ``--json``: an optional part is run."""
    return re.sub(r"(?<!\S)\[([^\[\]]*)\](?!\S)", r"\1", text)


def _alternatives(word: str, raw: str) -> list[str]:
    """``html|pdf|csv`` as written unquoted in the line: its alternatives, else the word."""
    if "|" in word and re.search(rf"(?<!\S){re.escape(word)}(?!\S)", raw):
        return word.split("|")
    return [word]


def expected_code(shown: Shown) -> int:
    found = EXIT_CODE.search(shown.comment)
    return int(found.group(1)) if found else 0


def runs(shown: Shown, folder: Path) -> list[list[str]]:
    """The argument lists a shown line is run as (the words after ``threadline``)."""
    raw = _optional_parts(shown.text)
    words = [_alternatives(w, raw) for w in shlex.split(raw)[1:]]
    count = max((len(w) for w in words), default=1)
    out = []
    for index in range(count):
        args = []
        for choices in words:
            word = choices[min(index, len(choices) - 1)]
            if word in PLACEHOLDERS:
                word = _value(word, folder)
            args.extend(_expanded(word, folder))
        out.append(args)
    return out


def _value(placeholder: str, folder: Path) -> str:
    try:
        return PLACEHOLDERS[placeholder].value(folder)
    except LookupError as exc:
        meaning = PLACEHOLDERS[placeholder].meaning
        raise LookupError(f"{placeholder} ({meaning}) has no value: {exc}") from None


def _expanded(word: str, folder: Path) -> list[str]:
    if not any(c in word for c in "*?["):
        return [word]
    found = sorted(glob.glob(word, root_dir=folder))
    return found or [word]


# ------------------------------------------------------------------ running a guide


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    """One command through the entry point; a traceback is an outcome too (exit code 1)."""
    trace = ""
    try:
        main(argv)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except Exception:  # noqa: BLE001 - shown with the command that raised it
        code, trace = 1, traceback.format_exc()
    out, err = capsys.readouterr()
    return Outcome(code, out + err + trace)


def _steps(guide: Path, folder: Path) -> Iterator[tuple[Shown, list[str] | str, int]]:
    """Each run of each shown command: the line, the arguments (or why there are none: a
    placeholder without a value), the exit code expected."""
    for shown in shell_commands(guide):
        instead = NOT_AS_SHOWN.get((shown.guide, shown.text))
        if instead is not None:
            yield shown, instead[1], 0
            continue
        try:
            found = runs(shown, folder)
        except LookupError as exc:
            yield shown, str(exc), 0
            continue
        for args in found:
            yield shown, args, expected_code(shown)


def _shortened(output: str, limit: int = 3000) -> str:
    return output if len(output) <= limit else output[:1000] + "\n[…]\n" + output[-2000:]


@pytest.mark.parametrize("guide", RUN, ids=name)
def test_every_command_of_the_guide_works(
    guide: Path,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not any(shell_commands(guide)):
        return  # nothing to run (its inline commands are name-checked by test_docs_commands)
    prepared: Path = request.getfixturevalue("guide_world")
    copy_world(prepared, tmp_path, store=name(guide) not in FRESH)
    for block in blocks(guide):
        if block.file is not None:
            (tmp_path / block.file).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / block.file).write_text(block.text, encoding="utf-8")
    # The folder's threadline.toml names the agency: the test's own defaults step aside.
    monkeypatch.delenv("THREADLINE_DEFAULT_AGENCY", raising=False)
    monkeypatch.delenv("THREADLINE_DEFAULT_COUNTRY", raising=False)
    get_settings.cache_clear()
    # A password asked for (--password-stdin, or typed twice at the prompt) is on stdin.
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSWORD}\n" * 100))
    monkeypatch.setattr(termui, "hidden_prompt_func", lambda prompt: sys.stdin.readline()[:-1])
    failures = []
    for shown, args, wanted in _steps(guide, tmp_path):
        if isinstance(args, str):
            failures.append(f"{shown.guide}:{shown.line}: {shown.text}\n  not run: {args}")
            continue
        try:
            outcome = run(args, capsys)
        finally:
            get_settings.cache_clear()
        if outcome.code != wanted:
            failures.append(failure(shown, args, outcome, wanted))
    assert not failures, "\n\n".join(failures)


def failure(shown: Shown, args: list[str], outcome: Outcome, wanted: int) -> str:
    """The guide, the line and the command as shown and as run, and what it printed."""
    return (
        f"{shown.guide}:{shown.line}: {shown.text}\n"
        f"  ran: threadline {shlex.join(args)}\n"
        f"  exit code {outcome.code}, expected {wanted}; its output:\n" + _shortened(outcome.output)
    )


# ------------------------------------------------------------------ the reading itself


def test_the_tables_hold_nothing_stale() -> None:
    """A command of NOT_AS_SHOWN or a placeholder no guide shows any more fails here."""
    lines = [s for g in RUN for s in shell_commands(g)]
    gone = set(NOT_AS_SHOWN) - {(s.guide, s.text) for s in lines}
    assert not gone, sorted(gone)
    used = {w for s in lines for w in shlex.split(_optional_parts(s.text))}
    assert not set(PLACEHOLDERS) - used, sorted(set(PLACEHOLDERS) - used)
    assert set(FRESH) <= {name(g) for g in RUN}


def test_a_failure_names_the_guide_line_command_and_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A command that fails is reported with where it is shown and what it printed."""
    shown = Shown("docs/x.md", 7, "threadline alerts show ALERT_ID")
    outcome = run(["alerts", "show", "seven"], capsys)
    message = failure(shown, ["alerts", "show", "seven"], outcome, 0)
    assert outcome.code == 2
    assert message.startswith("docs/x.md:7: threadline alerts show ALERT_ID\n")
    assert "ran: threadline alerts show seven" in message and "valid integer" in message


# Words guides use as placeholders; in a shell block each must be one of PLACEHOLDERS.
LIKELY = {"ID", "FILE", "DIR", "NAME", "PATH", "CODE", "CC", "USER", "QUERY", "ENTITY", "DATE"}


def test_the_guides_are_run_and_use_only_known_placeholders() -> None:
    """Most guides show commands; no shell block shows a placeholder the table lacks."""
    lines = [s for g in RUN for s in shell_commands(g)]
    assert len({s.guide for s in lines}) >= 10 and len(lines) >= 60
    unknown = {
        f"{s}: {w}"
        for s in lines
        for w in shlex.split(_optional_parts(s.text))
        if (w in LIKELY or re.fullmatch(r"[A-Z]+_[A-Z_]+|<[^>]+>|\S*(\.\.\.|…)", w))
        and w not in PLACEHOLDERS
    }
    assert not unknown, sorted(unknown)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("threadline alerts list [--json]", [["alerts", "list", "--json"]]),
        (
            'threadline ops report X --format html|pdf [--note "a|b"]',
            [
                ["ops", "report", "X", "--format", "html", "--note", "a|b"],
                ["ops", "report", "X", "--format", "pdf", "--note", "a|b"],
            ],
        ),
        ("threadline rules test r --version N", [["rules", "test", "r", "--version", "1"]]),
    ],
)
def test_a_line_is_read_as_documented(text: str, expected: list[list[str]]) -> None:
    assert runs(Shown("x.md", 1, text), Path(".")) == expected


def test_a_comment_may_promise_an_error() -> None:
    assert expected_code(Shown("x.md", 1, "threadline x", "refused: exit code 2")) == 2
    assert expected_code(Shown("x.md", 1, "threadline x", "checks everything")) == 0

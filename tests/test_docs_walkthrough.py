"""docs/walkthrough.md, run as a new analyst would: every command, in order, must work.

The page's shell blocks are run line by line through the command line's entry point in an
empty folder (globs expanded as a shell would); a block whose info string names a file
(```` ```csv file=gb.csv ````) is written to that file first. A command that fails, or a
page that no longer shows the steps it promises, fails the test: the guide cannot drift
from the code.
"""

from __future__ import annotations

import glob
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.guides import ROOT, block_commands, blocks
from threadline.cli.main import main
from threadline.settings import get_settings

GUIDE = ROOT / "docs" / "walkthrough.md"


@dataclass(frozen=True)
class Step:
    line: int
    command: list[str] | None = None  # the words after ``threadline``
    file: str | None = None  # or a file to write, with its text
    text: str = ""


def steps(guide: Path = GUIDE) -> list[Step]:
    """The page's files to write and commands to run, in the order it shows them."""
    out: list[Step] = []
    for block in blocks(guide):
        if block.file:
            out.append(Step(block.line, file=block.file, text=block.text))
        for shown in block_commands(block):
            out.append(Step(shown.line, command=shlex.split(shown.text)[1:]))
    return out


def _expanded(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        matches = sorted(glob.glob(word)) if any(c in word for c in "*?[") else []
        out.extend(matches or [word])
    return out


def test_the_page_shows_the_working_day() -> None:
    names = [" ".join(s.command[:2]) for s in steps() if s.command]
    for wanted in ("simulate --seed", "load world", "search Marites", "screen manifest",
                   "trace show", "alerts triage", "network show", "ops report"):  # fmt: skip
        assert any(n.startswith(wanted.split()[0]) and wanted.split()[1] in n for n in names), (
            wanted
        )
    assert [s.file for s in steps() if s.file] == ["threadline.toml", "gb.csv"]


def test_every_command_of_the_walkthrough_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The page sets the unit's agency in threadline.toml: the test's own defaults step aside.
    monkeypatch.delenv("THREADLINE_DEFAULT_AGENCY", raising=False)
    monkeypatch.delenv("THREADLINE_DEFAULT_COUNTRY", raising=False)
    get_settings.cache_clear()
    outputs: dict[str, str] = {}
    for step in steps():
        if step.file is not None:
            (tmp_path / step.file).write_text(step.text, encoding="utf-8")
            get_settings.cache_clear()
            continue
        assert step.command is not None
        with pytest.raises(SystemExit) as done:
            main(_expanded(step.command))
        out, err = capsys.readouterr()
        shown = " ".join(step.command)
        assert done.value.code in (0, None), f"docs/walkthrough.md:{step.line}: {shown}\n{err}"
        outputs[shown] = out
    assert get_settings().default_agency == "National Anti-Trafficking Unit"
    trail = next(v for k, v in outputs.items() if k.startswith("trace show"))
    assert "flight" in trail and "dated step" in trail
    assert "dismissed" in next(v for k, v in outputs.items() if k.startswith("alerts show"))
    assert "Totals" in next(v for k, v in outputs.items() if k.startswith("screen manifest"))
    report = next(v for k, v in outputs.items() if k.startswith("ops report"))
    assert "arrests_trafficking" in report or "Arrests" in report

"""Every ``threadline`` command the README and docs/ show exists, with the options they show.

A guide that names a command or option the code no longer has sends an analyst into an
error at the first step, so the guides are read as the code reads them: each command line
in a shell block (```` ```sh ````, ```` ```console ````, or a bare block) and each inline
code span that starts with ``threadline`` is walked down the command tree, and every
``--option`` it shows must be one of that command's options or a global one. Placeholders
(``FILE``, ``[--json]``, ``html|pdf``) are read as the guides write them. The shell blocks'
commands are also run, in order, against a small world (test_docs_walkthrough.py and
test_docs_run.py); this test keeps the names true everywhere, inline spans included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from typer._click.core import Command

from support.guides import GUIDES, Shown, inline_commands, shell_commands
from threadline.cli.main import command, hoisted

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def shown_commands() -> Iterator[Shown]:
    """Every ``threadline`` command line in the guides: shell blocks and inline spans."""
    for guide in GUIDES:
        yield from shell_commands(guide)
        yield from inline_commands(guide)


def _words(text: str) -> list[str]:
    """The line's words, placeholders' brackets and alternatives taken apart."""
    cleaned = re.sub(r"[\[\]{}()|,]", " ", text.replace("…", " ").replace("...", " "))
    return cleaned.split()


def resolve(text: str) -> tuple[Command, list[str], list[str]]:
    """The command a line names (as deep as its words go), its path, and its options."""
    words = _words(text)[1:]
    root = command()
    global_opts = {o for p in root.params for o in getattr(p, "opts", ())}
    node, path = root, []
    position = 0
    while position < len(words):
        word = words[position]
        children = getattr(node, "commands", None)
        if word.split("=", 1)[0] in global_opts:
            position += 1 if "=" in word or word in {"--version", "--help"} else 2
        elif children and word in children:
            node, path = children[word], [*path, word]
            position += 1
        else:
            break
    return node, path, OPTION.findall(text)


def problems(shown: Shown) -> list[str]:
    """What in a shown line the command tree does not have."""
    node, path, options = resolve(shown.text)
    root = command()
    children = getattr(node, "commands", None)
    rest = _words(shown.text)[1 + len(path) :]
    if children and rest and "/" in rest[0]:  # "threadline jobs list/show": each one exists
        where = " ".join(["threadline", *path])
        return [f"{where} has no command {w!r}" for w in rest[0].split("/") if w not in children]
    if children and node is not root and not options:
        return []  # a group named on its own ("threadline ads"): its subcommands follow
    words = _words(shown.text)[1:]
    first = next((w for w in words if not w.startswith("-")), None)
    if node is root and first is not None and first.islower() and first.isalpha():
        return [f"no command {first!r}"]
    own = {
        o for p in node.params for o in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ()))
    }
    global_opts = {o for p in root.params for o in getattr(p, "opts", ())}
    where = " ".join(["threadline", *path])
    return [
        f"{where} has no option {o}" for o in options if o not in own | global_opts | {"--help"}
    ]


ALL = list(shown_commands())


def test_the_guides_show_commands() -> None:
    """The extraction itself works: the guides name many commands, in blocks and inline."""
    assert len(ALL) > 150
    assert any(s.guide == "docs/loading.md" and s.text.startswith("threadline load") for s in ALL)
    assert {s.guide for s in ALL} >= {"README.md", "docs/screening.md", "docs/victims.md"}


def test_every_shown_command_and_option_exists() -> None:
    wrong = [f"{shown}  ->  {problem}" for shown in ALL for problem in problems(shown)]
    assert not wrong, "commands in the guides that the code does not have:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "threadline screen manifest FILE --flight ZZ1",
            "threadline screen manifest has no option --flight",
        ),
        ("threadline sreen person --name X", "no command 'sreen'"),
        ("threadline jobs list/show/purge", "threadline jobs has no command 'purge'"),
        (
            "threadline ops history CODE CC [--since DATE]",
            "threadline ops history has no option --since",
        ),
    ],
)
def test_a_wrong_line_is_caught(text: str, problem: str) -> None:
    """The check fails on what it exists to catch (an unknown option, a misspelt command)."""
    found = problems(Shown("x.md", 1, text))
    assert found and any(problem in p for p in found)


def test_global_options_anywhere_resolve_like_the_command_line() -> None:
    """``--db`` after the subcommand is read as the command line reads it."""
    assert hoisted(["collections", "list", "--db", "x.db"]) == [
        "--db",
        "x.db",
        "collections",
        "list",
    ]
    node, path, _ = resolve("threadline --db x.db collections list")
    assert path == ["collections", "list"] and node.name == "list"

"""The guides (README.md and docs/*.md) read as their tests read them.

One reading for every test of the guides: the fenced blocks (with the file a block's info
string names, ```` ```csv file=gb.csv ````), the ``threadline`` command lines of the shell
blocks (```` ```sh ````, ``bash``, ``console``, ``shell`` or a bare block; a ``$`` prompt or
a path before ``threadline`` is dropped, a line ending in ``\\`` goes on on the next, a
``#`` outside quotes starts a comment) and the inline code spans that start with
``threadline``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_BLOCKS = frozenset({"", "sh", "shell", "bash", "console"})
FENCE = re.compile(r"^```(?P<lang>[\w+-]*)(?P<attrs>.*)$")
FILE_ATTR = re.compile(r"(?:^|\s)file=(\S+)")
PROMPT = re.compile(r"^(?:\$\s+)?(?:\.venv/bin/|\S*/)?(threadline\s.*)$")
INLINE = re.compile(r"`(threadline(?:\s[^`]*)?)`")


def name(guide: Path) -> str:
    """A guide's path as its failures name it (``docs/alerts.md``)."""
    return guide.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Block:
    """A fenced block: its language, the file it names, its first line's number, its lines."""

    guide: str
    line: int
    lang: str
    file: str | None
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass(frozen=True)
class Shown:
    """A command line as a guide shows it, and where (its comment kept apart)."""

    guide: str
    line: int
    text: str
    comment: str = ""

    def __str__(self) -> str:
        return f"{self.guide}:{self.line}: {self.text}"


def blocks(guide: Path) -> Iterator[Block]:
    """The guide's fenced blocks, in order."""
    lines = guide.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        found = FENCE.match(lines[index].strip())
        index += 1
        if found is None:
            continue
        start = index
        while index < len(lines) and not lines[index].strip().startswith("```"):
            index += 1
        attrs = FILE_ATTR.search(found["attrs"])
        yield Block(
            name(guide),
            start + 1,
            found["lang"].lower(),
            attrs.group(1) if attrs else None,
            tuple(lines[start:index]),
        )
        index += 1


def split_comment(text: str) -> tuple[str, str]:
    """The command and its comment: a ``#`` after a space, outside quotes, starts one."""
    quote: str | None = None
    for position, char in enumerate(text):
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (position == 0 or text[position - 1].isspace()):
            return text[:position].rstrip(), text[position + 1 :].strip()
    return text.rstrip(), ""


def block_commands(block: Block) -> Iterator[Shown]:
    """The ``threadline`` command lines of a shell block, continuation lines joined."""
    if block.lang not in SHELL_BLOCKS or block.file is not None:
        return
    index = 0
    while index < len(block.lines):
        number, line = block.line + index, block.lines[index].strip()
        index += 1
        while line.endswith("\\") and index < len(block.lines):
            line = line[:-1].rstrip() + " " + block.lines[index].strip()
            index += 1
        found = PROMPT.match(line)
        if found:
            text, comment = split_comment(found.group(1))
            yield Shown(block.guide, number, text, comment)


def shell_commands(guide: Path) -> Iterator[Shown]:
    """Every ``threadline`` command line of the guide's shell blocks, in order."""
    for block in blocks(guide):
        yield from block_commands(block)


def inline_commands(guide: Path) -> Iterator[Shown]:
    """Every inline code span of the guide's running text that starts with ``threadline``."""
    inside = False
    for number, line in enumerate(guide.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith("```"):
            inside = not inside
            continue
        if not inside:
            for span in INLINE.findall(line):
                yield Shown(name(guide), number, span.strip())

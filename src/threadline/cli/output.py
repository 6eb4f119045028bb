"""Rendering helpers shared by every command: JSON for machines, Rich for people."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import orjson
from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _default(value: Any) -> Any:
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()  # a numpy scalar (graph measures are computed with numpy)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(data: Any, *, indent: bool = False) -> str:
    """Serialise to JSON text (UTF-8, dates as ISO 8601, dataclasses as objects)."""
    option = (
        orjson.OPT_NON_STR_KEYS
        | orjson.OPT_SERIALIZE_NUMPY
        | (orjson.OPT_INDENT_2 if indent else 0)
    )
    return orjson.dumps(data, default=_default, option=option).decode("utf-8")


def shown(value: Any) -> str:
    """A stored value as a person reads it in a table: lists joined, no ``None``/``True``
    reprs, times to the minute, counts with thousands separators."""
    if value is None or value == [] or value == ():
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return shown(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def minute(value: str | None) -> str:
    """A stored ISO date or time as a person reads it, to the minute: ``2025-01-19 06:35``
    (a date stays a date; "" when there is none)."""
    return (value or "")[:16].replace("T", " ")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 ad``, ``2 ads``, ``1,204 travellers``: a count with its noun in the right number."""
    word = noun if number == 1 else (plural or noun + "s")
    return f"{number:,} {word}"


def print_json(data: Any) -> None:
    """Print one JSON document (pretty) to standard output."""
    sys.stdout.write(dumps(data, indent=True) + "\n")
    sys.stdout.flush()


def print_json_lines(items: Iterable[Any]) -> None:
    """Print one compact JSON object per line, for piping."""
    out = sys.stdout
    for item in items:
        out.write(dumps(item) + "\n")
    out.flush()


@contextlib.contextmanager
def output_file(out: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``out`` written whole or not at all: the text goes to a partial
    file beside it that replaces ``out`` only when the command succeeded, so a refused or
    failed export never leaves an empty file or wipes an earlier one."""
    if out is None:
        yield sys.stdout
        return
    from threadline.exc import InputError

    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise InputError(f"--out {out}: there is no folder {out.parent}")
    partial = out.with_name(f".{out.name}.partial")
    try:
        try:
            handle = partial.open("w", encoding="utf-8")
        except OSError as exc:  # named as the user wrote it, not the partial file
            raise InputError(f"--out {out}: {exc.strerror or exc}") from None
        with handle:
            yield handle
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)

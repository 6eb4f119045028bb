"""Checking a command's JSON against a table of promised fields, level by level.

A table maps each command to its levels: a level is a path into the output (``""`` the
whole output, ``[]`` each item of a list, ``results[].person_hits[]`` each person hit of
each row) and holds the fields promised there, each with its type: ``str``, ``int``,
``float`` (any JSON number: ``1`` and ``1.0`` alike), ``bool``, ``list``, ``dict``,
``X | None`` (may be null) or ``object`` (any value). ``name?`` is a field left out where it
does not apply: typed wherever present, and it must be seen at least once. A level may be
:class:`Like` a level of another command (or of the same one), with every level below it.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args


@dataclass(frozen=True)
class Like:
    """A level shaped as a level of another contract (with every level below it)."""

    contract: str
    level: str = ""


Fields = dict[str, Any]  # field name ("name?" when optional) -> its type
Level = Fields | Like
Contracts = Mapping[str, Mapping[str, Level]]


def _steps(level: str) -> list[str]:
    """``results[].person_hits[]`` -> ``["results", "[]", "person_hits", "[]"]``."""
    return re.findall(r"\[\]|[^.\[\]]+", level)


def _join(prefix: str, rest: str) -> str:
    if not prefix or not rest:
        return prefix or rest
    return prefix + rest if rest.startswith("[") else f"{prefix}.{rest}"


def levels(table: Contracts, contract: str) -> dict[str, Fields]:
    """The contract's levels with every :class:`Like` replaced by the levels it names."""
    return dict(_resolved(table, contract, ""))


def _resolved(table: Contracts, contract: str, under: str) -> Iterator[tuple[str, Fields]]:
    """The contract's levels at ``under`` and below it (``""``: all), re-rooted there."""
    for level, spec in table[contract].items():
        if under and not re.match(rf"{re.escape(under)}(?=$|[.\[])", level):
            continue
        rest = level[len(under) :].lstrip(".")
        if isinstance(spec, Like):
            for path, fields in _resolved(table, spec.contract, spec.level):
                yield _join(rest, path), fields
        else:
            yield rest, spec


def _at(value: Any, steps: list[str], where: str = "") -> Iterator[tuple[str, Any]]:
    """Each value the steps reach, with where it is (``results[3].person_hits[0]``); a
    missing key or a null stops there (the level above reports a missing field)."""
    if not steps:
        yield where, value
        return
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _at(item, rest, f"{where}[{index}]")
    elif isinstance(value, dict) and value.get(step) is not None:
        yield from _at(value[step], rest, _join(where, step))


def _kinds(kind: Any) -> tuple[Any, ...]:
    return get_args(kind) if isinstance(kind, types.UnionType) else (kind,)


def fits(value: Any, kind: Any) -> bool:
    """Whether a JSON value is of the table's type (``float``: any number, not a bool)."""
    for one in _kinds(kind):
        if one is object or (one is type(None) and value is None):
            return True
        if isinstance(value, bool):
            if one is bool:
                return True
        elif (one is float and isinstance(value, int | float)) or isinstance(value, one):
            return True
    return False


def shown(kind: Any) -> str:
    """A type as the table writes it: ``str | None``."""
    return " | ".join("None" if k is type(None) else k.__name__ for k in _kinds(kind))


@dataclass
class _Findings:
    """Problems with the first place each was seen and how many more places had it."""

    first: dict[str, str] = field(default_factory=dict)
    more: dict[str, int] = field(default_factory=dict)

    def add(self, problem: str, where: str) -> None:
        if problem in self.first:
            self.more[problem] = self.more.get(problem, 0) + 1
        else:
            self.first[problem] = where

    def lines(self, contract: str) -> list[str]:
        out = []
        for problem, where in self.first.items():
            extra = self.more.get(problem, 0)
            also = f" (and {extra:,} more like it)" if extra else ""
            out.append(f"threadline {contract}: at {where or '(top level)'}{also}: {problem}")
        return out


def _check(item: Any, where: str, fields: Fields, found: _Findings) -> set[str]:
    """One object of a level against its fields; the fields it has."""
    if not isinstance(item, dict):
        found.add(f"an object expected, got {type(item).__name__}", where)
        return set()
    for name, kind in fields.items():
        key = name.removesuffix("?")
        if key not in item:
            if key == name:
                found.add(f"missing field {key!r} ({shown(kind)})", where)
        elif not fits(item[key], kind):
            got = json.dumps(item[key], ensure_ascii=False)[:60]
            found.add(f"field {key!r}: {shown(kind)} expected, got {got}", where)
    return set(item)


def broken(table: Contracts, contract: str, outputs: list[Any]) -> list[str]:
    """What in these outputs of the contract's command breaks its promise: a field missing
    or of another type, a level no output reached, an optional field never seen."""
    found = _Findings()
    unseen: list[str] = []
    for level, fields in levels(table, contract).items():
        reached = [(w, v) for output in outputs for w, v in _at(output, _steps(level))]
        present = set().union(*(_check(v, w, fields, found) for w, v in reached))
        where = level or "(top level)"
        if not reached:
            unseen.append(
                f"threadline {contract}: no output reached {where}: the runs no longer "
                "exercise this level (choose arguments that do)"
            )
            continue
        unseen += [
            f"threadline {contract}: at {where}: optional field {name[:-1]!r} never seen "
            "(renamed or removed?)"
            for name in fields
            if name.endswith("?") and name[:-1] not in present
        ]
    return found.lines(contract) + unseen

"""``threadline match``: score name pairs with the screening matcher."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from threadline.exc import InputError

app = typer.Typer(no_args_is_help=True, help="Score names against each other.")

_REQUIRED = ("name1", "name2")


@app.command("pairs")
def pairs(
    file: Path = typer.Argument(..., help="CSV with header name1,name2[,schema]."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object per line."),
) -> None:
    """Score each row's two names; rows that cannot be scored are reported and skipped.

    The optional ``schema`` column is a FollowTheMoney schema (Person by default,
    Organization, Company, Vessel, ...). Each row is decided match, possible or no match.
    Exit code 1 when any row was skipped.
    """
    from threadline.cli.output import console, print_json_lines

    results: list[dict[str, Any]] = []
    bad = 0
    for number, row, error in _rows(file):
        if error is not None:
            bad += 1
            sys.stderr.write(f"threadline: {file}: row {number}: {error}\n")
            continue
        results.append(row)
        if json_output:
            print_json_lines([row])
    if not json_output:
        _print_table(results, console)
    if bad:
        raise typer.Exit(1)


def _rows(file: Path) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    from followthemoney import model

    from threadline.screening.matching import score_names

    try:
        handle = file.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            raise InputError(
                f"{file}: the header must have columns name1,name2 (optional schema); "
                f"missing {', '.join(missing)}"
            )
        reader.fieldnames = header
        try:
            for number, raw in enumerate(reader, start=1):
                yield _score_row(number, raw, model, score_names)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{file}: not a readable UTF-8 CSV file: {exc}") from None


def _score_row(
    number: int, raw: dict[str | Any, Any], model: Any, score_names: Any
) -> tuple[int, dict[str, Any], str | None]:
    if None in raw:
        return number, {}, "more fields than the header has"
    name1 = (raw.get("name1") or "").strip()
    name2 = (raw.get("name2") or "").strip()
    schema_name = (raw.get("schema") or "").strip() or "Person"
    if not name1 or not name2:
        return number, {}, "name1 and name2 must both be given"
    if not _has_letters(name1, name2):
        return number, {}, "a name has no letters to compare"
    schema = model.get(schema_name)
    if schema is None:
        return number, {}, f"unknown schema {schema_name!r}"
    if not schema.is_a("Thing"):
        return number, {}, f"schema {schema_name!r} has no names to match (use Person, Vessel...)"
    result = score_names(name1, name2, schema.name)
    row = {"name1": name1, "name2": name2, "score": round(result.score, 4),
           "decision": result.decision, "match": result.decision == "match"}  # fmt: skip
    return number, row, None


def _has_letters(*names: str) -> bool:
    return all(any(ch.isalpha() for ch in name) for name in names)


def _print_table(rows: list[dict[str, Any]], console: Any) -> None:
    from rich.table import Table

    table = Table("name1", "name2", "score", "decision")
    for row in rows:
        table.add_row(row["name1"], row["name2"], f"{row['score']:.3f}",
                      row["decision"].replace("_", " "))  # fmt: skip
    console.print(table)

"""``threadline mrz``: read and validate ICAO Doc 9303 machine readable zones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from threadline.exc import InputError

if TYPE_CHECKING:
    from threadline.primitives.mrz import MRZResult

app = typer.Typer(
    no_args_is_help=True,
    help="Machine readable zones (passports, ID cards, visas): check digits, fields, OCR repair.",
)


@app.command("check")
def check(
    lines: Annotated[
        list[str] | None,
        typer.Argument(help="The MRZ lines (2 or 3), each quoted: 'P<UTO...' 'L898...'."),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            help="A text file with one MRZ per block (blocks separated by blank lines).",
        ),
    ] = None,
    json: bool = typer.Option(False, "--json", help="Print JSON (JSON lines with --file)."),
) -> None:
    """Validate an MRZ: every check digit, dates, codes, issuer variants, specimens, OCR.

    Each check digit is shown with what was read and what its data gives; issuer
    variants and specimens are warnings; OCR readings the composite check digit
    does not confirm are suggestions, never applied. Invalid documents are
    reported in the output and still exit 0; exit code 2 means the command could
    not run (no input, unreadable file, not an MRZ).
    """
    if file is not None and lines:
        raise InputError("give MRZ lines or --file, not both")
    if file is not None:
        _check_file(file, json=json)
        return
    if not lines:
        raise InputError("no MRZ given: pass its 2 or 3 lines as arguments, or --file FILE")
    from threadline.primitives.mrz import parse_mrz

    result = parse_mrz(lines)
    if json:
        from threadline.cli.output import print_json

        print_json(result.to_dict())
    else:
        _render(result)


def _check_file(path: Path, *, json: bool) -> None:
    from threadline.primitives.mrz import parse_mrz

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    outcomes: list[dict[str, object]] = []
    results: list[tuple[int, MRZResult | str]] = []
    for number, block in enumerate(_blocks(text), start=1):
        try:
            result = parse_mrz(block)
        except InputError as error:
            outcomes.append({"valid": False, "error": str(error), "block": number})
            results.append((number, str(error)))
            continue
        outcomes.append(result.to_dict())
        results.append((number, result))
    if json:
        from threadline.cli.output import print_json_lines

        print_json_lines(outcomes)
        return
    from threadline.cli.output import console

    if not results:
        console.print(f"No MRZ blocks in {path}.")
    for number, outcome in results:
        console.rule(f"block {number}")
        if isinstance(outcome, str):
            console.print(f"[red]not an MRZ[/red]: {outcome}")
        else:
            _render(outcome)


def _blocks(text: str) -> Iterator[list[str]]:
    """Groups of consecutive non-blank lines."""
    block: list[str] = []
    for line in text.splitlines():
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _render(result: MRZResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    from threadline.cli.output import console

    verdict = "[green]valid[/green]" if result.valid else "[red]INVALID[/red]"
    if result.specimen:
        verdict += " [yellow](SPECIMEN: not a real travel document)[/yellow]"
    console.print(f"{result.type} MRZ: {verdict}")
    table = Table("field", "value", show_header=True)
    for name, value in result.fields.to_dict().items():
        if value is not None or name != "issue_date":
            table.add_row(name, "" if value is None else escape(value))
    console.print(table)
    for check in result.check_digits:
        outcome = "pass" if check.passed else "[red]FAIL[/red]"
        rule = "" if check.rule == "icao" else f" by the variant {check.rule}"
        console.print(
            f"check {check.check}: {outcome}{rule}: read {escape(repr(check.read))}, "
            f"{escape(repr(check.data))} gives {check.expected} "
            f"(line {check.line}, position {check.position})"
        )
    for reading in result.dates:
        console.print(f"{reading.field.replace('_', ' ')} {escape(reading.read)}: {reading.rule}")
    for warning in result.warnings:
        console.print(f"[yellow]warning[/yellow]: {escape(warning)}")
    for correction in result.corrections:
        console.print(
            f"corrected line {correction.line} position {correction.position}: "
            f"{correction.from_char!r} -> {correction.to_char!r} in {correction.field} "
            f"({escape(correction.reason)})"
        )
    for suggestion in result.suggestions:
        changes = ", ".join(
            f"line {c.line} position {c.position}: {c.from_char!r} -> {c.to_char!r}"
            for c in suggestion.changes
        )
        console.print(
            f"[cyan]suggestion[/cyan]: {suggestion.field} {escape(repr(suggestion.read))} may "
            f"read {escape(repr(suggestion.reading))} ({changes}); {escape(suggestion.reason)}"
        )
    for error in result.errors:
        console.print(f"[red]problem[/red]: {escape(error)}")

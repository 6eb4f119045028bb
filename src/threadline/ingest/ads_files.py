"""Read raw ad records from JSON lines or CSV, reporting bad lines instead of stopping."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from threadline.exc import InputError
from threadline.model.ads import Ad, parse_ad

LOOKS_LIKE_ADS_AFTER = 5  # this many records that are not ads, and none that is: not an ads file


def iter_ads(path: Path) -> Iterator[tuple[int, Ad | InputError]]:
    """Yield ``(position, Ad)`` or ``(position, InputError)``; position is 1-based line/row.

    Bad records among ads are yielded as errors. A file whose first records are none of
    them ads (a case file, a photo, the wrong CSV) is refused with one InputError naming
    the file and the first reasons, before anything is yielded.
    """
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    leading: list[tuple[int, InputError]] = []
    seen_ad = False
    try:
        for position, item in _parsed(path):
            if seen_ad:
                yield position, item
            elif isinstance(item, InputError):
                leading.append((position, item))
                if len(leading) >= LOOKS_LIKE_ADS_AFTER:
                    raise _not_ads(path, leading)
            else:
                seen_ad = True
                yield from leading
                yield position, item
    except UnicodeDecodeError:
        raise InputError(f"{path} does not look like ads: it is not UTF-8 text") from None
    if leading and not seen_ad:
        raise _not_ads(path, leading)


def _not_ads(path: Path, leading: list[tuple[int, InputError]]) -> InputError:
    first = "; ".join(f"record {position}: {error}" for position, error in leading[:2])
    return InputError(
        f"{path} does not look like ads: none of its first {len(leading)} records is an ad"
        f" ({first})"
    )


def _parsed(path: Path) -> Iterator[tuple[int, Ad | InputError]]:
    for position, record in _records(path):
        if isinstance(record, InputError):
            yield position, record
            continue
        try:
            yield position, parse_ad(record)
        except InputError as exc:
            yield position, exc


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    if path.suffix.lower() == ".csv":
        yield from csv_records(path)
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, json_record(line)


def json_record(line: bytes) -> dict[str, Any] | InputError:
    """One JSON-lines record, or why the line is not one."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return InputError(f"not valid JSON: {exc}")
    if not isinstance(value, dict):
        return InputError("a line must hold one JSON object")
    return value


def csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """Raw ad records of a CSV (``poster_*`` columns, ``images`` as JSON); row 1 is the header."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            record: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
            poster = {
                k: record.pop(f"poster_{k}")
                for k in ("handle", "profile_url", "display_name")
                if f"poster_{k}" in record
            }
            if poster:
                record["poster"] = poster
            if "images" in record:
                try:
                    record["images"] = orjson.loads(record["images"])
                except orjson.JSONDecodeError:
                    yield number, InputError("column 'images' is not a JSON list")
                    continue
            yield number, record

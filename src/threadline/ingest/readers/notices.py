"""INTERPOL notices as the public notices API serves them (red, yellow and UN special).

A file may hold what the API answers, as saved: one detail response (with
``"_embedded": {"links": []}``), one search response (``_embedded.notices``, the
summaries of one page), a JSON list of either, or JSON lines of either (one response
per line). Each notice is one record, numbered in the order of the file; a line of
JSON lines that cannot be read is rejected naming its line. Each notice becomes one
FollowTheMoney entity (see :mod:`threadline.ingest.interpol` and docs/formats.md):

- id ``interpol-<colour>-<entity_id with / as ->`` (``interpol-red-2025-97613``), so a
  re-ingest adds nothing and screening can name the notice;
- red: a ``Person`` with ``topics`` ``wanted``/``crime`` and each arrest warrant (charge
  and translation) as a note; yellow: a ``Person`` without a topic (a missing person is
  never marked as wanted); UN: a ``Person`` or ``Organization`` with ``topics`` sanction;
- ``keywords`` ``notice:<colour>`` carries the colour screening reports.

The colour comes from the notice's own address (``_links.self.href``), its fields
(``arrest_warrants`` is red, ``un_reference`` UN, missing-person fields yellow), the
address of the search response it came in, or the folder (``red/``, ``yellow/``, ``un/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord
from threadline.ingest.interpol import (
    COLOURS,
    colour_of,
    notice_date,
    notice_entity,
    notice_entity_id,
    self_href,
)
from threadline.ingest.registry import register

__all__ = ["COLOURS", "NoticeReader", "birth_date", "notice_colour_of", "notice_entity_id"]


def notice_colour_of(entity: EntityProxy) -> str | None:
    """The notice colour a stored entity carries (this reader's or an OpenSanctions export's)."""
    for keyword in entity.get("keywords", quiet=True):
        if keyword.startswith("notice:"):
            return keyword.split(":", 1)[1]
    entity_id = str(entity.id or "")
    for colour in COLOURS:
        if entity_id.startswith(f"interpol-{colour}-"):
            return colour
    if "wanted" in entity.get("topics", quiet=True):
        return "red"
    return None


def birth_date(value: str) -> str:
    """``1958/11/05`` -> ``1958-11-05``; ``1958/11`` -> ``1958-11``; ``1958`` -> ``1958``."""
    try:
        return notice_date(value)
    except ValueError as exc:
        raise RecordError(f"date_of_birth {exc}") from None


@dataclass(frozen=True)
class _Notice:
    """One notice of the file, with what its surroundings say about it."""

    data: Any
    container: str = ""  # the address of the search response it came in
    line: int = 0  # its line, in JSON lines


@dataclass(frozen=True)
class _Unreadable:
    reason: str
    text: bytes


@register
class NoticeReader(Reader):
    name = "notices"
    description = (
        "INTERPOL red, yellow and UN notices: public-API detail or search responses"
        " (JSON, a JSON list, or JSON lines)"
    )
    extensions = (".json", ".jsonl", ".ndjson")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return (
            path.suffix.lower() in cls.extensions
            and b'"entity_id"' in head
            and (b'"forename"' in head or b'"name"' in head)
        ) or (path.suffix.lower() == ".json" and b'"notices"' in head and b'"_embedded"' in head)

    def prepare(self, path: Path) -> None:
        folder = path.parent.name.lower()
        self._folder = folder if folder in COLOURS else ""

    def records(self, path: Path) -> Iterator[SourceRecord]:
        raw = path.read_bytes()
        try:
            documents: list[tuple[int, Any]] = [(0, orjson.loads(raw))]
        except orjson.JSONDecodeError as exc:
            documents = _json_lines(raw) or [(0, _Unreadable(f"not valid JSON: {exc}", raw))]
        number = 0
        empty: list[str] = []
        for line, document in documents:
            for notice in _notices(document, line, empty):
                number += 1
                yield SourceRecord(number, _notice_id(notice), notice, 0)
        if number == 0 and empty:
            raise InputError(f"{path.name}: {empty[0]}")

    def excerpt(self, record: SourceRecord) -> str:
        raw = record.raw
        if isinstance(raw, _Unreadable):
            return raw.text[:300].decode("utf-8", "replace")
        if isinstance(raw, _Notice):
            return orjson.dumps(raw.data).decode("utf-8")[:300]
        return super().excerpt(record)

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        item = record.raw
        if isinstance(item, _Unreadable):
            raise RecordError(item.reason)
        where = f"line {item.line}: " if item.line else ""
        notice = item.data
        if not isinstance(notice, dict):
            raise RecordError(f"{where}a notice must be a JSON object")
        colour = colour_of(notice, item.container, getattr(self, "_folder", ""))
        if colour is None:
            raise RecordError(
                f"{where}cannot tell the notice colour: no address (_links.self), no"
                " arrest_warrants (red), UN reference or missing-person fields (yellow),"
                " and the file is not in a red/, yellow/ or un/ folder"
            )
        try:
            return [notice_entity(notice, colour)]
        except RecordError as exc:
            raise RecordError(f"{where}{exc}") from None


def _json_lines(raw: bytes) -> list[tuple[int, Any]]:
    """The documents of a JSON-lines file, or [] when the file is not JSON lines."""
    documents: list[tuple[int, Any]] = []
    readable = False
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            documents.append((number, _Unreadable(f"line {number}: not valid JSON: {exc}", line)))
            continue
        readable = readable or isinstance(value, list) or (
            isinstance(value, dict) and ("entity_id" in value or "_embedded" in value)
        )  # fmt: skip
        documents.append((number, value))
    return documents if readable else []


def _notices(document: Any, line: int, empty: list[str]) -> Iterator[Any]:
    """The notices of one document: a detail, a search response, or a list of either."""
    if isinstance(document, _Unreadable):
        yield document
        return
    if isinstance(document, list):
        if not document:
            empty.append("the list holds no notices")
        for item in document:
            yield from _notices(item, line, empty)
        return
    embedded = document.get("_embedded") if isinstance(document, dict) else None
    if isinstance(embedded, dict) and "entity_id" not in document:
        found = embedded.get("notices")
        if isinstance(found, list):
            if not found:
                total = document.get("total")
                empty.append(f"the search response holds no notices (total {total})")
            for item in found:
                yield _Notice(item, self_href(document), line)
            return
    yield _Notice(document, "", line)


def _notice_id(item: Any) -> str:
    data = item.data if isinstance(item, _Notice) else None
    return str(data.get("entity_id") or "") if isinstance(data, dict) else ""

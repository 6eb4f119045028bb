"""FollowTheMoney JSON lines: one entity object per line, as `ftm` and Aleph write them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
from followthemoney.proxy import EntityProxy

from threadline.ingest.base import Reader, RecordError, SourceRecord
from threadline.ingest.entities import build_entity
from threadline.ingest.registry import register


@register
class FtmJsonReader(Reader):
    name = "ftm"
    description = "FollowTheMoney entities, one JSON object per line"
    extensions = (".ftm", ".ftm.json", ".ijson")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if path.name.lower().endswith((".ftm.json", ".ftm.jsonl", ".ftm", ".ijson")):
            return True
        first = head.lstrip().split(b"\n", 1)[0]
        return first.startswith(b"{") and b'"schema"' in first and b'"properties"' in first

    def records(self, path: Path) -> Iterator[SourceRecord]:
        offset = 0
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                offset += len(line)
                text = line.strip()
                if not text:
                    continue
                yield SourceRecord(number, "", text, offset)

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        try:
            data = orjson.loads(record.raw)
        except orjson.JSONDecodeError as exc:
            raise RecordError(f"not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise RecordError("a line must hold one JSON object")
        return [build_entity(data.get("schema"), data.get("id"), data.get("properties"))]

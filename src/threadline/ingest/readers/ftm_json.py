"""FollowTheMoney JSON lines: one entity object per line, as `ftm`, Aleph and yente write them.

An entity needs ``id`` and ``schema``; each property value is cleaned by its FtM type
and a value that fails is left out alone (reported with the line), as is a property the
schema lacks. The entity-level fields of OpenSanctions/yente exports (``datasets``,
``referents``, ``first_seen``, ``last_seen``, ``last_change``, ``target``) are kept and
exported again; ``caption`` is recomputed from the names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
from followthemoney.proxy import EntityProxy

from threadline.ingest.base import Reader, RecordError, SourceRecord
from threadline.ingest.entities import build_entity, entity_fields
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
        entity = build_entity(data.get("schema"), data.get("id"), data.get("properties"))
        entity_fields(entity, data)
        return [entity]

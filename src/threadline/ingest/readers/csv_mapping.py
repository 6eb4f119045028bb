"""CSV with a YAML mapping to FtM schemata, in the format of FollowTheMoney mappings.

The mapping file names entities with their schema, key columns and properties
(``column``, ``columns``, ``literal``, ``entity``, ``join``, ``format``), as in
``ftm map``; the CSV comes from the command line, so ``csv_url`` is ignored.
Entity ids are hashed from the key columns with the collection name as prefix.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import yaml
from followthemoney import model
from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord, undecodable
from threadline.ingest.entities import ORIGINALS, clean_value
from threadline.ingest.registry import register

csv.field_size_limit(10 * 1024 * 1024)
logging.getLogger("followthemoney").setLevel(logging.ERROR)


def load_mapping(path: Path) -> dict[str, Any]:
    """Read a mapping file and return its one query (``entities`` and optional ``filters``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read mapping {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"mapping {path} is not valid YAML: {exc}") from None
    if isinstance(data, dict) and len(data) == 1 and not {"entities", "queries"} & set(data):
        data = next(iter(data.values()))  # an FtM mapping file keyed by its dataset name
    if isinstance(data, dict) and "queries" in data:
        queries = data["queries"]
        if not isinstance(queries, list) or len(queries) != 1:
            raise InputError(f"mapping {path}: give exactly one query for one CSV file")
        data = queries[0]
    if isinstance(data, dict) and "query" in data:
        data = data["query"]
    if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
        raise InputError(f"mapping {path} has no 'entities' section")
    return data


@register
class CsvMappingReader(Reader):
    name = "csv"
    description = "CSV rows mapped to FtM entities by a YAML mapping (--mapping FILE)"
    extensions = (".csv", ".tsv")
    generic = True  # claims every CSV: tried after the readers that recognise a header
    options_help: ClassVar[dict[str, str]] = {"mapping": "YAML mapping file (FtM format)"}

    def prepare(self, path: Path) -> None:
        mapping_path = self.context.options.get("mapping")
        if not mapping_path:
            raise InputError("CSV needs a mapping: add --mapping FILE.yml (see docs/formats.md)")
        query = load_mapping(Path(mapping_path))
        query = {**query, "csv_url": str(path)}
        try:
            self.mapping = model.make_mapping(query, key_prefix=self.context.collection)
        except Exception as exc:  # noqa: BLE001 - FtM raises InvalidMapping and others
            raise InputError(f"invalid mapping {mapping_path}: {exc}") from None
        self.delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            header = next(csv.reader(handle, delimiter=self.delimiter), None)
        if header and any(undecodable(cell) for cell in header):
            raise InputError(f"{path}: the header is not UTF-8 text; save the file as UTF-8")
        if not header:
            raise InputError(f"{path} is empty: a CSV needs a header row")
        missing = sorted(self._columns() - set(header))
        if missing:
            raise InputError(f"{path}: the mapping uses columns missing from the header: {missing}")
        self.header = header

    def _columns(self) -> set[str]:
        columns: set[str] = set()
        for entity in self.mapping.entities:
            columns.update(entity.keys)
            for prop in entity.properties:
                columns.update(prop.refs)
        return columns

    def records(self, path: Path) -> Iterator[SourceRecord]:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            next(reader, None)
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                yield SourceRecord(number, f"row:{number}", row)

    def excerpt(self, record: SourceRecord) -> str:
        text = self.delimiter.join(record.raw)[:300]
        return text.encode("utf-8", "replace").decode("utf-8")

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        row = record.raw
        if any(undecodable(cell) for cell in row):
            raise RecordError("row is not UTF-8 text; save the file as UTF-8")
        if len(row) != len(self.header):
            raise RecordError(f"row has {len(row)} cells, the header has {len(self.header)}")
        data = dict(zip(self.header, row, strict=True))
        try:
            entities = self.mapping.map(data)
        except Exception as exc:  # noqa: BLE001 - a row FtM cannot map is a rejection
            raise RecordError(f"cannot map row: {exc}") from None
        if not entities:
            raise RecordError("no entity could be built (are the key columns empty?)")
        for name, entity in entities.items():
            self._check_dropped(name, entity, data)
        return list(entities.values())

    def _check_dropped(self, name: str, entity: EntityProxy, data: dict[str, str]) -> None:
        """FtM drops values it cannot clean; Threadline refuses the row instead, saying why."""
        spec = next(e for e in self.mapping.entities if e.name == name)
        originals: dict[tuple[str, str], str] = {}
        for prop_map in spec.properties:
            prop = prop_map.prop
            if prop.type.name == "entity" or prop_map.join or prop_map.template or prop_map.split:
                continue
            for column in prop_map.refs:
                raw = (data.get(column) or "").strip()
                if not raw:
                    continue
                cleaned = clean_value(prop, raw, entity, prop_map.format)
                if cleaned is None:
                    raise RecordError(
                        f"column {column!r}: {raw[:80]!r} is not a valid {prop.type.name}"
                        f" for {spec.schema.name}.{prop.name}"
                    )
                if cleaned not in entity.get(prop):
                    entity.unsafe_add(prop, cleaned, cleaned=True)
                if cleaned != raw:
                    originals[(prop.name, cleaned)] = raw
        if originals:
            entity.context[ORIGINALS] = originals

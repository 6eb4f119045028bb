"""CSV (and TSV) rows mapped to FtM entities by a YAML mapping (see :mod:`..mapped`)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord, undecodable
from threadline.ingest.mapped import RowMapping, load_mapping
from threadline.ingest.registry import register

csv.field_size_limit(10 * 1024 * 1024)

__all__ = ["CsvMappingReader", "load_mapping"]


@register
class CsvMappingReader(Reader):
    name = "csv"
    description = "CSV rows mapped to FtM entities by a YAML mapping (--mapping FILE)"
    extensions = (".csv", ".tsv")
    generic = True  # claims every CSV: tried after the readers that recognise a header
    options_help: ClassVar[dict[str, str]] = {"mapping": "YAML mapping file (FtM format)"}

    def prepare(self, path: Path) -> None:
        mapping = self.context.options.get("mapping")
        self.rows = RowMapping(mapping, self.context.collection, path, "CSV")
        self.delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            header = next(csv.reader(handle, delimiter=self.delimiter), None)
        if header and any(undecodable(cell) for cell in header):
            raise InputError(f"{path}: the header is not UTF-8 text; save the file as UTF-8")
        if not header:
            raise InputError(f"{path} is empty: a CSV needs a header row")
        self.rows.check_header(header, str(path))
        self.header = header

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
        return self.rows.map(data, f"row {record.position}, ")

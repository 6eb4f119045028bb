"""Stolen and lost travel documents (CSV in the style of INTERPOL's SLTD).

Columns: ``issuing_country, document_type, document_number, status, reported_on,
reporting_agency``. Rows go to the ``travel_document`` table, not to statements:
the list must scale to ten million documents and more, and screening loads it
into its in-memory document index. Each row is validated with
:func:`~threadline.primitives.travel_documents.parse_document_row`;
a bad row is rejected with its line number and reason and the rest are stored.
The same document listed twice in a collection is stored once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection

from threadline.exc import InputError
from threadline.ingest.base import Reader, RecordError, SourceRecord, undecodable
from threadline.ingest.registry import register
from threadline.primitives.travel_documents import COLUMNS, ListedDocument, parse_document_row
from threadline.store.jobs import Rejection
from threadline.store.tables import travel_document


@register
class TravelDocumentsReader(Reader):
    name = "travel-documents"
    description = "stolen and lost travel documents list (CSV: issuing_country, document_number...)"
    extensions = (".sltd.csv",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").strip()
        return path.suffix.lower() == ".csv" and _columns(first) == COLUMNS

    def prepare(self, path: Path) -> None:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            header = next(csv.reader(handle), None)
        if header and any(undecodable(cell) for cell in header):
            raise InputError(f"{path}: the header is not UTF-8 text; save the file as UTF-8")
        if not header:
            raise InputError(f"{path} is empty: a travel documents list needs a header row")
        names = [h.strip().lower() for h in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise InputError(f"{path}: the header lacks the columns {', '.join(missing)}")
        self.header = names

    def records(self, path: Path) -> Iterator[SourceRecord]:
        offset = 0
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                offset += sum(len(c) + 1 for c in row)
                yield SourceRecord(number, f"row:{number}", row, offset)

    def excerpt(self, record: SourceRecord) -> str:
        return ",".join(record.raw)[:300].encode("utf-8", "replace").decode("utf-8")

    def _document(self, record: SourceRecord) -> ListedDocument:
        row = record.raw
        if any(undecodable(cell) for cell in row):
            raise RecordError("row is not UTF-8 text; save the file as UTF-8")
        if len(row) != len(self.header):
            raise RecordError(f"row has {len(row)} cells, the header has {len(self.header)}")
        try:
            return parse_document_row(dict(zip(self.header, row, strict=True)))
        except InputError as exc:
            raise RecordError(str(exc)) from None

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        """Validate a row; listed documents are stored by :meth:`store_batch`, not as entities."""
        self._document(record)
        return []

    def store_batch(
        self, conn: Connection, records: Sequence[SourceRecord], job_id: int, collection_id: int
    ) -> tuple[int, list[Rejection]]:
        """Insert a batch of rows into ``travel_document``; returns (rows read fine, rejections)."""
        rows: list[dict[str, Any]] = []
        rejections: list[Rejection] = []
        for record in records:
            try:
                doc = self._document(record)
            except RecordError as exc:
                rejections.append(
                    Rejection(record.position, str(exc), record.source_id, self.excerpt(record))
                )
                continue
            rows.append(
                {
                    "collection_id": collection_id,
                    "job_id": job_id,
                    "position": record.position,
                    "issuing_country": doc.issuing_country,
                    "document_type": doc.document_type,
                    "document_number": doc.document_number,
                    "status": doc.status,
                    "reported_on": doc.reported_on,
                    "reporting_agency": doc.reporting_agency[:255],
                }
            )
        if rows:
            insert_documents(conn, rows)
        return len(rows), rejections


def insert_documents(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert listed documents, skipping those the collection already lists."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(travel_document).on_conflict_do_nothing(), rows)
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(travel_document).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - the two supported backends are above
        conn.execute(travel_document.insert(), rows)


def _columns(line: str) -> tuple[str, ...]:
    return tuple(c.strip().lower() for c in line.split(","))

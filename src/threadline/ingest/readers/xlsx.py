"""Excel workbooks (.xlsx): the rows of one sheet mapped like CSV rows (see :mod:`..mapped`).

Row 1 of the sheet is the header. The sheet is the one named by ``--sheet``, else by
the mapping's ``sheet:`` key, else the first. Cells are read as the sheet shows their
values (formulas as last calculated): a date cell becomes a date in the format the
mapping reads that column with (ISO 8601 without one), a whole number loses its ``.0``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, ClassVar

from followthemoney.proxy import EntityProxy

from threadline.exc import InputError
from threadline.ingest.base import Reader, SourceRecord
from threadline.ingest.mapped import RowMapping
from threadline.ingest.registry import register

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the legacy .xls container


@register
class XlsxMappingReader(Reader):
    name = "xlsx"
    description = "Excel sheet rows mapped to FtM entities by a YAML mapping (--mapping FILE)"
    extensions = (".xlsx", ".xls")
    generic = True  # claims files by their suffix alone
    options_help: ClassVar[dict[str, str]] = {
        "mapping": "YAML mapping file (FtM format)",
        "sheet": "worksheet name (default: the mapping's 'sheet', else the first)",
    }

    def prepare(self, path: Path) -> None:
        with path.open("rb") as handle:
            head = handle.read(8)
        if head == _OLE or path.suffix.lower() == ".xls":
            raise InputError(f"{path.name} is an old Excel (.xls) file: save it as .xlsx")
        mapping = self.context.options.get("mapping")
        self.rows = RowMapping(mapping, self.context.collection, path, "An Excel sheet")
        names = _sheet_names(path)
        wanted = self.context.options.get("sheet") or self.rows.sheet
        if wanted and wanted not in names:
            listed = ", ".join(repr(n) for n in names)
            raise InputError(f"{path.name} has no sheet {wanted!r}; its sheets are {listed}")
        self.sheet = wanted or names[0]
        header = next(self._rows(path), ())
        self.header = [_header_cell(cell) for cell in header]
        if not any(self.header):
            raise InputError(f"{path.name}, sheet {self.sheet!r}: row 1 must be a header")
        self.rows.check_header(self.header, f"{path.name}, sheet {self.sheet!r}")
        self.formats = self.rows.date_formats()

    def _rows(self, path: Path) -> Iterator[tuple[Any, ...]]:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            yield from book[self.sheet].iter_rows(values_only=True)
        finally:
            book.close()

    def records(self, path: Path) -> Iterator[SourceRecord]:
        rows = self._rows(path)
        next(rows, None)
        for number, row in enumerate(rows, start=2):
            cells = [self._text(self.header[i], v) for i, v in enumerate(row[: len(self.header)])]
            if any(cell.strip() for cell in cells):
                yield SourceRecord(number, f"{self.sheet}!row:{number}", cells)

    def _text(self, column: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime | date):
            day = value.date() if isinstance(value, datetime) else value
            if isinstance(value, datetime) and value.time() != time(0):
                return value.isoformat()
            fmt = self.formats.get(column)
            return day.strftime(fmt) if fmt else day.isoformat()
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def excerpt(self, record: SourceRecord) -> str:
        return " | ".join(record.raw)[:300]

    def parse(self, record: SourceRecord) -> list[EntityProxy]:
        cells = list(record.raw) + [""] * (len(self.header) - len(record.raw))
        data = {name: cell for name, cell in zip(self.header, cells, strict=True) if name}
        where = f"sheet {self.sheet!r}, row {record.position}, "
        return self.rows.map(data, where)


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(f"{path.name} is not an Excel workbook (.xlsx): {exc}") from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _header_cell(value: Any) -> str:
    return "" if value is None else str(value).strip()

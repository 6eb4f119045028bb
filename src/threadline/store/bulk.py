"""Bulk inserts through the database driver's own fast path.

Set-based analyses produce hundreds of thousands of rows at once (links with their
explanations, scored records). Going through SQLAlchemy Core one parameter dict
per row costs more than the analysis itself, so rows are handed to the driver as
tuples: ``executemany`` on SQLite, ``COPY`` on PostgreSQL. JSON columns take JSON
text as it is (made by the analysis, e.g. in DuckDB); other values are converted
the way SQLAlchemy would convert them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert


def insert_many(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch: int = 20_000,
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns how many.

    Values of JSON columns must be JSON text.
    """
    dialect = conn.dialect
    cols = [table.c[name] for name in columns]
    count = 0
    if dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        names = ", ".join(c.name for c in cols)
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    if dialect.name == "sqlite":
        processors = [
            None
            if isinstance(c.type, JSON)
            else c.type.dialect_impl(dialect).bind_processor(dialect)
            for c in cols
        ]
        convert = [(i, p) for i, p in enumerate(processors) if p is not None]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(c.name for c in cols)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in cols)})"
        )
        driver: Any = conn.connection.driver_connection
        chunk: list[Sequence[Any]] = []
        for row in rows:
            if convert:
                values = list(row)
                for i, process in convert:
                    values[i] = process(values[i])
                row = values
            chunk.append(row)
            if len(chunk) >= batch:
                driver.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            driver.executemany(sql, chunk)
            count += len(chunk)
        return count
    decode = [isinstance(c.type, JSON) for c in cols]
    dicts = (
        {
            name: json.loads(value) if as_json and value is not None else value
            for name, value, as_json in zip(columns, row, decode, strict=True)
        }
        for row in rows
    )
    return insert_dicts(conn, table, dicts, batch=batch)


def insert_dicts(
    conn: Connection, table: Table, rows: Iterable[dict[str, Any]], *, batch: int = 5000
) -> int:
    """Insert rows given as parameter dicts through SQLAlchemy, ``batch`` at a time;
    returns how many (the portable path, for rows that are dicts already)."""
    count = 0
    items = iter(rows)
    while chunk := list(islice(items, batch)):
        conn.execute(insert(table), chunk)
        count += len(chunk)
    return count

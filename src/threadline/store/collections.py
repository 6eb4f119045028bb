"""Storing and reading collections."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import NullType

from threadline.exc import InputError, NotFound
from threadline.model.collections import Collection, CollectionKind, Sharing
from threadline.store.tables import collection as t_collection


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Threadline stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _from_row(row: Any) -> Collection:
    return Collection(
        id=row.id,
        name=row.name,
        label=row.label,
        kind=CollectionKind(row.kind),
        owner_agency=row.owner_agency,
        owner_country=row.owner_country,
        sharing=Sharing(row.sharing),
        shared_countries=tuple(row.shared_countries or ()),
        watchlist=bool(row.watchlist),
        description=row.description,
        created_at=utc(row.created_at),
        review_at=utc(row.review_at),
    )


def _values(item: Collection) -> dict[str, Any]:
    return {
        "name": item.name,
        "label": item.label,
        "kind": item.kind.value,
        "owner_agency": item.owner_agency,
        "owner_country": item.owner_country,
        "sharing": item.sharing.value,
        "shared_countries": list(item.shared_countries),
        "watchlist": item.watchlist,
        "description": item.description,
        "created_at": item.created_at,
        "review_at": item.review_at,
    }


def create_collection(conn: Connection, item: Collection) -> Collection:
    """Store a new collection; its name must be free."""
    try:
        result = conn.execute(insert(t_collection).values(**_values(item)))
    except IntegrityError:
        raise InputError(f"a collection named {item.name!r} already exists") from None
    key = result.inserted_primary_key
    assert key is not None
    return get_collection(conn, item.name) if key[0] is None else _with_id(item, key[0])


def _with_id(item: Collection, ident: int) -> Collection:
    from dataclasses import replace

    return replace(item, id=ident)


def update_collection(conn: Connection, item: Collection) -> Collection:
    """Replace the stored fields of an existing collection (matched by name)."""
    values = _values(item)
    values.pop("name")
    values.pop("created_at")
    conn.execute(update(t_collection).where(t_collection.c.name == item.name).values(**values))
    return get_collection(conn, item.name)


def find_collection(conn: Connection, name: str) -> Collection | None:
    row = conn.execute(select(t_collection).where(t_collection.c.name == name)).first()
    return _from_row(row) if row else None


def get_collection(conn: Connection, name: str) -> Collection:
    found = find_collection(conn, name)
    if found is None:
        raise NotFound(f"no collection named {name!r} (see 'threadline collections list')")
    return found


def get_collection_by_id(conn: Connection, ident: int) -> Collection:
    row = conn.execute(select(t_collection).where(t_collection.c.id == ident)).first()
    if row is None:
        raise NotFound(f"no collection with id {ident}")
    return _from_row(row)


def list_collections(conn: Connection) -> list[Collection]:
    """Every collection, by name.

    Every request asks (to decide what its user may see), so the rows are read as the
    driver returns them and turned into collections only when they differ from the rows
    read last time on this database; otherwise the collections made then are returned.
    """
    raw = tuple(tuple(row) for row in conn.execute(_RAW_QUERY))
    key = (id(conn.engine), str(conn.engine.url))
    known = _LISTED.get(key)
    if known is not None and known[0] == raw:
        return list(known[1])
    processors = _processors(conn)
    items = tuple(_from_row(_Row(_COLUMN_NAMES, values, processors)) for values in raw)
    if len(_LISTED) >= _LISTED_MAX:
        _LISTED.clear()
    _LISTED[key] = (raw, items)
    return list(items)


class _Row(dict[str, Any]):
    """Driver values converted as a typed query would, read like a result row (``row.name``)."""

    def __init__(
        self, names: tuple[str, ...], values: tuple[Any, ...], processors: list[Any]
    ) -> None:
        super().__init__(
            (name, value if process is None else process(value))
            for name, value, process in zip(names, values, processors, strict=True)
        )

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


_COLUMN_NAMES = tuple(c.name for c in t_collection.c)
# Untyped columns: the values come as the driver returns them, without conversion.
_RAW_QUERY = select(*(type_coerce(c, NullType()).label(c.name) for c in t_collection.c)).order_by(
    t_collection.c.name
)
_LISTED: dict[tuple[int, str], tuple[tuple[tuple[Any, ...], ...], tuple[Collection, ...]]] = {}
_LISTED_MAX = 16


def _processors(conn: Connection) -> list[Any]:
    """The conversions a typed query applies to each column on this database."""
    dialect = conn.dialect
    return [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in t_collection.c]

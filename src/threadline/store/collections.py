"""Storing and reading collections."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

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
    rows = conn.execute(select(t_collection).order_by(t_collection.c.name))
    return [_from_row(row) for row in rows]

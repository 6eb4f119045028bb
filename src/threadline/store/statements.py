"""Statement-style entity storage: one row per property value and source record.

A statement's id hashes (collection, entity, property, value, language, source
record), so storing the same record twice adds nothing, while two sources that
assert the same value both keep their row. An entity is whatever its
statements say; reading one assembles a FollowTheMoney proxy from them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection, func, insert, select

from threadline.store.tables import statement as t_statement

ID_PROP = "id"  # the statement that says "this entity exists, with this schema"

# Entity-level fields of FtM and yente exports (not properties): stored as statements of
# the entity under "$<field>" (type "meta") and handed back in ``entity.context``, which
# ``to_dict()`` writes out as FtM does. Lists gather every value; seen-times keep the range.
ENTITY_LISTS = ("datasets", "referents")
ENTITY_FIRST = ("first_seen",)
ENTITY_LAST = ("last_seen", "last_change")
ENTITY_FLAGS = ("target",)
ENTITY_FIELDS = frozenset(ENTITY_LISTS + ENTITY_FIRST + ENTITY_LAST + ENTITY_FLAGS)
FIELD_PREFIX = "$"
FIELD_TYPE = "meta"

COLUMNS = (
    "id",
    "entity_id",
    "schema",
    "prop",
    "prop_type",
    "value",
    "original_value",
    "lang",
    "collection_id",
    "job_id",
    "source_id",
    "first_seen",
)


@dataclass(frozen=True)
class Provenance:
    """Where a value came from."""

    collection: str
    job_id: int | None
    source_id: str
    first_seen: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "job_id": self.job_id,
            "source_id": self.source_id,
            "first_seen": self.first_seen.isoformat(),
        }


def statement_id(
    collection: str, entity_id: str, prop: str, value: str, lang: str | None, source_id: str
) -> str:
    key = f"{collection}\x1f{entity_id}\x1f{prop}\x1f{value}\x1f{lang or ''}\x1f{source_id}"
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def entity_rows(
    entity: EntityProxy,
    *,
    collection: str,
    collection_id: int,
    job_id: int | None,
    source_id: str,
    seen: datetime | str,
) -> list[tuple[Any, ...]]:
    """Statement rows (in COLUMNS order) for one entity from one source record."""
    entity_id = entity.id
    assert entity_id is not None
    schema = entity.schema.name
    rows: list[tuple[Any, ...]] = [
        (
            statement_id(collection, entity_id, ID_PROP, schema, None, source_id),
            entity_id,
            schema,
            ID_PROP,
            "id",
            schema,
            None,
            None,
            collection_id,
            job_id,
            source_id,
            seen,
        )
    ]
    context = entity.context
    if context and not ENTITY_FIELDS.isdisjoint(context):
        for field, text in _field_values(context):
            rows.append(
                (
                    statement_id(collection, entity_id, field, text, None, source_id),
                    entity_id,
                    schema,
                    field,
                    FIELD_TYPE,
                    text,
                    None,
                    None,
                    collection_id,
                    job_id,
                    source_id,
                    seen,
                )
            )
    originals: dict[tuple[str, str], str] = context.get("originals") or {}
    for prop, value in entity.itervalues():
        rows.append(
            (
                statement_id(collection, entity_id, prop.name, value, None, source_id),
                entity_id,
                schema,
                prop.name,
                prop.type.name,
                value,
                originals.get((prop.name, value)),
                None,
                collection_id,
                job_id,
                source_id,
                seen,
            )
        )
    return rows


def _field_values(context: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(statement prop, value) of the entity-level fields an entity carries."""
    for name in sorted(ENTITY_FIELDS.intersection(context)):
        value = context[name]
        if name in ENTITY_FLAGS:
            yield FIELD_PREFIX + name, "true" if value else "false"
            continue
        for item in value if isinstance(value, list | tuple | set) else [value]:
            if item is not None and item != "":
                yield FIELD_PREFIX + name, str(item)


def add_entity_field(context: dict[str, Any], name: str, value: str) -> None:
    """Fold one stored entity-level value into an entity's context."""
    if name in ENTITY_LISTS:
        values = context.setdefault(name, [])
        if value not in values:
            values.append(value)
    elif name in ENTITY_FIRST:
        context[name] = min(context.get(name) or value, value)
    elif name in ENTITY_LAST:
        context[name] = max(context.get(name) or value, value)
    elif name in ENTITY_FLAGS:
        context[name] = bool(context.get(name)) or value == "true"


def tidy_entity_fields(context: dict[str, Any]) -> None:
    """After FtM merged two entities' contexts into lists: one range, one flag, sorted lists."""
    for name in ENTITY_FIELDS.intersection(context):
        values = context.pop(name)
        for value in values if isinstance(values, list | tuple | set) else [values]:
            if isinstance(value, bool):
                value = "true" if value else "false"
            if value is not None:
                add_entity_field(context, name, str(value))
        if name in ENTITY_LISTS and name in context:
            context[name] = sorted(context[name])


def insert_rows(
    conn: Connection, rows: Sequence[tuple[Any, ...]], *, in_entity_order: bool = False
) -> int:
    """Insert statement rows, ignoring those already stored; returns how many were new.

    ``in_entity_order``: the rows are already sorted by entity (see :func:`sort_rows`).
    """
    if not rows:
        return 0
    dialect = conn.dialect.name
    if dialect == "sqlite":
        placeholders = ", ".join("?" for _ in COLUMNS)
        sql = f"INSERT OR IGNORE INTO statement ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
        # In key order: consecutive rows land on the same pages of the table and its indexes
        # (the batch's entities are otherwise scattered over the whole key space).
        ordered = rows if in_entity_order else sort_rows(list(rows))
        cursor = conn.connection.driver_connection.executemany(sql, ordered)  # type: ignore[union-attr]
        return int(cursor.rowcount)
    if dialect == "postgresql":
        return _insert_postgres(conn, rows)
    dicts = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    existing = set(
        conn.execute(
            select(t_statement.c.id).where(t_statement.c.id.in_([d["id"] for d in dicts]))
        ).scalars()
    )
    fresh = [d for d in dicts if d["id"] not in existing]
    if fresh:
        conn.execute(insert(t_statement), fresh)
    return len(fresh)


def sort_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Statement rows sorted by entity in place (stable: an entity's rows keep their order),
    the order in which SQLite writes them fastest (one collection per batch)."""
    rows.sort(key=itemgetter(1))
    return rows


def _insert_postgres(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """COPY into a temporary table, then insert what is new: the fast path on PostgreSQL."""
    raw = conn.connection.driver_connection
    assert raw is not None
    cols = ", ".join(COLUMNS)
    with raw.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS statement_load "
            "(LIKE statement INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cur.copy(f"COPY statement_load ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(
            f"INSERT INTO statement ({cols}) SELECT DISTINCT ON (id) {cols} "  # noqa: S608
            "FROM statement_load ON CONFLICT DO NOTHING"
        )
        count = cur.rowcount
        cur.execute("DELETE FROM statement_load")
    return int(count)


def assemble(rows: Iterable[Any]) -> list[EntityProxy]:
    """Entities from rows ordered by entity id that carry ``entity_id``, ``schema``, ``prop``
    and ``value`` (statement rows, or the :class:`SourcedValue` list of the same entities)."""
    return list(_assemble(rows))


def _assemble(rows: Iterable[Any]) -> Iterator[EntityProxy]:
    """Group statement rows ordered by entity id into FtM proxies."""
    current: EntityProxy | None = None
    for row in rows:
        if current is None or current.id != row.entity_id:
            if current is not None:
                yield current
            current = model.make_entity(row.schema)
            current.id = row.entity_id
        if row.schema != current.schema.name:
            # Two sources disagree on the schema: keep the most specific common one.
            try:
                current.schema = model.common_schema(current.schema, row.schema)
            except Exception:  # noqa: BLE001, S112 - unrelated schemata: keep the first
                continue
        prop = row.prop
        if prop == ID_PROP:
            continue
        if prop[0] == FIELD_PREFIX:
            add_entity_field(current.context, prop[1:], row.value)
        elif current.schema.get(prop) is not None:
            current.unsafe_add(current.schema.properties[prop], row.value, cleaned=True)
    if current is not None:
        yield current


_ENTITY_COLUMNS = (
    t_statement.c.entity_id,
    t_statement.c.schema,
    t_statement.c.prop,
    t_statement.c.value,
)


def iter_collection_entities(conn: Connection, collection_id: int) -> Iterator[EntityProxy]:
    """Every entity of a collection, streamed in entity id order."""
    query = (
        select(*_ENTITY_COLUMNS)
        .where(t_statement.c.collection_id == collection_id)
        .order_by(t_statement.c.entity_id, t_statement.c.prop, t_statement.c.value)
        .execution_options(stream_results=True, yield_per=10_000)
    )
    yield from _assemble(conn.execute(query))


def get_entities(
    conn: Connection, entity_ids: Sequence[str], collection_ids: Sequence[int] | None = None
) -> list[EntityProxy]:
    """Entities by id, optionally only from the given collections."""
    if not entity_ids:
        return []
    query = (
        select(*_ENTITY_COLUMNS)
        .where(t_statement.c.entity_id.in_(list(entity_ids)))
        .order_by(t_statement.c.entity_id, t_statement.c.prop, t_statement.c.value)
    )
    if collection_ids is not None:
        query = query.where(t_statement.c.collection_id.in_(list(collection_ids)))
    return list(_assemble(conn.execute(query)))


def entities_in(
    conn: Connection, entity_ids: Collection[str], collection_ids: Sequence[int] | None
) -> set[str]:
    """Which of the ids have values in these collections (in any, when None)."""
    wanted = sorted(set(entity_ids))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        query = (
            select(t_statement.c.entity_id)
            .where(t_statement.c.entity_id.in_(wanted[start : start + 500]))
            .distinct()
        )
        if collection_ids is not None:
            query = query.where(t_statement.c.collection_id.in_(list(collection_ids)))
        found.update(str(e) for e in conn.execute(query).scalars())
    return found


@dataclass(frozen=True)
class SourcedValue:
    """A property value with its provenance."""

    entity_id: str
    schema: str
    prop: str
    value: str
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "schema": self.schema,
            "prop": self.prop,
            "value": self.value,
            **self.provenance.to_dict(),
        }


def sourced_values(
    conn: Connection, entity_ids: Sequence[str], collection_ids: Sequence[int] | None = None
) -> list[SourcedValue]:
    """Every stored value of the entities, each with where it came from."""
    from threadline.store.collections import utc
    from threadline.store.tables import collection as t_collection

    query = (
        select(
            t_statement.c.entity_id,
            t_statement.c.schema,
            t_statement.c.prop,
            t_statement.c.value,
            t_statement.c.job_id,
            t_statement.c.source_id,
            t_statement.c.first_seen,
            t_collection.c.name,
        )
        .join(t_collection, t_collection.c.id == t_statement.c.collection_id)
        .where(t_statement.c.entity_id.in_(list(entity_ids)))
        .order_by(t_statement.c.entity_id, t_statement.c.prop, t_statement.c.value)
    )
    if collection_ids is not None:
        query = query.where(t_statement.c.collection_id.in_(list(collection_ids)))
    return [
        SourcedValue(
            entity_id=row.entity_id,
            schema=row.schema,
            prop=row.prop,
            value=row.value,
            provenance=Provenance(row.name, row.job_id, row.source_id, utc(row.first_seen)),
        )
        for row in conn.execute(query)
    ]


def count_statements(conn: Connection, collection_id: int | None = None) -> int:
    query = select(func.count()).select_from(t_statement)
    if collection_id is not None:
        query = query.where(t_statement.c.collection_id == collection_id)
    return int(conn.execute(query).scalar_one())


def count_entities(conn: Connection, collection_id: int | None = None) -> int:
    query = select(func.count(func.distinct(t_statement.c.entity_id)))
    if collection_id is not None:
        query = query.where(t_statement.c.collection_id == collection_id)
    return int(conn.execute(query).scalar_one())

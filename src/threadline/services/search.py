"""Searching entities by name across the collections an actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from threadline.exc import InputError
from threadline.governance import Actor, require_purpose
from threadline.governance.access import Access
from threadline.governance.audit import append
from threadline.governance.shield import redact_entity
from threadline.store import Store
from threadline.store.statements import get_entities
from threadline.store.tables import statement as t_statement

MIN_QUERY = 2


@dataclass(frozen=True)
class SearchResult:
    id: str
    schema: str
    caption: str
    names: list[str]
    countries: list[str]

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def name_query(
    pattern: str, visible: list[int], *, schema: str | None, limit: int, offset: int
) -> Select[Any]:
    """Ids of entities with a name LIKE the (lower-case) pattern, one more than ``limit``.

    Served by the ``ix_statement_name`` index: names only, in entity order.
    """
    query = (
        select(t_statement.c.entity_id)
        .where(t_statement.c.prop_type == "name")
        .where(func.lower(t_statement.c.value).like(pattern, escape="\\"))
        .where(t_statement.c.collection_id.in_(visible))
        .group_by(t_statement.c.entity_id)
        .order_by(t_statement.c.entity_id)
        .limit(limit + 1)
        .offset(offset)
    )
    if schema:
        query = query.where(t_statement.c.schema == schema)
    return query


def search_entities(
    store: Store,
    actor: Actor,
    query: str,
    *,
    schema: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[SearchResult]:
    """Entities whose names contain the query (case-insensitive); one more than ``limit``
    is returned when more exist. Person data: needs a purpose, and is audited."""
    text = query.strip()
    if any(ord(ch) < 32 for ch in text):
        raise InputError("a search cannot contain control characters")
    if len(text) < MIN_QUERY:
        raise InputError(f"a search needs at least {MIN_QUERY} characters")
    require_purpose(actor)
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with store.connect() as conn:
        access = Access(conn, actor)
        visible = access.collection_ids
        ids_query = name_query(pattern, visible, schema=schema, limit=limit, offset=offset)
        ids = list(conn.execute(ids_query).scalars())
        shield = access.shield
        # An entity tied to a victim the actor may not see is not found, as on its page.
        entities = [
            redact_entity(e, shield)
            for e in get_entities(conn, ids, visible)
            if not shield.hides(str(e.id))
        ]
    append(
        store,
        actor,
        "entity.search",
        target_type="query",
        target_id=text[:200],
        result_count=len(entities),
    )
    return [
        SearchResult(
            id=str(e.id),
            schema=e.schema.name,
            caption=e.caption,
            names=sorted(e.names),
            countries=sorted(e.countries),
        )
        for e in entities
    ]

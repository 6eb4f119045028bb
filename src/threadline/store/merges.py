"""Reversible merges: several entity ids resolved to one canonical entity.

A merge never touches statements; it adds rows saying "entity X belongs to
canonical C". Undoing a merge marks those rows deleted (who, when), so every
source value is still there and the history of decisions is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, insert, select, update

from threadline.exc import InputError
from threadline.store.tables import entity_merge as t_merge
from threadline.store.tables import statement as t_statement

CANONICAL_PREFIX = "tl-"


def _active() -> ColumnElement[bool]:
    return t_merge.c.deleted_at.is_(None)


def canonical_of(conn: Connection, entity_id: str) -> str:
    """The canonical id an entity resolves to (itself when never merged)."""
    row = conn.execute(
        select(t_merge.c.canonical_id).where(t_merge.c.entity_id == entity_id).where(_active())
    ).first()
    return str(row.canonical_id) if row else entity_id


def members_of(conn: Connection, canonical_id: str) -> list[str]:
    """Every entity id that resolves to the canonical id (or the id itself)."""
    rows = conn.execute(
        select(t_merge.c.entity_id).where(t_merge.c.canonical_id == canonical_id).where(_active())
    ).scalars()
    members = sorted(set(rows))
    return members or [canonical_id]


def members_by_id(conn: Connection, entity_ids: Collection[str]) -> dict[str, set[str]]:
    """For each id, the entity ids it stands for: the members of a canonical id (merges
    in force), else the id itself."""
    wanted = sorted(set(entity_ids))
    found: dict[str, set[str]] = {e: {e} for e in wanted}
    canonical = [e for e in wanted if e.startswith(CANONICAL_PREFIX)]
    if canonical:
        rows = conn.execute(
            select(t_merge.c.canonical_id, t_merge.c.entity_id)
            .where(t_merge.c.canonical_id.in_(canonical))
            .where(_active())
        )
        for canonical_id, member in rows:
            found[str(canonical_id)].add(str(member))
    return found


def _exists(conn: Connection, entity_id: str) -> bool:
    query = select(t_statement.c.id).where(t_statement.c.entity_id == entity_id).limit(1)
    return conn.execute(query).first() is not None


def merge_entities(
    conn: Connection, entity_ids: Sequence[str], *, user: str, reason: str | None = None
) -> str:
    """Resolve the entities (and whatever they were already merged with) to one canonical id."""
    ids = sorted(set(entity_ids))
    if len(ids) < 2:
        raise InputError("a merge needs at least two different entities")
    members: set[str] = set()
    for entity_id in ids:
        canonical = canonical_of(conn, entity_id)
        if canonical.startswith(CANONICAL_PREFIX):
            members.update(members_of(conn, canonical))
        elif not _exists(conn, entity_id):
            raise InputError(f"no entity with id {entity_id!r}")
        else:
            members.add(entity_id)
    if len(members) < 2:
        raise InputError("these entities are already merged")
    key = "\x1f".join(sorted(members))
    canonical = CANONICAL_PREFIX + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    now = datetime.now(UTC)
    conn.execute(
        update(t_merge)
        .where(t_merge.c.entity_id.in_(sorted(members)))
        .where(_active())
        .values(deleted_at=now, deleted_by=user)
    )
    conn.execute(
        insert(t_merge),
        [
            {
                "canonical_id": canonical,
                "entity_id": member,
                "created_by": user,
                "reason": reason,
                "created_at": now,
            }
            for member in sorted(members)
        ],
    )
    return canonical


def split_entity(conn: Connection, entity_id: str, *, user: str) -> list[str]:
    """Take an entity out of its merge; returns the canonical's remaining members."""
    canonical = canonical_of(conn, entity_id)
    if canonical == entity_id and not entity_id.startswith(CANONICAL_PREFIX):
        raise InputError(f"entity {entity_id!r} is not merged with anything")
    if entity_id.startswith(CANONICAL_PREFIX):
        canonical = entity_id  # splitting a canonical id undoes the whole merge
        targets = members_of(conn, canonical)
    else:
        targets = [entity_id]
    now = datetime.now(UTC)
    conn.execute(
        update(t_merge)
        .where(t_merge.c.canonical_id == canonical)
        .where(t_merge.c.entity_id.in_(targets))
        .where(_active())
        .values(deleted_at=now, deleted_by=user)
    )
    remaining = [m for m in members_of(conn, canonical) if m not in targets and m != canonical]
    if len(remaining) == 1:  # one member alone is no merge
        conn.execute(
            update(t_merge)
            .where(t_merge.c.canonical_id == canonical)
            .where(_active())
            .values(deleted_at=now, deleted_by=user)
        )
        remaining = []
    return remaining

"""Finding scopes: the set of collections (and the agency's own unstored input) a finding
was derived from.

A scope is stored once and referenced by every finding that shares it; scopes are few
next to findings (the combinations of collections analyses actually met), so deciding
which scopes an actor may see is one small read, and reading findings is an indexed
``scope_id IN (...)``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from threadline.store.tables import finding_scope as t_scope


@dataclass(frozen=True)
class FindingScope:
    """Collections a finding was derived from; ``private`` names the agency whose own
    unstored input (a manifest screened at the border) it was also derived from."""

    collections: frozenset[int]
    private: tuple[str, str] | None = None  # (agency, country)

    @property
    def key(self) -> str:
        canonical = json.dumps(
            {"c": sorted(self.collections), "a": list(self.private) if self.private else None},
            separators=(",", ":"),
        )
        return hashlib.sha1(canonical.encode("utf-8")).hexdigest()  # noqa: S324 - a key


EMPTY = FindingScope(frozenset())


def scope_of(
    collection_ids: Iterable[int | None], private: tuple[str, str] | None = None
) -> FindingScope:
    """The scope of a finding derived from these collections (and that agency's own input)."""
    return FindingScope(frozenset(c for c in collection_ids if c is not None), private)


class ScopeIds:
    """Get-or-create scope ids within one transaction, remembering those already met."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._known: dict[str, int] = {}

    def __call__(self, scope: FindingScope) -> int:
        key = scope.key
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = _scope_id(self._conn, scope, key)
        return found


def _scope_id(conn: Connection, scope: FindingScope, key: str) -> int:
    existing = conn.execute(select(t_scope.c.id).where(t_scope.c.key == key)).scalar()
    if existing is not None:
        return int(existing)
    values = {
        "key": key,
        "collections": sorted(scope.collections),
        "private_agency": scope.private[0] if scope.private else None,
        "private_country": scope.private[1] if scope.private else None,
    }
    # Another writer may store the same scope meanwhile: never fail the transaction for it.
    if conn.dialect.name == "postgresql":
        statement: Any = pg_insert(t_scope).values(**values).on_conflict_do_nothing()
    else:
        statement = sqlite_insert(t_scope).values(**values).on_conflict_do_nothing()
    conn.execute(statement)
    return int(conn.execute(select(t_scope.c.id).where(t_scope.c.key == key)).scalar_one())


def all_scopes(conn: Connection) -> list[tuple[int, FindingScope]]:
    """Every stored scope with its id."""
    rows = conn.execute(
        select(
            t_scope.c.id,
            t_scope.c.collections,
            t_scope.c.private_agency,
            t_scope.c.private_country,
        )
    )
    return [
        (
            int(row.id),
            FindingScope(
                frozenset(int(c) for c in row.collections or ()),
                (row.private_agency, row.private_country) if row.private_agency else None,
            ),
        )
        for row in rows
    ]

"""Keeping the persisted graph in step with the store.

A full build derives every edge again. An incremental build looks at the
statements that arrived since the last build (by ``first_seen``), deletes the
edges those entities owned and derives them again from all their statements,
so an entity that gained a phone gains its selector edge and nothing is
counted twice. Edges from findings (clusters, personas) are always re-derived:
analyses replace their findings wholesale, and they are few next to statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, delete, func, insert, select, type_coerce

from threadline.network.derive import (
    FINDING_EDGE_KINDS,
    EdgeRow,
    FindingOrigin,
    entity_edges,
    finding_edges,
    group_rows,
)
from threadline.network.tables import network_build as t_build
from threadline.network.tables import network_edge as t_edge
from threadline.store import Store
from threadline.store.bulk import insert_dicts
from threadline.store.tables import finding as t_finding
from threadline.store.tables import statement as t_statement

CHUNK = 500  # entity ids per IN (...) clause
BATCH = 10_000  # edge rows per insert


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    build_id: int
    full: bool
    entities: int
    edges_added: int
    edges_removed: int
    finding_edges: int
    total_edges: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "build_id": self.build_id,
            "full": self.full,
            "entities": self.entities,
            "edges_added": self.edges_added,
            "edges_removed": self.edges_removed,
            "finding_edges": self.finding_edges,
            "total_edges": self.total_edges,
        }


_COLUMNS = (
    t_statement.c.entity_id,
    t_statement.c.schema,
    t_statement.c.prop,
    t_statement.c.prop_type,
    t_statement.c.value,
    t_statement.c.collection_id,
)


# The watermark is kept as the database spells the newest ``first_seen`` and compared
# in that spelling: SQLite holds these as text written by more than one adapter, so a
# round trip through Python datetimes could move it and re-read the newest rows.
_SEEN = type_coerce(t_statement.c.first_seen, String)


def _newer_than(conn: Connection, watermark: str) -> ColumnElement[bool]:
    if conn.dialect.name == "sqlite":
        return watermark < _SEEN
    return t_statement.c.first_seen > datetime.fromisoformat(watermark)


def _last_watermark(conn: Connection) -> str | None:
    row = conn.execute(
        select(t_build.c.statement_watermark)
        .where(t_build.c.finished_at.is_not(None))
        .order_by(t_build.c.id.desc())
        .limit(1)
    ).first()
    return str(row.statement_watermark) if row and row.statement_watermark else None


def _insert_edges(conn: Connection, edges: Iterable[EdgeRow]) -> int:
    return insert_dicts(conn, t_edge, (edge.to_dict() for edge in edges), batch=BATCH)


def _derive_all(conn: Connection) -> Iterator[EdgeRow]:
    # One ordered scan of the statements that can make an edge (entity references,
    # pivots, dates): set-based, streamed, never one query per entity.
    query = (
        select(*_COLUMNS)
        .order_by(t_statement.c.entity_id, t_statement.c.collection_id)
        .execution_options(stream_results=True, yield_per=20_000)
    )
    for group in group_rows(conn.execute(query)):
        yield from entity_edges(group)


def _derive_some(conn: Connection, entity_ids: Sequence[str]) -> Iterator[EdgeRow]:
    for start in range(0, len(entity_ids), CHUNK):
        chunk = list(entity_ids[start : start + CHUNK])
        query = (
            select(*_COLUMNS)
            .where(t_statement.c.entity_id.in_(chunk))
            .order_by(t_statement.c.entity_id, t_statement.c.collection_id)
        )
        for group in group_rows(conn.execute(query)):
            yield from entity_edges(group)


def _ad_entities(conn: Connection) -> dict[int | None, dict[str, str]]:
    """Per collection, an ad's source id to its entity id (from the ads analysis' findings)."""
    found: dict[int | None, dict[str, str]] = {}
    query = select(t_finding.c.collection_id, t_finding.c.key, t_finding.c.subject_id).where(
        t_finding.c.kind == "ad_risk", t_finding.c.subject_id.is_not(None)
    )
    for row in conn.execute(query):
        found.setdefault(row.collection_id, {})[str(row.key)] = str(row.subject_id)
    return found


def _link_scores(conn: Connection, members: set[str]) -> dict[frozenset[str], float]:
    """The linkage model's score of each stored pair (``link`` findings) among ``members``."""
    query = select(t_finding.c.subject_id, t_finding.c.related_id, t_finding.c.score).where(
        t_finding.c.kind == "link"
    )
    return {
        frozenset((str(row.subject_id), str(row.related_id))): float(row.score)
        for row in conn.execute(query)
        if row.subject_id in members and row.related_id in members and row.score is not None
    }


def _derive_findings(conn: Connection) -> Iterator[EdgeRow]:
    ads = _ad_entities(conn)
    query = select(
        t_finding.c.kind,
        t_finding.c.key,
        t_finding.c.collection_id,
        t_finding.c.data,
        t_finding.c.explanation,
        t_finding.c.scope_id,
        t_finding.c.agency,
        t_finding.c.country,
    ).where(t_finding.c.kind.in_(("link_cluster", "persona")))
    rows = conn.execute(query).all()
    members = {
        str(m)
        for row in rows
        if row.kind == "link_cluster"
        for m in (row.data or {}).get("members") or []
    }
    scores = _link_scores(conn, members)
    for row in rows:
        yield from finding_edges(
            row.kind,
            row.key,
            row.collection_id,
            dict(row.data or {}),
            ads.get(row.collection_id),
            list(row.explanation or []),
            scores,
            FindingOrigin(row.scope_id, row.agency, row.country),
        )


def build_graph(store: Store, *, full: bool = False, user: str = "system") -> BuildReport:
    """Bring the persisted graph up to date (``full`` derives everything again)."""
    started = datetime.now(UTC)
    with store.begin() as conn:
        watermark = None if full else _last_watermark(conn)
        full = watermark is None
        newest = conn.execute(select(type_coerce(func.max(_SEEN), String))).scalar_one_or_none()
        removed = 0
        if full:
            removed = conn.execute(delete(t_edge)).rowcount or 0
            touched_count = int(
                conn.execute(
                    select(func.count(func.distinct(t_statement.c.entity_id)))
                ).scalar_one()
            )
            added = _insert_edges(conn, _derive_all(conn))
        else:
            assert watermark is not None
            touched = sorted(
                conn.execute(
                    select(t_statement.c.entity_id).where(_newer_than(conn, watermark)).distinct()
                ).scalars()
            )
            touched_count = len(touched)
            for start in range(0, len(touched), CHUNK):
                chunk = touched[start : start + CHUNK]
                removed += (
                    conn.execute(delete(t_edge).where(t_edge.c.owner.in_(chunk))).rowcount or 0
                )
            added = _insert_edges(conn, _derive_some(conn, touched))
            removed += (
                conn.execute(delete(t_edge).where(t_edge.c.kind.in_(FINDING_EDGE_KINDS))).rowcount
                or 0
            )
        from_findings = _insert_edges(conn, _derive_findings(conn))
        total = int(conn.execute(select(func.count()).select_from(t_edge)).scalar_one())
        counts = {
            "entities": touched_count,
            "edges_added": added,
            "edges_removed": removed,
            "finding_edges": from_findings,
            "total_edges": total,
        }
        result = conn.execute(
            insert(t_build).values(
                full=full,
                statement_watermark=str(newest) if newest else watermark,
                counts=counts,
                created_by=user,
                started_at=started,
                finished_at=datetime.now(UTC),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
    return BuildReport(
        build_id=int(key[0]),
        full=full,
        entities=touched_count,
        edges_added=added,
        edges_removed=removed,
        finding_edges=from_findings,
        total_edges=total,
    )

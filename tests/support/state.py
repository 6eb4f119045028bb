"""The whole store as data, to show that a refused write changed nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import column, create_engine, inspect, select
from sqlalchemy import table as sql_table

# Written by every request, refused or not: the audit chain (refusals are audited),
# sign-ins (and the per-address sign-in counter), sessions and token use.
VOLATILE = {
    "audit_event",
    "web_session",
    "api_token",
    "user_account",
    "sign_in_source",
    "alembic_version",
}


def snapshot(db: Path, skip: frozenset[str] = frozenset()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the volatile ones, sorted."""
    engine = create_engine(f"sqlite:///{db}")
    try:
        names = [n for n in inspect(engine).get_table_names() if n not in VOLATILE | skip]
        state = {}
        with engine.connect() as conn:
            for name in names:
                columns = [c["name"] for c in inspect(engine).get_columns(name)]
                query = select(*sql_table(name, *(column(c) for c in columns)).c)
                state[name] = sorted(tuple(map(repr, row)) for row in conn.execute(query))
        return state
    finally:
        engine.dispose()


def changes(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    """What differs, one short line per table (with the start of one changed row)."""
    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = set(before.get(name, [])), set(after.get(name, []))
        if old != new:
            added, removed = sorted(new - old), sorted(old - new)
            sample = ", ".join(str(v) for v in (added or removed)[0][:5])[:100]
            lines.append(f"{name}: +{len(added)} -{len(removed)} rows (e.g. {sample})")
    return lines


def owners_linkage(platform: Any) -> dict[str, Any]:
    """The owning agency's linkage as its analyst sees it: review queue, clusters and its
    judgements in force."""
    from threadline.linkage.tables import link_judgement

    why = {"purpose": "investigation", "reference": "CASE-8841", "limit": 500}
    views = {
        path: platform.api("se-analyst", "GET", path, params=why).json()
        for path in ("/linkage/review", "/linkage/clusters")
    }
    with platform.store.connect() as conn:
        judgements = conn.execute(
            select(
                link_judgement.c.left_id, link_judgement.c.right_id, link_judgement.c.judgement
            ).where(
                link_judgement.c.deleted_at.is_(None),
                link_judgement.c.agency == "NCB Stockholm",
            )
        ).all()
    return {**views, "judgements": sorted(tuple(j) for j in judgements)}

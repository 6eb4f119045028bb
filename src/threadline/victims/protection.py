"""Protection other analyses call: is this entity a victim, and how to name them.

Network, screening and tracing call these before presenting a person: a victim
is shown by pseudonym and never as a suspect (non-punishment principle), even
for offences they were compelled to commit. Merged entities count: a victim
linked under one id is protected under the canonical id and every merged id.
The missing-person report linked to a record (``link_missing_report``) is the
same person, so its entity id is protected as a linked entity is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from threadline.store.tables import entity_merge as t_merge
from threadline.victims.tables import victim as t_victim
from threadline.victims.tables import victim_entity as t_entity


@dataclass(frozen=True)
class Protection:
    """Why an entity is protected: the victim record's pseudonym and its flags."""

    entity_id: str
    pseudonym: str
    non_punishment: bool
    compelled_offences: tuple[str, ...]
    owner_agency: str = ""
    owner_country: str = ""


def _related_ids(conn: Connection, ids: set[str]) -> dict[str, set[str]]:
    """Each id with the ids merged with it (same canonical entity, merges not undone)."""
    groups = {i: {i} for i in ids}
    rows = conn.execute(
        select(t_merge.c.canonical_id, t_merge.c.entity_id).where(
            t_merge.c.deleted_at.is_(None),
            or_(t_merge.c.canonical_id.in_(ids), t_merge.c.entity_id.in_(ids)),
        )
    ).all()
    canon = {r.entity_id: r.canonical_id for r in rows}
    canonicals = {canon.get(i, i) for i in ids}
    members = conn.execute(
        select(t_merge.c.canonical_id, t_merge.c.entity_id).where(
            t_merge.c.deleted_at.is_(None), t_merge.c.canonical_id.in_(canonicals)
        )
    ).all()
    by_canonical: dict[str, set[str]] = {}
    for r in members:
        by_canonical.setdefault(r.canonical_id, {r.canonical_id}).add(r.entity_id)
    for i in ids:
        c = canon.get(i, i)
        groups[i] |= by_canonical.get(c, {c})
    return groups


def linked_entity_ids(conn: Connection) -> set[str]:
    """Every entity id linked to a victim record: linked entities and missing-person reports."""
    linked = set(conn.execute(select(t_entity.c.entity_id)).scalars())
    reports = conn.execute(
        select(t_victim.c.missing_report_id).where(t_victim.c.missing_report_id.is_not(None))
    ).scalars()
    return linked | {r for r in reports if r}


def _victims_by_entity(conn: Connection, ids: set[str]) -> dict[str, Any]:
    """The victim row each of these ids is linked to (the oldest record when several are)."""
    columns = (
        t_victim.c.id,
        t_victim.c.pseudonym,
        t_victim.c.non_punishment,
        t_victim.c.compelled_offences,
        t_victim.c.owner_agency,
        t_victim.c.owner_country,
    )
    linked = conn.execute(
        select(t_entity.c.entity_id, *columns)
        .join(t_victim, t_victim.c.id == t_entity.c.victim_id)
        .where(t_entity.c.entity_id.in_(ids))
    ).all()
    reports = conn.execute(
        select(t_victim.c.missing_report_id.label("entity_id"), *columns).where(
            t_victim.c.missing_report_id.in_(ids)
        )
    ).all()
    found: dict[str, Any] = {}
    for row in sorted([*linked, *reports], key=lambda r: r.id):
        found.setdefault(row.entity_id, row)
    return found


def protections(conn: Connection, entity_ids: Iterable[str]) -> dict[str, Protection]:
    """For each given entity id that is (or is merged with) a victim: its protection."""
    ids = {e for e in entity_ids if e}
    if not ids:
        return {}
    groups = _related_ids(conn, ids)
    every = set().union(*groups.values())
    by_entity = _victims_by_entity(conn, every)
    out: dict[str, Protection] = {}
    for entity_id, group in groups.items():
        hits = [by_entity[g] for g in group if g in by_entity]
        if hits:
            hit = min(hits, key=lambda r: r.id)
            out[entity_id] = Protection(
                entity_id=entity_id,
                pseudonym=hit.pseudonym,
                non_punishment=bool(hit.non_punishment),
                compelled_offences=tuple(hit.compelled_offences or ()),
                owner_agency=hit.owner_agency,
                owner_country=hit.owner_country,
            )
    return out


def is_protected_victim(conn: Connection, entity_id: str) -> bool:
    """True when the entity is a victim: never present them as a suspect; pseudonymise them."""
    return entity_id in protections(conn, [entity_id])


def victim_label(conn: Connection, entity_id: str) -> str | None:
    """The pseudonym to show instead of the entity's name (None when not a victim)."""
    found = protections(conn, [entity_id]).get(entity_id)
    return found.pseudonym if found else None

"""Analyst judgements on pairs: attributable, reversible, and stronger than the model.

A judgement is never deleted: a new decision on the same pair or a retraction
soft-deletes the earlier one (``deleted_at``, ``deleted_by``), so the history of
who decided what, when and why stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from threadline.exc import InputError, NotFound
from threadline.governance import Actor
from threadline.governance.audit import record
from threadline.linkage.tables import link_judgement as t_judgement
from threadline.store.collections import utc

JUDGEMENTS = ("same", "different", "unsure")


@dataclass(frozen=True)
class Judgement:
    """One analyst's decision on whether two entities are the same person or organisation."""

    left_id: str
    right_id: str
    judgement: str
    reason: str | None
    created_by: str
    created_at: datetime
    id: int | None = None
    deleted_at: datetime | None = None
    deleted_by: str | None = None
    agency: str | None = None  # whose analyst decided (None: the platform)
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "left_id": self.left_id,
            "right_id": self.right_id,
            "judgement": self.judgement,
            "reason": self.reason,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "deleted_at": self.deleted_at.isoformat() if self.deleted_at else None,
            "deleted_by": self.deleted_by,
            "agency": self.agency,
            "country": self.country,
        }


def _from_row(row: Any) -> Judgement:
    return Judgement(
        id=row.id,
        left_id=row.left_id,
        right_id=row.right_id,
        judgement=row.judgement,
        reason=row.reason,
        created_by=row.created_by,
        created_at=utc(row.created_at),
        deleted_at=utc(row.deleted_at) if row.deleted_at else None,
        deleted_by=row.deleted_by,
        agency=row.agency,
        country=row.country,
    )


def _producer(actor: Actor) -> tuple[str | None, str | None]:
    return (None, None) if actor.system else (actor.agency, actor.country)


def _of(agency: str | None, country: str | None) -> Any:
    """Judgements of this agency (the platform's when ``agency`` is None)."""
    if agency is None:
        return t_judgement.c.agency.is_(None)
    return (t_judgement.c.agency == agency) & (t_judgement.c.country == country)


def _pair(left: str, right: str) -> tuple[str, str]:
    left, right = left.strip(), right.strip()
    if not left or not right:
        raise InputError("a judgement needs two entity ids")
    if left == right:
        raise InputError(f"cannot judge entity {left!r} against itself")
    a, b = sorted((left, right))
    return a, b


def _retire(conn: Connection, actor: Actor, left: str, right: str, now: datetime) -> int:
    """Soft-delete the active judgement of the actor's agency on a pair (another agency's
    judgements are theirs to withdraw)."""
    result = conn.execute(
        update(t_judgement)
        .where(t_judgement.c.left_id == left, t_judgement.c.right_id == right)
        .where(t_judgement.c.deleted_at.is_(None), _of(*_producer(actor)))
        .values(deleted_at=now, deleted_by=actor.user)
    )
    return int(result.rowcount or 0)


def decide(
    conn: Connection, actor: Actor, left: str, right: str, judgement: str, reason: str | None
) -> Judgement:
    """Record a decision on a pair; it replaces (soft-deletes) the agency's earlier one."""
    value = judgement.strip().lower()
    if value not in JUDGEMENTS:
        raise InputError(f"unknown judgement {judgement!r}; use one of: {', '.join(JUDGEMENTS)}")
    a, b = _pair(left, right)
    now = datetime.now(UTC)
    _retire(conn, actor, a, b, now)
    agency, country = _producer(actor)
    result = conn.execute(
        insert(t_judgement).values(
            left_id=a,
            right_id=b,
            judgement=value,
            reason=reason,
            created_by=actor.user,
            created_at=now,
            agency=agency,
            country=country,
        )
    )
    key = result.inserted_primary_key
    record(
        conn,
        actor,
        "link.decide",
        target_type="entity_pair",
        target_id=f"{a}|{b}",
        detail={"judgement": value, "reason": reason},
    )
    return Judgement(
        a,
        b,
        value,
        reason,
        actor.user,
        now,
        id=int(key[0]) if key else None,
        agency=agency,
        country=country,
    )


def retract(conn: Connection, actor: Actor, left: str, right: str) -> int:
    """Withdraw the agency's active judgement on a pair (kept, soft-deleted); returns how
    many. Another agency's judgement is not found (it is theirs to withdraw)."""
    a, b = _pair(left, right)
    count = _retire(conn, actor, a, b, datetime.now(UTC))
    if count == 0:
        raise NotFound(f"no active judgement of your agency on {a} and {b}")
    record(conn, actor, "link.retract", target_type="entity_pair", target_id=f"{a}|{b}")
    return count


def active_judgements(
    conn: Connection, *, agency: str | None = None, country: str | None = None
) -> list[Judgement]:
    """The agency's judgements in force (not retracted or superseded); the platform's when
    ``agency`` is None."""
    query = select(t_judgement).where(t_judgement.c.deleted_at.is_(None), _of(agency, country))
    return [_from_row(row) for row in conn.execute(query.order_by(t_judgement.c.id))]


def judgement_history(conn: Connection, left: str, right: str) -> list[Judgement]:
    """Every judgement ever made on a pair, oldest first (retracted ones included)."""
    a, b = _pair(left, right)
    query = select(t_judgement).where(t_judgement.c.left_id == a, t_judgement.c.right_id == b)
    return [_from_row(row) for row in conn.execute(query.order_by(t_judgement.c.id))]

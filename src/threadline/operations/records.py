"""Storing operations and their outcome revisions (every change kept, newest wins)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from threadline.exc import InputError, NotFound
from threadline.governance import Actor
from threadline.governance.audit import record
from threadline.operations.access import may_confirm, may_define, may_submit, require
from threadline.operations.changes import FigureChange, figure_changes, merge_figures
from threadline.operations.metrics import check_consistency
from threadline.operations.spec import OperationSpec, Participant, parse_country
from threadline.operations.tables import operation as t_op
from threadline.operations.tables import operation_country as t_country
from threadline.operations.tables import outcome_revision as t_rev
from threadline.store.collections import utc

PRELIMINARY = "preliminary"
CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Operation:
    """A coordinated operation as stored."""

    id: int
    code: str
    name: str
    edition: str | None
    start: date
    end: date
    participants: tuple[Participant, ...]
    coordinators: tuple[str, ...]
    focus: tuple[str, ...]
    hotspots: tuple[str, ...]
    border_points: tuple[str, ...]
    description: str | None
    created_by: str
    created_at: datetime

    @property
    def countries(self) -> list[str]:
        return [p.country for p in self.participants]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "edition": self.edition,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "participants": [p.to_dict() for p in self.participants],
            "coordinators": list(self.coordinators),
            "focus": list(self.focus),
            "hotspots": list(self.hotspots),
            "border_points": list(self.border_points),
            "description": self.description,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class OutcomeRevision:
    """One submission or confirmation of a country's figures.

    ``figures`` are the country's whole figures as of this revision; ``changes`` what
    this revision changed from the one before it, metric by metric (old → new).
    """

    country: str
    revision: int
    status: str
    figures: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    note: str | None = None
    changed_by: str = ""
    changed_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    changes: tuple[FigureChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "revision": self.revision,
            "status": self.status,
            "figures": self.figures,
            "changes": [c.to_dict() for c in self.changes],
            "source": self.source,
            "note": self.note,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat(),
        }


def _audit(
    conn: Connection, actor: Actor, action: str, code: str, component: str, **detail: Any
) -> None:
    record(
        conn,
        actor,
        f"operation.{action}",
        component=component,
        target_type="operation",
        target_id=code,
        detail=detail,
    )


def create_operation(
    conn: Connection, spec: OperationSpec, actor: Actor, *, component: str = "cli"
) -> Operation:
    """Store a new operation (coordinators only); its code must be free."""
    require(may_define(actor))
    # Checked first: on PostgreSQL a failed insert would abort the caller's transaction.
    if conn.execute(select(t_op.c.id).where(t_op.c.code == spec.code)).first() is not None:
        raise InputError(f"an operation with code {spec.code!r} already exists")
    try:
        result = conn.execute(
            insert(t_op).values(
                code=spec.code,
                name=spec.name,
                edition=spec.edition,
                start_date=spec.start,
                end_date=spec.end,
                coordinators=list(spec.coordinators),
                focus=list(spec.focus),
                hotspots=list(spec.hotspots),
                border_points=list(spec.border_points),
                description=spec.description,
                created_by=actor.user,
                created_at=datetime.now(UTC),
            )
        )
    except IntegrityError:
        raise InputError(f"an operation with code {spec.code!r} already exists") from None
    key = result.inserted_primary_key
    assert key is not None
    conn.execute(
        insert(t_country),
        [
            {"operation_id": key[0], "country": p.country, "contact_agency": p.contact_agency}
            for p in spec.participants
        ],
    )
    _audit(conn, actor, "create", spec.code, component, countries=len(spec.participants))
    return get_operation(conn, spec.code)


def _participants(conn: Connection, op_id: int) -> tuple[Participant, ...]:
    rows = conn.execute(
        select(t_country).where(t_country.c.operation_id == op_id).order_by(t_country.c.country)
    )
    return tuple(Participant(r.country, r.contact_agency) for r in rows)


def _from_row(conn: Connection, row: Any) -> Operation:
    return Operation(
        id=row.id,
        code=row.code,
        name=row.name,
        edition=row.edition,
        start=row.start_date,
        end=row.end_date,
        participants=_participants(conn, row.id),
        coordinators=tuple(row.coordinators or ()),
        focus=tuple(row.focus or ()),
        hotspots=tuple(row.hotspots or ()),
        border_points=tuple(row.border_points or ()),
        description=row.description,
        created_by=row.created_by,
        created_at=utc(row.created_at),
    )


def get_operation(conn: Connection, code: str) -> Operation:
    row = conn.execute(select(t_op).where(t_op.c.code == code)).first()
    if row is None:
        raise NotFound(f"no operation with code {code!r} (see 'threadline ops list')")
    return _from_row(conn, row)


def list_operations(conn: Connection) -> list[Operation]:
    rows = conn.execute(select(t_op).order_by(t_op.c.start_date.desc(), t_op.c.code))
    return [_from_row(conn, row) for row in rows]


def _participant(conn: Connection, code: str, country: str) -> tuple[Operation, str]:
    op = get_operation(conn, code)
    iso = parse_country("country", country)
    if iso not in op.countries:
        raise InputError(
            f"{iso} is not a participating country of operation {code} "
            f"(participants: {', '.join(op.countries)})"
        )
    return op, iso


def _rev_from_row(row: Any) -> OutcomeRevision:
    return OutcomeRevision(
        country=row.country,
        revision=row.revision,
        status=row.status,
        figures=dict(row.figures or {}),
        source=row.source,
        note=row.note,
        changed_by=row.changed_by,
        changed_at=utc(row.changed_at),
    )


def _latest(conn: Connection, op: Operation, country: str) -> OutcomeRevision | None:
    """The country's newest revision (its current figures), None before its first."""
    row = conn.execute(
        select(t_rev)
        .where(t_rev.c.operation_id == op.id, t_rev.c.country == country)
        .order_by(t_rev.c.revision.desc())
        .limit(1)
    ).first()
    return _rev_from_row(row) if row is not None else None


def _add_revision(
    conn: Connection,
    op: Operation,
    country: str,
    figures: dict[str, Any],
    latest: OutcomeRevision | None,
    **values: Any,
) -> OutcomeRevision:
    row = {
        "operation_id": op.id,
        "country": country,
        "revision": (latest.revision if latest else 0) + 1,
        "figures": figures,
        "changed_at": datetime.now(UTC),
        **values,
    }
    conn.execute(insert(t_rev).values(**row))
    return OutcomeRevision(
        country=country,
        revision=row["revision"],
        status=values["status"],
        figures=figures,
        source=values.get("source"),
        note=values.get("note"),
        changed_by=values["changed_by"],
        changed_at=row["changed_at"],
        changes=tuple(figure_changes(latest.figures if latest else {}, figures)),
    )


def _merged(latest: OutcomeRevision | None, given: dict[str, Any]) -> dict[str, Any]:
    """The figures after a (partial) resubmission, checked whole: a part resent may not
    exceed a whole kept from the newest revision (nor the other way round)."""
    if latest is None:
        return given
    merged = merge_figures(latest.figures, given)
    try:
        check_consistency(merged)
    except InputError as exc:
        raise InputError(
            f"{exc}, counting the figures kept from revision {latest.revision} "
            "(resend the metrics that must change together)"
        ) from None
    return merged


def submit_outcome(
    conn: Connection,
    code: str,
    country: str,
    figures: dict[str, Any],
    actor: Actor,
    *,
    confirm: bool = False,
    source: str | None = None,
    note: str | None = None,
    component: str = "cli",
) -> OutcomeRevision:
    """Record a country's (validated) figures as a new revision, preliminary unless confirmed.

    The metrics given replace those of the country's newest revision and every metric
    not given is kept (a keyed metric key by key): a coordinator resends what changed,
    never the whole set. A participant's own agencies submit; confirming at once needs
    a coordinator. The audit event names the metrics changed and counts those kept.
    """
    op, iso = _participant(conn, code, country)
    require(may_submit(actor, iso))
    if confirm:
        require(may_confirm(actor))
    status = CONFIRMED if confirm else PRELIMINARY
    latest = _latest(conn, op, iso)
    merged = _merged(latest, figures)
    rev = _add_revision(
        conn,
        op,
        iso,
        merged,
        latest,
        status=status,
        source=source,
        note=note,
        changed_by=actor.user,
    )
    _audit(
        conn,
        actor,
        "submit",
        code,
        component,
        country=iso,
        revision=rev.revision,
        status=status,
        metrics=len(figures),
        changed=[c.metric for c in rev.changes],
        kept=len(set(merged) - set(figures)),
    )
    return rev


def confirm_outcome(
    conn: Connection,
    code: str,
    country: str,
    actor: Actor,
    *,
    note: str | None = None,
    component: str = "cli",
) -> OutcomeRevision:
    """Confirm the newest figures of a country (a new revision, same figures)."""
    op, iso = _participant(conn, code, country)
    require(may_confirm(actor))
    latest = _latest(conn, op, iso)
    if latest is None:
        raise InputError(f"{iso} has submitted no figures for operation {code} yet")
    if latest.status == CONFIRMED:
        raise InputError(
            f"the figures of {iso} for operation {code} are already confirmed "
            f"(revision {latest.revision})"
        )
    rev = _add_revision(
        conn,
        op,
        iso,
        latest.figures,
        latest,
        status=CONFIRMED,
        source=latest.source,
        note=note or f"confirms revision {latest.revision}",
        changed_by=actor.user,
    )
    _audit(conn, actor, "confirm", code, component, country=iso, revision=rev.revision)
    return rev


def outcome_history(conn: Connection, code: str, country: str) -> list[OutcomeRevision]:
    """Every revision of a country's figures, oldest first, each with what it changed."""
    op, iso = _participant(conn, code, country)
    rows = conn.execute(
        select(t_rev)
        .where(t_rev.c.operation_id == op.id, t_rev.c.country == iso)
        .order_by(t_rev.c.revision)
    )
    history: list[OutcomeRevision] = []
    before: dict[str, Any] = {}
    for row in rows:
        rev = _rev_from_row(row)
        history.append(replace(rev, changes=tuple(figure_changes(before, rev.figures))))
        before = rev.figures
    return history


def current_outcomes(conn: Connection, op: Operation) -> dict[str, OutcomeRevision]:
    """The newest revision per participating country that has submitted."""
    rows = conn.execute(
        select(t_rev).where(t_rev.c.operation_id == op.id).order_by(t_rev.c.revision)
    )
    return {r.country: _rev_from_row(r) for r in rows}


def all_revisions(conn: Connection, op: Operation) -> list[OutcomeRevision]:
    rows = conn.execute(
        select(t_rev).where(t_rev.c.operation_id == op.id).order_by(t_rev.c.changed_at)
    )
    return [_rev_from_row(r) for r in rows]

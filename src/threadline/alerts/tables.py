"""The alert tables: one row per alert of an agency, and every state change it went through."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from threadline.store.tables import metadata

alert = Table(
    "alert",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency", String(100), nullable=False),  # the agency that owns the data or report
    Column("country", String(2), nullable=False),
    Column("kind", String(32), nullable=False),  # trace_lead, screening_hit, safeguarding
    Column("key", String(600), nullable=False),  # what the alert is about, stable across runs
    Column("subject_id", String(255), nullable=True),
    Column("related_id", String(255), nullable=True),
    Column("score", Float, nullable=True),
    Column("decision", String(32), nullable=True),
    Column("evidence", String(64), nullable=False),  # digest of what decided it
    Column("explanation", JSON, nullable=False),
    Column("detail", JSON, nullable=False),  # caption, message, run, what changed
    Column("state", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("agency", "kind", "key", name="uq_alert_agency_kind_key"),
    Index("ix_alert_agency_state", "agency", "state"),
)

alert_event = Table(
    "alert_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", Integer, ForeignKey("alert.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("changed_by", String(100), nullable=False),  # a user, or "system" for a run
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Index("ix_alert_event_alert", "alert_id"),
)

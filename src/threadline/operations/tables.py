"""Tables of coordinated operations and their per-country outcome revisions.

They join the store's shared ``metadata``; migration 0003 creates exactly these.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from threadline.store.tables import metadata

operation = Table(
    "operation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("edition", String(32), nullable=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("coordinators", JSON, nullable=False),  # coordinating bodies
    Column("focus", JSON, nullable=False),  # forms of exploitation, smuggling
    Column("hotspots", JSON, nullable=False),
    Column("border_points", JSON, nullable=False),
    Column("description", Text, nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

operation_country = Table(
    "operation_country",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("operation_id", Integer, ForeignKey("operation.id", ondelete="CASCADE"), nullable=False),
    Column("country", String(2), nullable=False),
    Column("contact_agency", String(255), nullable=False),
    UniqueConstraint("operation_id", "country"),
)

# Every submission or confirmation is a new row; the newest one is the current figure.
outcome_revision = Table(
    "outcome_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("operation_id", Integer, ForeignKey("operation.id", ondelete="CASCADE"), nullable=False),
    Column("country", String(2), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # preliminary | confirmed
    Column("figures", JSON, nullable=False),
    Column("source", Text, nullable=True),  # file the figures came from
    Column("note", Text, nullable=True),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("operation_id", "country", "revision"),
)

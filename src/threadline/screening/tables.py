"""The screening tables: the archive of screened manifests, and the analysts' screening rules.

- ``screened_manifest``: each manifest an agency screened, kept (its content as received)
  for ``manifest_retention_days`` so rules can be back-tested on it and its travellers
  re-screened when the lists change; one row per agency and content (screening the same
  file again keeps the first receipt).
- ``screening_rule``: a named rule of one agency; ``screening_rule_version``: each version
  of it (expression, action, description, state, and the back-test of that version).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from threadline.store.tables import metadata

screened_manifest = Table(
    "screened_manifest",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency", String(100), nullable=False),  # the agency that screened it
    Column("country", String(2), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),  # of the content
    Column("content", LargeBinary, nullable=False),  # the file as received
    Column("travellers", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),  # first screened
    Column("received_by", String(100), nullable=False),
    Column("screened_at", DateTime(timezone=True), nullable=False),  # last screened
    Column("run_id", Integer, nullable=True),  # the last screening run
    UniqueConstraint("agency", "country", "sha256", name="uq_screened_manifest_content"),
    Index("ix_screened_manifest_received", "received_at"),
)

screening_rule = Table(
    "screening_rule",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency", String(100), nullable=False),  # the owning agency
    Column("country", String(2), nullable=False),
    Column("name", String(64), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("agency", "country", "name", name="uq_screening_rule_name"),
)

screening_rule_version = Table(
    "screening_rule_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rule_id", Integer, ForeignKey("screening_rule.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("expression", Text, nullable=False),
    Column("action", String(16), nullable=False),  # referral or review
    Column("description", Text, nullable=False),  # why it matters
    Column("fields", JSON, nullable=False),  # the fields the expression uses
    Column("state", String(16), nullable=False),  # draft, active, retired
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("backtest", JSON, nullable=True),  # the newest back-test of this version
    Column("backtested_at", DateTime(timezone=True), nullable=True),
    Column("backtested_by", String(100), nullable=True),
    Column("activated_at", DateTime(timezone=True), nullable=True),
    Column("activated_by", String(100), nullable=True),
    Column("retired_at", DateTime(timezone=True), nullable=True),
    Column("retired_by", String(100), nullable=True),
    Column("retired_reason", Text, nullable=True),
    UniqueConstraint("rule_id", "version", name="uq_screening_rule_version"),
    Index("ix_screening_rule_version_state", "state"),
    # at most one active version per rule, whatever two activations do at the same moment
    Index(
        "uq_screening_rule_one_active",
        "rule_id",
        unique=True,
        sqlite_where=text("state = 'active'"),
        postgresql_where=text("state = 'active'"),
    ),
)

"""alerts: each new lead, hit or referral waiting for its owning agency, and its triage steps

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("subject_id", sa.String(length=255), nullable=True),
        sa.Column("related_id", sa.String(length=255), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("evidence", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("agency", "kind", "key", name="uq_alert_agency_kind_key"),
    )
    op.create_index("ix_alert_agency_state", "alert", ["agency", "state"])
    op.create_table(
        "alert_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_alert_event_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_event")),
    )
    op.create_index("ix_alert_event_alert", "alert_event", ["alert_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_event_alert", table_name="alert_event")
    op.drop_table("alert_event")
    op.drop_index("ix_alert_agency_state", table_name="alert")
    op.drop_table("alert")

"""linkage and tracing: judgements, trained models, scored records

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_judgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_id", sa.String(length=255), nullable=False),
        sa.Column("right_id", sa.String(length=255), nullable=False),
        sa.Column("judgement", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_judgement")),
    )
    op.create_index("ix_link_judgement_pair", "link_judgement", ["left_id", "right_id"])
    op.create_table(
        "link_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("trained", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_model")),
    )
    op.create_table(
        "link_record",
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_link_record")),
    )
    op.create_index("ix_link_record_collection", "link_record", ["collection_id"])


def downgrade() -> None:
    op.drop_index("ix_link_record_collection", table_name="link_record")
    op.drop_table("link_record")
    op.drop_table("link_model")
    op.drop_index("ix_link_judgement_pair", table_name="link_judgement")
    op.drop_table("link_judgement")

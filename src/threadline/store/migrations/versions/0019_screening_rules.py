"""screening rules: the archive of screened manifests, analysts' rules and their versions

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screened_manifest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("travellers", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=100), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screened_manifest")),
        sa.UniqueConstraint("agency", "country", "sha256", name="uq_screened_manifest_content"),
    )
    op.create_index("ix_screened_manifest_received", "screened_manifest", ["received_at"])
    op.create_table(
        "screening_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_rule")),
        sa.UniqueConstraint("agency", "country", "name", name="uq_screening_rule_name"),
    )
    op.create_table(
        "screening_rule_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("backtest", sa.JSON(), nullable=True),
        sa.Column("backtested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("backtested_by", sa.String(length=100), nullable=True),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_by", sa.String(length=100), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by", sa.String(length=100), nullable=True),
        sa.Column("retired_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["screening_rule.id"],
            name=op.f("fk_screening_rule_version_rule_id_screening_rule"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_rule_version")),
        sa.UniqueConstraint("rule_id", "version", name="uq_screening_rule_version"),
    )
    op.create_index("ix_screening_rule_version_state", "screening_rule_version", ["state"])


def downgrade() -> None:
    op.drop_index("ix_screening_rule_version_state", table_name="screening_rule_version")
    op.drop_table("screening_rule_version")
    op.drop_table("screening_rule")
    op.drop_index("ix_screened_manifest_received", table_name="screened_manifest")
    op.drop_table("screened_manifest")

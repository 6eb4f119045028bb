"""network (tables added by that capability)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_edge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("target", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_edge")),
    )
    op.create_index("ix_network_edge_owner", "network_edge", ["owner"])
    op.create_index("ix_network_edge_source", "network_edge", ["source"])
    op.create_index("ix_network_edge_target", "network_edge", ["target"])
    op.create_table(
        "network_build",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("statement_watermark", sa.String(length=64), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_build")),
    )


def downgrade() -> None:
    op.drop_table("network_build")
    op.drop_index("ix_network_edge_target", table_name="network_edge")
    op.drop_index("ix_network_edge_source", table_name="network_edge")
    op.drop_index("ix_network_edge_owner", table_name="network_edge")
    op.drop_table("network_edge")

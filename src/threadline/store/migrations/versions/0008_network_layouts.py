"""network layouts saved per user and network (web network view)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_layout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(length=100), nullable=False),
        sa.Column("network_id", sa.String(length=64), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_layout")),
        sa.UniqueConstraint("user", "network_id", name=op.f("uq_network_layout_user_network_id")),
    )


def downgrade() -> None:
    op.drop_table("network_layout")

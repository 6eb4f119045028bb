"""notifications delivered inside Threadline: addressed agency, sender, acknowledgement

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("from_agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("from_country", sa.String(length=2), nullable=True))
        batch.add_column(sa.Column("acknowledged_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_notification_country_status", ["country", "status"])
    # Notifications queued before delivery existed: the sender is the record's owner.
    op.execute(
        "UPDATE notification SET from_agency = (SELECT owner_agency FROM victim "
        "WHERE victim.id = notification.victim_id), from_country = (SELECT owner_country "
        "FROM victim WHERE victim.id = notification.victim_id) WHERE victim_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_index("ix_notification_country_status")
        batch.drop_column("acknowledged_at")
        batch.drop_column("acknowledged_by")
        batch.drop_column("from_country")
        batch.drop_column("from_agency")
        batch.drop_column("agency")

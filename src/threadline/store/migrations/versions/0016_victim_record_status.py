"""victim record status: a record is closed (care ended, or opened by mistake) and reopened,
never deleted; the last closure on the record, every step in its status timeline

Revision ID: 0016
Revises: 0015

Every record stored before this revision is open (closing did not exist), so the
status column is added with ``open`` as its default and no step in any timeline.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# SQLite cannot rebuild a table other tables refer to while enforcing foreign keys (and a
# rebuild would drop the records' consents, referrals and links with it), so the victim
# table is altered in place, never rebuilt in a batch.
CLOSURE_COLUMNS = ("closed_reason", "closed_by", "closed_at", "status")


def upgrade() -> None:
    op.add_column(
        "victim", sa.Column("status", sa.String(length=8), nullable=False, server_default="open")
    )
    op.add_column("victim", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("victim", sa.Column("closed_by", sa.String(length=100), nullable=True))
    op.add_column("victim", sa.Column("closed_reason", sa.Text(), nullable=True))
    op.create_table(
        "victim_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["victim.id"],
            name=op.f("fk_victim_status_event_victim_id_victim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_status_event")),
    )


def downgrade() -> None:
    op.drop_table("victim_status_event")
    for name in CLOSURE_COLUMNS:
        op.drop_column("victim", name)

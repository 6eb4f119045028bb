"""job warnings: values of stored records that could not be used as sent

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(
            sa.Column("warnings", sa.BigInteger(), nullable=False, server_default=sa.text("0"))
        )
    op.create_table(
        "job_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_job_warning_job_id_job")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_warning")),
        sa.UniqueConstraint(
            "job_id", "position", "reason", name=op.f("uq_job_warning_job_id_position_reason")
        ),
    )


def downgrade() -> None:
    op.drop_table("job_warning")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("warnings")

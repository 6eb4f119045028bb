"""one active version per screening rule, kept by the database

Two activations of a rule's versions at the same moment could each retire what they saw
active and leave two versions active. A partial unique index on the active versions lets
only one through.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "uq_screening_rule_one_active",
        "screening_rule_version",
        ["rule_id"],
        unique=True,
        sqlite_where=sa.text("state = 'active'"),
        postgresql_where=sa.text("state = 'active'"),
    )


def downgrade() -> None:
    op.drop_index("uq_screening_rule_one_active", table_name="screening_rule_version")

"""an index for name search: name statements in entity order

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NAMES = sa.text("prop_type = 'name'")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Covering: a search reads the index only.
        columns = ["prop_type", "entity_id", "collection_id", "value"]
        op.create_index("ix_statement_name", "statement", columns, sqlite_where=NAMES)
    else:
        # No value: a B-tree entry is limited to 2,704 bytes and a value is not.
        columns = ["prop_type", "entity_id", "collection_id"]
        op.create_index("ix_statement_name", "statement", columns, postgresql_where=NAMES)


def downgrade() -> None:
    op.drop_index("ix_statement_name", table_name="statement")

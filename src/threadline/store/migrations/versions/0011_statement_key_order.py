"""statements keyed by collection, entity and statement id, stored in key order on SQLite

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = (
    "id, entity_id, schema, prop, prop_type, value, original_value, lang, collection_id, "
    "job_id, source_id, first_seen"
)
NAMES = sa.text("prop_type = 'name'")


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("prop", sa.String(length=64), nullable=False),
        sa.Column("prop_type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("original_value", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    ]


def _rebuild_sqlite(key: tuple[str, ...], with_rowid: bool) -> None:
    """SQLite cannot change a table's key in place: copy into a new table in key order."""
    op.create_table(
        "statement_rebuilt",
        *_columns(),
        sa.ForeignKeyConstraint(
            ["collection_id"], ["collection.id"], name="fk_statement_collection_id_collection"
        ),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name="fk_statement_job_id_job"),
        sa.PrimaryKeyConstraint(*key, name="pk_statement"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        f"INSERT INTO statement_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM statement "  # noqa: S608
        f"ORDER BY {', '.join(key)}"
    )
    op.drop_table("statement")
    op.rename_table("statement_rebuilt", "statement")
    op.create_index("ix_statement_entity", "statement", ["entity_id"])
    op.create_index(
        "ix_statement_name",
        "statement",
        ["prop_type", "entity_id", "collection_id", "value"],
        sqlite_where=NAMES,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(("collection_id", "entity_id", "id"), with_rowid=False)
        return
    op.drop_constraint("pk_statement", "statement", type_="primary")
    op.create_primary_key("pk_statement", "statement", ["collection_id", "entity_id", "id"])
    # the key now leads with collection and entity: this index says nothing more
    op.drop_index("ix_statement_collection_entity", table_name="statement")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(("id",), with_rowid=True)
    else:
        op.drop_constraint("pk_statement", "statement", type_="primary")
        op.create_primary_key("pk_statement", "statement", ["id"])
    op.create_index("ix_statement_collection_entity", "statement", ["collection_id", "entity_id"])

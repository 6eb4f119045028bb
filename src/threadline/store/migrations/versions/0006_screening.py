"""screening: the stolen and lost travel documents list

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "travel_document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("issuing_country", sa.String(length=3), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("document_number", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("reporting_agency", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collection.id"],
            name=op.f("fk_travel_document_collection_id_collection"),
        ),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_travel_document_job_id_job")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_travel_document")),
    )
    op.create_index(
        "uq_travel_document_entry",
        "travel_document",
        ["collection_id", "issuing_country", "document_type", "document_number", "status"],
        unique=True,
    )
    op.create_index("ix_travel_document_number", "travel_document", ["document_number"])


def downgrade() -> None:
    op.drop_index("ix_travel_document_number", table_name="travel_document")
    op.drop_index("uq_travel_document_entry", table_name="travel_document")
    op.drop_table("travel_document")

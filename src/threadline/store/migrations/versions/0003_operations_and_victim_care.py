"""operations and victim care

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _created(*names: str) -> list[sa.Column[object]]:
    return [sa.Column(name, sa.DateTime(timezone=True), nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("edition", sa.String(length=32), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("coordinators", sa.JSON(), nullable=False),
        sa.Column("focus", sa.JSON(), nullable=False),
        sa.Column("hotspots", sa.JSON(), nullable=False),
        sa.Column("border_points", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        *_created("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation")),
        sa.UniqueConstraint("code", name=op.f("uq_operation_code")),
    )
    op.create_table(
        "operation_country",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("contact_agency", sa.String(length=255), nullable=False),
        _fk("operation_country", "operation_id", "operation", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_country")),
        sa.UniqueConstraint(
            "operation_id", "country", name=op.f("uq_operation_country_operation_id_country")
        ),
    )
    op.create_table(
        "outcome_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        *_created("changed_at"),
        _fk("outcome_revision", "operation_id", "operation", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_revision")),
        sa.UniqueConstraint(
            "operation_id",
            "country",
            "revision",
            name=op.f("uq_outcome_revision_operation_id_country_revision"),
        ),
    )
    op.create_table(
        "victim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=32), nullable=False),
        sa.Column("owner_agency", sa.String(length=100), nullable=False),
        sa.Column("owner_country", sa.String(length=2), nullable=False),
        sa.Column("personal", sa.JSON(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("minor", sa.Boolean(), nullable=True),
        sa.Column("nationality", sa.String(length=2), nullable=True),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("identified_how", sa.String(length=32), nullable=False),
        sa.Column("identified_country", sa.String(length=2), nullable=False),
        sa.Column("identified_place", sa.String(length=255), nullable=True),
        sa.Column("operation", sa.String(length=100), nullable=True),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("non_punishment", sa.Boolean(), nullable=False),
        sa.Column("compelled_offences", sa.JSON(), nullable=False),
        sa.Column("missing_report_id", sa.String(length=255), nullable=True),
        sa.Column("missing_report_country", sa.String(length=2), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        *_created("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_victim_pseudonym")),
    )
    op.create_table(
        "victim_entity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("linked_by", sa.String(length=100), nullable=False),
        *_created("linked_at"),
        _fk("victim_entity", "victim_id", "victim", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_entity")),
        sa.UniqueConstraint(
            "victim_id", "entity_id", name=op.f("uq_victim_entity_victim_id_entity_id")
        ),
    )
    op.create_index("ix_victim_entity_entity", "victim_entity", ["entity_id"], unique=False)
    op.create_table(
        "victim_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        *_created("given_at"),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=100), nullable=True),
        _fk("victim_consent", "victim_id", "victim", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_consent")),
    )
    op.create_table(
        "support_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("contact", sa.String(length=255), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_created("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_service")),
        sa.UniqueConstraint(
            "country", "kind", "name", name=op.f("uq_support_service_country_kind_name")
        ),
    )
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        *_created("created_at"),
        _fk("referral", "victim_id", "victim", "CASCADE"),
        _fk("referral", "service_id", "support_service"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    op.create_table(
        "referral_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        *_created("changed_at"),
        _fk("referral_event", "referral_id", "referral", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_event")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_ref", sa.String(length=255), nullable=True),
        sa.Column("victim_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        *_created("created_at"),
        _fk("notification", "victim_id", "victim", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_table(
        "reunification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("reunited_on", sa.Date(), nullable=False),
        sa.Column("relationship", sa.String(length=64), nullable=False),
        sa.Column("with_whom", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        *_created("recorded_at"),
        _fk("reunification", "victim_id", "victim", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reunification")),
    )


def downgrade() -> None:
    op.drop_table("reunification")
    op.drop_table("notification")
    op.drop_table("referral_event")
    op.drop_table("referral")
    op.drop_table("support_service")
    op.drop_table("victim_consent")
    op.drop_index("ix_victim_entity_entity", table_name="victim_entity")
    op.drop_table("victim_entity")
    op.drop_table("victim")
    op.drop_table("outcome_revision")
    op.drop_table("operation_country")
    op.drop_table("operation")

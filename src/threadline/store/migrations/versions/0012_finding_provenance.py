"""findings carry their provenance; analysis runs, judgements and linkage state per agency

Revision ID: 0012
Revises: 0011

Every finding names the collections it was derived from (``finding_scope``) and the
agency whose run produced it; network edges derived from findings carry the same.
Analysis runs, linkage judgements, models and scored records belong to an agency, so
one agency's run or judgement never replaces or reshapes another's. A partial index on
entity references lets the victim shield follow references backwards.

Findings stored before this revision get the scope of their one collection (or the
empty scope) and no agency: the platform produced them.
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _key(collections: list[int]) -> str:
    canonical = json.dumps({"c": sorted(collections), "a": None}, separators=(",", ":"))
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()  # noqa: S324 - a key, not a secret


def upgrade() -> None:
    op.create_table(
        "finding_scope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("collections", sa.JSON(), nullable=False),
        sa.Column("private_agency", sa.String(length=100), nullable=True),
        sa.Column("private_country", sa.String(length=2), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_scope")),
        sa.UniqueConstraint("key", name=op.f("uq_finding_scope_key")),
    )
    with op.batch_alter_table("analysis_run") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("scope_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch.create_foreign_key(
            op.f("fk_finding_scope_id_finding_scope"), "finding_scope", ["scope_id"], ["id"]
        )
        batch.create_index("ix_finding_kind_scope", ["kind", "scope_id"])
    with op.batch_alter_table("network_edge") as batch:
        batch.add_column(sa.Column("scope_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
    with op.batch_alter_table("link_judgement") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
    with op.batch_alter_table("link_model") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
    _rekey_link_records()
    op.create_index(
        "ix_statement_ref",
        "statement",
        ["value", "entity_id"],
        sqlite_where=sa.text("prop_type = 'entity'"),
        postgresql_where=sa.text("prop_type = 'entity'"),
    )
    _backfill_scopes()


def _rekey_link_records() -> None:
    """Scored records are kept per producing agency: the key gains ``producer``."""
    op.create_table(
        "link_record_new",
        sa.Column("producer", sa.String(length=110), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("producer", "entity_id", name="pk_link_record_new"),
    )
    op.execute(
        "INSERT INTO link_record_new (producer, entity_id, collection_id, source_id, "
        "fingerprint, model_id, scored_at) SELECT '', entity_id, collection_id, source_id, "
        "fingerprint, model_id, scored_at FROM link_record"
    )
    op.drop_index("ix_link_record_collection", table_name="link_record")
    op.drop_table("link_record")
    op.rename_table("link_record_new", "link_record")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE link_record RENAME CONSTRAINT pk_link_record_new TO pk_link_record")
    op.create_index("ix_link_record_collection", "link_record", ["collection_id"])


def _backfill_scopes() -> None:
    bind = op.get_bind()
    scope = sa.table(
        "finding_scope",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("collections", sa.JSON),
    )
    finding = sa.table(
        "finding",
        sa.column("collection_id", sa.Integer),
        sa.column("scope_id", sa.Integer),
    )
    present = [row[0] for row in bind.execute(sa.select(finding.c.collection_id).distinct()).all()]
    for collection_id in present:
        collections = [] if collection_id is None else [int(collection_id)]
        bind.execute(sa.insert(scope).values(key=_key(collections), collections=collections))
        scope_id = bind.execute(
            sa.select(scope.c.id).where(scope.c.key == _key(collections))
        ).scalar_one()
        where = (
            finding.c.collection_id.is_(None)
            if collection_id is None
            else finding.c.collection_id == collection_id
        )
        bind.execute(sa.update(finding).where(where).values(scope_id=scope_id))


def downgrade() -> None:
    op.drop_index("ix_statement_ref", table_name="statement")
    op.create_table(
        "link_record_old",
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name="pk_link_record_old"),
    )
    op.execute(
        "INSERT INTO link_record_old (entity_id, collection_id, source_id, fingerprint, "
        "model_id, scored_at) SELECT entity_id, collection_id, source_id, fingerprint, "
        "model_id, scored_at FROM link_record WHERE producer = ''"
    )
    op.drop_index("ix_link_record_collection", table_name="link_record")
    op.drop_table("link_record")
    op.rename_table("link_record_old", "link_record")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE link_record RENAME CONSTRAINT pk_link_record_old TO pk_link_record")
    op.create_index("ix_link_record_collection", "link_record", ["collection_id"])
    with op.batch_alter_table("link_model") as batch:
        batch.drop_column("country")
        batch.drop_column("agency")
    with op.batch_alter_table("link_judgement") as batch:
        batch.drop_column("country")
        batch.drop_column("agency")
    with op.batch_alter_table("network_edge") as batch:
        batch.drop_column("country")
        batch.drop_column("agency")
        batch.drop_column("scope_id")
    with op.batch_alter_table("finding") as batch:
        batch.drop_index("ix_finding_kind_scope")
        batch.drop_constraint(op.f("fk_finding_scope_id_finding_scope"), type_="foreignkey")
        batch.drop_column("country")
        batch.drop_column("agency")
        batch.drop_column("scope_id")
    with op.batch_alter_table("analysis_run") as batch:
        batch.drop_column("country")
        batch.drop_column("agency")
    op.drop_table("finding_scope")

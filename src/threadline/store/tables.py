"""Table definitions (the Alembic migrations create exactly these)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

collection = Table(
    "collection",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("label", String(255), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("owner_agency", String(100), nullable=False),
    Column("owner_country", String(2), nullable=False),
    Column("sharing", String(16), nullable=False),
    Column("shared_countries", JSON, nullable=False),
    Column("watchlist", Boolean, nullable=False, default=False),
    Column("description", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("review_at", DateTime(timezone=True), nullable=False),
)

job = Table(
    "job",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("collection_id", Integer, ForeignKey("collection.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("format", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("options", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("position", BigInteger, nullable=False, default=0),
    Column("read", BigInteger, nullable=False, default=0),
    Column("stored", BigInteger, nullable=False, default=0),
    Column("rejected", BigInteger, nullable=False, default=0),
    # Values left out of records that were stored (a bad phone in an entity kept whole).
    Column("values_rejected", BigInteger, nullable=False, default=0, server_default="0"),
    Column("entities", BigInteger, nullable=False, default=0),
    Column("statements", BigInteger, nullable=False, default=0),
    Column("warnings", BigInteger, nullable=False, default=0, server_default=text("0")),
    Column("error", Text, nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Index("ix_job_collection_source", "collection_id", "source_sha256"),
)

rejection = Table(
    "rejection",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", Integer, ForeignKey("job.id"), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("source_id", Text, nullable=True),
    Column("reason", Text, nullable=False),
    Column("excerpt", Text, nullable=True),
    UniqueConstraint("job_id", "position", "reason"),
)

# A stored record's value that could not be used as sent (a place given as text where a
# code was due, an unreadable date, a count that disagrees): the record is kept, this says
# what of it was not.
job_warning = Table(
    "job_warning",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", Integer, ForeignKey("job.id"), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("source_id", Text, nullable=True),
    Column("reason", Text, nullable=False),
    Column("excerpt", Text, nullable=True),
    UniqueConstraint("job_id", "position", "reason"),
)

# One row per (entity, property, value, source record): the statement model.
#
# The key leads with the collection and the entity, and on SQLite the table is stored in key
# order (WITHOUT ROWID): an entity's statements sit together, a collection reads in entity
# order without a separate index, and ingestion (which writes each batch sorted by entity)
# appends to neighbouring pages instead of scattering writes over four B-trees.
statement = Table(
    "statement",
    metadata,
    Column("id", String(40), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("prop_type", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text, nullable=True),
    Column("lang", String(8), nullable=True),
    Column("collection_id", Integer, ForeignKey("collection.id"), nullable=False),
    Column("job_id", Integer, ForeignKey("job.id"), nullable=True),
    Column("source_id", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("collection_id", "entity_id", "id"),
    Index("ix_statement_entity", "entity_id"),
    # Name search reads only names, in entity order (and stops at the page's end). On SQLite
    # the index also holds the value, so a search never reads the table; a PostgreSQL B-tree
    # entry cannot exceed 2,704 bytes, so there the value is read from the table.
    Index(
        "ix_statement_name",
        "prop_type",
        "entity_id",
        "collection_id",
        "value",
        sqlite_where=text("prop_type = 'name'"),
    ).ddl_if(dialect="sqlite"),
    Index(
        "ix_statement_name",
        "prop_type",
        "entity_id",
        "collection_id",
        postgresql_where=text("prop_type = 'name'"),
    ).ddl_if(dialect="postgresql"),
    # Who points at an entity (a passport's holder, an account's owner): the victim shield
    # and entity pages follow references backwards. References only, so the index is small.
    Index(
        "ix_statement_ref",
        "value",
        "entity_id",
        sqlite_where=text("prop_type = 'entity'"),
        postgresql_where=text("prop_type = 'entity'"),
    ),
    sqlite_with_rowid=False,
)

# Reversible merges: entity_id belongs to canonical_id while deleted_at is null.
entity_merge = Table(
    "entity_merge",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("canonical_id", String(255), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("deleted_by", String(100), nullable=True),
    Index("ix_entity_merge_entity", "entity_id"),
    Index("ix_entity_merge_canonical", "canonical_id"),
)

# One run of an analysis (ads, screening, linkage, tracing, network) over some collections.
analysis_run = Table(
    "analysis_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("scope", JSON, nullable=False),  # collection names and parameters
    Column("operation", String(100), nullable=True),  # operation tag (checks and hits count)
    Column("status", String(16), nullable=False),
    Column("counts", JSON, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("error", Text, nullable=True),
    # The agency that ran it (None: the platform itself). A run replaces only the findings
    # of its own agency: one agency's analysis never deletes another's.
    Column("agency", String(100), nullable=True),
    Column("country", String(2), nullable=True),
)

# What a finding was derived from: a set of collections, and, for input an agency screened
# without storing it (a manifest file checked at the border), that agency. A finding is
# visible only to an actor who may see every collection of its scope (and who acts for
# that agency when the scope has one). Scopes are few next to findings: combinations of
# collections that analyses actually met.
finding_scope = Table(
    "finding_scope",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),  # SHA-1 of the canonical form
    Column("collections", JSON, nullable=False),  # sorted collection ids
    Column("private_agency", String(100), nullable=True),
    Column("private_country", String(2), nullable=True),
)

# What an analysis found, with its score and its explanation as data.
finding = Table(
    "finding",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("analysis_run.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("key", String(255), nullable=False),  # stable id of the finding within its kind
    Column("subject_id", String(255), nullable=True),  # entity (or persona) it is about
    Column("related_id", String(255), nullable=True),  # the other side: candidate, sighting
    Column("collection_id", Integer, ForeignKey("collection.id"), nullable=True),
    Column("score", Float, nullable=True),
    Column("decision", String(32), nullable=True),
    Column("explanation", JSON, nullable=False),  # list of contributions
    Column("data", JSON, nullable=False),  # kind-specific payload
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("scope_id", Integer, ForeignKey("finding_scope.id"), nullable=True),
    Column("agency", String(100), nullable=True),  # of the run (None: the platform)
    Column("country", String(2), nullable=True),
    Index("ix_finding_kind_subject", "kind", "subject_id"),
    Index("ix_finding_kind_key", "kind", "key"),
    Index("ix_finding_kind_related", "kind", "related_id"),
    Index("ix_finding_run", "run_id"),
    Index("ix_finding_kind_scope", "kind", "scope_id"),
)

# The stolen and lost travel documents list: one narrow row per listed document, not
# statements, because lists run to ten million rows and more. Values are normalised by
# threadline.primitives.travel_documents.parse_document_row; screening loads the rows into
# its in-memory document index.
travel_document = Table(
    "travel_document",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("collection_id", Integer, ForeignKey("collection.id"), nullable=False),
    Column("job_id", Integer, ForeignKey("job.id"), nullable=True),
    Column("position", BigInteger, nullable=False),  # row number in the source file
    Column("issuing_country", String(3), nullable=False),  # MRZ code (alpha-3, D for Germany)
    Column("document_type", String(20), nullable=False),
    Column("document_number", String(20), nullable=False),  # normalised
    Column("status", String(16), nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("reporting_agency", String(255), nullable=False),
    Index(
        "uq_travel_document_entry",
        "collection_id",
        "issuing_country",
        "document_type",
        "document_number",
        "status",
        unique=True,
    ),
    Index("ix_travel_document_number", "document_number"),
)

"""Screening tables: the stolen and lost travel documents list.

The list is not stored as statements: at ten million rows and more it needs one
narrow row per document, loaded into the in-memory
:class:`~threadline.screening.documents.DocumentIndex` for lookups.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table

from threadline.store.tables import metadata

# One listed document as its source reported it (normalised by validate/parse_document_row).
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

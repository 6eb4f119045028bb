"""Tables of the linkage capability: analyst judgements, trained models, scored records."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text

from threadline.store.tables import metadata

# An analyst's decision on a pair of entities; soft-deleted (never removed) when
# retracted or superseded, so every decision stays attributable.
link_judgement = Table(
    "link_judgement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("left_id", String(255), nullable=False),  # the smaller entity id of the pair
    Column("right_id", String(255), nullable=False),
    Column("judgement", String(16), nullable=False),  # same, different, unsure
    Column("reason", Text, nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("deleted_by", String(100), nullable=True),
    # The agency whose analyst decided (None: made before agencies were recorded). Each
    # agency's judgements shape its own clusters; only that agency may withdraw them.
    Column("agency", String(100), nullable=True),
    Column("country", String(2), nullable=True),
    Index("ix_link_judgement_pair", "left_id", "right_id"),
)

# A trained Splink model: the settings JSON with its estimated parameters.
link_model = Table(
    "link_model",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("settings", JSON, nullable=False),
    Column("records", Integer, nullable=False),  # how many records it was trained on
    Column("trained", String(16), nullable=False),  # "em" or "priors" (too little data)
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("agency", String(100), nullable=True),  # whose runs use it (None: the platform)
    Column("country", String(2), nullable=True),
)

# Which records a run has scored, with a fingerprint of the prepared row: a later
# run scores only records that are new or whose values changed.
link_record = Table(
    "link_record",
    metadata,
    # Each agency links on its own: "" for the platform, else "agency|country".
    Column("producer", String(110), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Column("collection_id", Integer, nullable=False),
    Column("source_id", Text, nullable=False),
    Column("fingerprint", String(40), nullable=False),
    Column("model_id", Integer, nullable=False),
    Column("scored_at", DateTime(timezone=True), nullable=False),
    Index("ix_link_record_collection", "collection_id"),
)

"""Governance tables: agencies, users, credentials, sign-in limits, the audit chain, and the
victim records with the entities tied to them (the shield reads them for every view)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from threadline.store.tables import metadata

agency = Table(
    "agency",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

user_account = Table(
    "user_account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    # The name case-folded (NFKC): "Ana" and "ana" are one user.
    Column("username_key", String(100), nullable=False),
    Column("agency_id", Integer, ForeignKey("agency.id"), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_user_account_username_key", "username_key", unique=True),
)

api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("user_account.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),  # "read", "write"
    Column("roles", JSON, nullable=True),  # a subset of the user's roles; None: all of them
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

web_session = Table(
    "web_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("user_account.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# One-time password reset codes an administrator issues; only their SHA-256 is kept.
password_reset = Table(
    "password_reset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("user_account.id"), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("issued_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

# Failed sign-ins per client address in the current window (shared by every server process).
sign_in_source = Table(
    "sign_in_source",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Index("ix_sign_in_source_window_start", "window_start"),
)

# Append-only, chained by HMAC-SHA256 under a key kept outside the database: each row's
# "hash" is the MAC of its id, its content and the previous row's MAC.
audit_event = Table(
    "audit_event",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user", String(100), nullable=False),
    Column("agency", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("component", String(32), nullable=False),
    Column("channel", String(16), nullable=False),  # cli, api, web, system
    Column("action", String(64), nullable=False),
    Column("target_type", String(32), nullable=True),
    Column("target_id", Text, nullable=True),
    Column("purpose", String(32), nullable=True),
    Column("reference", String(100), nullable=True),
    Column("result_count", Integer, nullable=True),
    Column("outcome", String(16), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_event_at", "at"),
    Index("ix_audit_event_user", "user"),
    Index("ix_audit_event_agency", "agency", "country", "id"),
)

# A possible victim of trafficking, recorded apart from any case. Personal data live only in
# ``personal`` (a JSON object); every read path drops it unless governance allows the actor
# to see it (see threadline.victims for the care workflow on top of these two tables).
victim = Table(
    "victim",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pseudonym", String(32), nullable=False, unique=True),
    Column("owner_agency", String(100), nullable=False),
    Column("owner_country", String(2), nullable=False),
    Column("personal", JSON, nullable=False),  # name, birth date, documents, contact, address
    Column("sex", String(1), nullable=True),  # F, M or U: counted in reports, not identifying
    Column("minor", Boolean, nullable=True),
    Column("nationality", String(2), nullable=True),
    Column("identified_on", Date, nullable=False),
    Column("identified_how", String(32), nullable=False),
    Column("identified_country", String(2), nullable=False),
    Column("identified_place", String(255), nullable=True),  # general area, never an address
    Column("operation", String(100), nullable=True),  # operation code it was identified in
    Column("forms", JSON, nullable=False),
    Column("needs", JSON, nullable=False),
    Column("language", String(16), nullable=True),
    Column("non_punishment", Boolean, nullable=False, default=False),
    Column("compelled_offences", JSON, nullable=False),
    Column("missing_report_id", String(255), nullable=True),
    Column("missing_report_country", String(2), nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # open | closed: a record is closed when care ends or it was opened by mistake, never
    # deleted; the last closure is kept here, every step in victim_status_event (0016).
    Column("status", String(8), nullable=False, default="open", server_default="open"),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("closed_by", String(100), nullable=True),
    Column("closed_reason", Text, nullable=True),  # free text typed by staff
)

# FtM entities (in any collection) that are this person: other analyses pseudonymise them.
victim_entity = Table(
    "victim_entity",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("linked_by", String(100), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("victim_id", "entity_id"),
    Index("ix_victim_entity_entity", "entity_id"),
)

"""Tables of victim care: records, identity links, status steps, consent, referrals, services,
reunification.

Personal data live only in ``victim.personal`` (a JSON object); every read path
in :mod:`threadline.victims` drops it unless governance allows the actor to see it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

# The victim record and its identity links live with governance, which shields every
# entity tied to a record whatever view shows it; victim care keeps everything else.
from threadline.governance.tables import victim as victim
from threadline.governance.tables import victim_entity as victim_entity
from threadline.store.tables import metadata

victim_consent = Table(
    "victim_consent",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="CASCADE"), nullable=False),
    Column("scope", String(64), nullable=False),
    Column("given_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(100), nullable=False),
    Column("note", Text, nullable=True),
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    Column("withdrawn_by", String(100), nullable=True),
)

support_service = Table(
    "support_service",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("country", String(2), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("name", String(255), nullable=False),
    Column("contact", String(255), nullable=True),  # the organisation's own contact point
    Column("languages", JSON, nullable=False),
    Column("note", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("country", "kind", "name"),
)

referral = Table(
    "referral",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("service_id", Integer, ForeignKey("support_service.id"), nullable=True),
    Column("status", String(16), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

referral_event = Table(
    "referral_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("referral_id", Integer, ForeignKey("referral.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", Text, nullable=True),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# Every close and reopen of a record, with who, when and why (migration 0016): the
# record's status timeline, kept as referral_event keeps a referral's.
victim_status_event = Table(
    "victim_status_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(8), nullable=False),  # the status the step led to: open | closed
    Column("reason", Text, nullable=False),  # free text typed by staff: never audited
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# Messages to other countries (e.g. the country that reported a person missing), delivered
# inside Threadline to the addressed agency's users, who acknowledge them (migration 0009).
notification = Table(
    "notification",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("country", String(2), nullable=False),  # the addressed country
    Column("agency", String(100), nullable=True),  # the addressed agency; None: every agency
    Column("kind", String(32), nullable=False),
    Column("subject_ref", String(255), nullable=True),  # e.g. the missing-person report id
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="SET NULL"), nullable=True),
    Column("message", Text, nullable=False),  # never the person's data: checked on writing
    Column("status", String(16), nullable=False),  # pending | acknowledged
    Column("from_agency", String(100), nullable=True),
    Column("from_country", String(2), nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("acknowledged_by", String(100), nullable=True),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
    Index("ix_notification_country_status", "country", "status"),
)

reunification = Table(
    "reunification",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="CASCADE"), nullable=False),
    Column("reunited_on", Date, nullable=False),
    Column("relationship", String(64), nullable=False),  # mother, brother, guardian ...
    Column("with_whom", Text, nullable=True),  # personal data: names of relatives
    Column("country", String(2), nullable=True),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

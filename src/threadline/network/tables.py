"""Tables of the network capability: the persisted graph edges and the build state.

Nodes are not stored: an entity node exists for an actor while the entity has
statements in a collection the actor may see, and a selector, persona or
cluster node exists while a visible edge reaches it. So hidden records never
surface as nodes, and the edge table stays the only thing kept in step.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from threadline.store.tables import metadata

# One row per derived edge. ``owner`` is the entity (or finding key) whose data
# produced the edge: an incremental build deletes and re-derives an owner's edges
# when new statements about it arrive.
network_edge = Table(
    "network_edge",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("source", String(400), nullable=False),  # node key: e:<id>, s:<kind>:<value>, ...
    Column("target", String(400), nullable=False),
    Column("kind", String(32), nullable=False),  # relation, property, selector, same_as, persona
    Column("label", String(64), nullable=False),  # schema or property that says so
    Column("collection_id", Integer, nullable=True),  # None: derived from a global finding
    Column("date", String(32), nullable=True),  # earliest date of the owning entity
    # Edges derived from a finding carry its scope and producing agency (None: the
    # platform); an actor sees such an edge only where they may see the finding.
    Column("scope_id", Integer, nullable=True),
    Column("agency", String(100), nullable=True),
    Column("country", String(2), nullable=True),
    Index("ix_network_edge_owner", "owner"),
    Index("ix_network_edge_source", "source"),
    Index("ix_network_edge_target", "target"),
)

# One row per build: what it covered, so the next incremental build knows where to start.
network_build = Table(
    "network_build",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("full", Boolean, nullable=False),
    Column("statement_watermark", String(64), nullable=True),  # newest first_seen, as stored
    Column("counts", JSON, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)

# Where a user placed a network's nodes on the web page, so the picture stays as they left it.
# Positions only (node key -> x, y): no names or values are kept here.
network_layout = Table(
    "network_layout",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user", String(100), nullable=False),
    Column("network_id", String(64), nullable=False),
    Column("positions", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user", "network_id"),
)

"""The store: collections, ingestion jobs and statement-style entity storage.

SQLite (embedded default) or PostgreSQL by URL, through SQLAlchemy 2 Core with
Alembic migrations. Every property value is a row (a *statement*) carrying its
collection, ingestion job and source record id, so nothing a source said is ever
overwritten and merges stay reversible.
"""

from threadline.store.db import Store, open_store

__all__ = ["Store", "open_store"]

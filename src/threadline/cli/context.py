"""What every command needs: the open store."""

from __future__ import annotations

from threadline.store import Store, open_store


def store() -> Store:
    """The store named by --db / THREADLINE_DB, migrated to the newest schema."""
    return open_store()

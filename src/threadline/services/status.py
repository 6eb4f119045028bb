"""What the store is and how much it holds (no person data): for ``threadline db status``."""

from __future__ import annotations

from typing import Any

from threadline.settings import get_settings
from threadline.store import Store
from threadline.store.db import redact
from threadline.store.statements import count_entities, count_statements


def store_status(store: Store) -> dict[str, Any]:
    """The database (password hidden), backend, schema revision and counts."""
    with store.connect() as conn:
        return {
            "database": redact(get_settings().database_url),
            "backend": store.dialect,
            "revision": store.revision(),
            "entities": count_entities(conn),
            "statements": count_statements(conn),
        }

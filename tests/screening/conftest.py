"""Border screening fixtures: notices (a watchlist), a document list, a hidden watchlist."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.governance import Actor, Purpose, Role
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.screening.sources import clear_cache
from threadline.store import Store
from threadline.store.collections import create_collection

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
NOTICES = (
    "notices/red/2021-11111.json",
    "notices/red/2018-22222.json",
    "notices/yellow/2022-33333.json",
)

OFFICER = Actor(
    user="officer1",
    agency="test-unit",
    country="SE",
    roles=frozenset({Role.BORDER_OFFICER}),
    purpose=Purpose.BORDER_CHECK,
)


def add_collection(store: Store, name: str, **fields: object) -> None:
    values: dict[str, object] = {"owner_agency": "test-unit", "owner_country": "SE", **fields}
    with store.begin() as conn:
        create_collection(conn, build_collection(name, **values))  # type: ignore[arg-type]


@pytest.fixture
def officer() -> Actor:
    """A border officer of the test agency, querying for a border check."""
    return OFFICER


@pytest.fixture
def border_store(store: Store) -> Store:
    """Notices and the document list the test agency sees, plus another agency's watchlist."""
    build_world(store)
    return store


def build_world(store: Store) -> None:
    """Fill a store with the border fixtures."""
    clear_cache()
    add_collection(store, "notices", kind="notices")
    for name in NOTICES:
        ingest_file(store, BORDER / name, "notices")
    add_collection(store, "sltd", kind="travel-documents")
    ingest_file(store, BORDER / "stolen_lost.csv", "sltd")
    add_collection(
        store, "foreign", owner_agency="other-police", owner_country="DE", watchlist=True
    )
    ingest_file(store, BORDER / "opensanctions_red.ftm.jsonl", "foreign")

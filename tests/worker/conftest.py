"""A border world for the worker: two agencies' officers, a yellow notice, a stolen list."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.governance import Actor, Role
from threadline.governance.accounts import create_agency, create_user, get_user
from threadline.governance.actors import Channel
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
PASSWORD = "a long enough password"


def officer(store: Store, name: str) -> Actor:
    with store.connect() as conn:
        user = get_user(conn, name)
    return user.actor(Channel.API).for_purpose("border_check")


@pytest.fixture
def border(store: Store) -> Store:
    """Border Police (SE) and Coast Guard (SE), each with a border officer; a yellow notice
    and a stolen-document list both may see (loaded by the platform: no follow-ups)."""
    from threadline.screening.sources import clear_cache

    clear_cache()
    with store.begin() as conn:
        for agency in ("Border Police", "Coast Guard"):
            create_agency(conn, agency, "SE")
        create_user(conn, "officer-1", "Border Police", frozenset({Role.BORDER_OFFICER}), PASSWORD)
        create_user(conn, "officer-9", "Coast Guard", frozenset({Role.BORDER_OFFICER}), PASSWORD)
        for name, kind in (("notices", "notices"), ("sltd", "travel-documents")):
            made = build_collection(
                name, kind=kind, owner_agency="Border Police", owner_country="SE", sharing="all"
            )
            create_collection(conn, made)
    ingest_file(store, BORDER / "notices" / "yellow" / "2022-33333.json", "notices")
    ingest_file(store, BORDER / "stolen_lost.csv", "sltd")
    return store

"""Sharing enforced on the read paths, audited, and the rights of data subjects."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from threadline.exc import NotFound
from threadline.governance import Actor, Role
from threadline.governance.audit import iter_events, verify
from threadline.governance.rights import erase_person, person_data
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.services.entities import get_entity
from threadline.services.export import export_ftm
from threadline.store import Store
from threadline.store.collections import create_collection

FIXTURES = Path(__file__).parent.parent / "fixtures"
# Person reads need a purpose: both look at the records for a case of their own.
OWNER = Actor("sv", "test-unit", "SE", frozenset({Role.ANALYST})).for_purpose(
    "investigation", "CASE-2026-3"
)
FRENCH = Actor("fr", "OCRTEH", "FR", frozenset({Role.ANALYST})).for_purpose(
    "investigation", "CASE-FR-7"
)


def _load(
    store: Store, sharing: str = "owner", countries: tuple[str, ...] = (), **kw: object
) -> None:
    item = build_collection(
        "cases",
        owner_agency="test-unit",
        owner_country="SE",
        sharing=sharing,
        shared_countries=countries,
        **kw,  # type: ignore[arg-type]
    )
    with store.begin() as conn:
        create_collection(conn, item)
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")


def test_hidden_entity_looks_like_a_missing_one(store: Store) -> None:
    _load(store)
    assert get_entity(store, "se-case-p1", OWNER).entity.get("name") == ["Anna Maria Eriksson"]
    with pytest.raises(NotFound) as hidden:
        get_entity(store, "se-case-p1", FRENCH)
    with pytest.raises(NotFound) as missing:
        get_entity(store, "no-such-id", FRENCH)
    assert str(hidden.value).replace("se-case-p1", "X") == str(missing.value).replace(
        "no-such-id", "X"
    )
    with pytest.raises(NotFound, match="no collection named 'cases'"):
        export_ftm(store, "cases", io.StringIO(), actor=FRENCH)


def test_listed_country_sees_it_and_every_look_is_audited(store: Store) -> None:
    _load(store, sharing="countries", countries=("FR",))
    assert get_entity(store, "se-case-p1", FRENCH).id == "se-case-p1"
    assert export_ftm(store, "cases", io.StringIO(), actor=FRENCH) == 10
    with store.connect() as conn:
        events = [(e.user, e.action, e.target_id, e.outcome) for e in iter_events(conn)]
    assert ("fr", "entity.read", "se-case-p1", "success") in events
    assert ("fr", "collection.export", "cases", "success") in events


def test_expired_record_disappears_from_other_agencies(store: Store) -> None:
    past = datetime.now(UTC) - timedelta(days=6 * 365)
    _load(store, sharing="all", created_at=past, review_at=past + timedelta(days=5 * 365))
    with pytest.raises(NotFound):
        get_entity(store, "se-case-p1", FRENCH)
    assert get_entity(store, "se-case-p1", OWNER).id == "se-case-p1"


def test_person_export_and_erasure_keep_the_chain(store: Store) -> None:
    _load(store)
    data = person_data(store, OWNER, "se-case-p1")
    assert {v["prop"] for v in data["values"]} >= {"name", "birthDate", "phone"}
    with pytest.raises(NotFound):
        erase_person(store, FRENCH, "se-case-p1", "subject asked for erasure")
    counts = erase_person(store, OWNER, "se-case-p1", "subject asked for erasure")
    assert counts["values"] == 6
    with pytest.raises(NotFound):
        get_entity(store, "se-case-p1", OWNER)
    with store.connect() as conn:
        assert verify(conn).ok
        stored = conn.execute(text("SELECT count(*) FROM statement WHERE value LIKE '%Eriksson%'"))
        assert stored.scalar_one() == 0

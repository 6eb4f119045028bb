"""Watchlist index: candidate generation by blocking keys, then explained scoring."""

from __future__ import annotations

from typing import Any

import pytest
from followthemoney import model

from threadline.screening.matching import PersonQuery
from threadline.screening.watchlist import WatchlistIndex, blocking_keys

ENTRIES = [
    ("n-1", "Aleksandr Petrovich Shcherbakov", "1974-08-12", "ru"),
    ("n-2", "Mohammed Abdulhai Salek", "1965", "af"),
    ("n-3", "Christopher H. Smith", "1953", "us"),
    ("n-4", "Innocent Zimurinda", "1972-09-01", "cd"),
    ("n-5", "Ekaterina Sergeyevna Volkova", "1988-02-29", "ua"),
]


def person(entity_id: str, name: str, dob: str, nationality: str) -> Any:
    entity = model.make_entity("Person")
    entity.id = entity_id
    entity.add("name", name)
    entity.add("birthDate", dob)
    entity.add("nationality", nationality)
    return entity


@pytest.fixture(scope="module")
def index() -> WatchlistIndex:
    built = WatchlistIndex()
    for row in ENTRIES:
        built.add(person(*row), collection="notices", notice="red")
    # distractors sharing common parts with the entries above
    for number in range(300):
        built.add(person(f"d-{number}", f"Christopher Smith{number}", "1950", "gb"), "other")
    return built


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (PersonQuery(names=["Щербаков Александр"], birth_date="1974-08-12"), "n-1"),
        (PersonQuery(names=["SALEK, ABDULHAI MUHAMMAD"], birth_date="1965"), "n-2"),
        (PersonQuery(names=["Inocent Zimurinda"]), "n-4"),  # typo
        (PersonQuery(names=["Yekaterina Volkova"], birth_date="1988-02-29"), "n-5"),
    ],
)
def test_screen_finds_the_entry(index: WatchlistIndex, query: PersonQuery, expected: str) -> None:
    hits = index.screen(query)
    assert hits, "no hit"
    top = hits[0]
    assert top.entity_id == expected
    assert top.collection == "notices"
    assert top.notice == "red"
    assert top.decision == "match"
    assert top.explanation[0].feature == "name"


def test_unknown_person_finds_nothing(index: WatchlistIndex) -> None:
    assert index.screen(PersonQuery(names=["Beatriz Okonkwo-Lindqvist"])) == []


def test_limit_and_min_score(index: WatchlistIndex) -> None:
    query = PersonQuery(names=["Christopher Smith"])
    assert len(index.screen(query, limit=2, min_score=0.0)) == 2
    assert all(hit.score >= 0.7 for hit in index.screen(query))


def test_candidates_come_from_the_index_not_a_scan(index: WatchlistIndex) -> None:
    index.candidates = 5
    try:
        numbers = index.candidates_for(index.entries[3].person)
    finally:
        index.candidates = 10
    assert len(numbers) <= 5
    assert numbers[0] == 3


def test_blocking_keys_cover_variants_phonetics_and_pairs(index: WatchlistIndex) -> None:
    keys = blocking_keys(index.entries[1].person)
    assert "k:muhammad" in keys
    assert any(key.startswith("p:") for key in keys)
    assert "b:abdulhai|salek" in keys


def test_nameless_entities_are_skipped() -> None:
    built = WatchlistIndex()
    entity = model.make_entity("Person")
    entity.id = "empty"
    built.add(entity)
    assert len(built) == 0


def test_hit_serialises(index: WatchlistIndex) -> None:
    hit = index.screen(PersonQuery(names=["Innocent Zimurinda"]))[0]
    data = hit.to_dict()
    assert data["entity_id"] == "n-4"
    assert hit.explanation[0].to_dict()["parts"]

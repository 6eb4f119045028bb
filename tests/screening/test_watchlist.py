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
    for number in range(200):
        built.add(person(f"d-{number}", f"Christopher Smith{number}", "1950", "gb"), "other")
    return built


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (PersonQuery(names=["Щербаков Александр"], birth_date="1974-08-12"), "n-1"),
        (PersonQuery(names=["SALEK, ABDULHAI MUHAMMAD"], birth_date="1965"), "n-2"),
        (PersonQuery(names=["Inocent Zimurinda"], birth_date="1972"), "n-4"),  # typo
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


def _namesakes(years: list[int]) -> WatchlistIndex:
    built = WatchlistIndex()
    for number, year in enumerate(years):
        built.add(person(f"s-{number}", "Maria Garcia Lopez", f"{year}-05-17", "es"), "notices")
    return built


def test_the_namesake_born_in_the_queried_year_is_ranked_first() -> None:
    # 40 namesakes, more than the 10 that get the full matcher: blocking must use the year
    built = _namesakes(list(range(1950, 1990)))
    hits = built.screen(PersonQuery(names=["GARCIA LOPEZ MARIA"], birth_date="1987-05-17"))
    assert hits[0].entity_id == "s-37"
    assert hits[0].decision == "match"
    assert "y:garcia|1987" in blocking_keys(built.entries[37].person)


def test_an_entry_added_after_freezing_is_found() -> None:
    built = _namesakes([1960, 1961])
    built.freeze()
    assert built.screen(PersonQuery(names=["Innocent Zimurinda"])) == []
    built.add(person("late", "Innocent Zimurinda", "1972-09-01", "cd"), "notices")
    assert [hit.entity_id for hit in built.screen(PersonQuery(names=["Innocent Zimurinda"]))] == [
        "late"
    ]


def test_long_postings_are_not_read() -> None:
    built = WatchlistIndex(max_posting=5)
    for number in range(6):
        built.add(person(f"c-{number}", f"Christopher Smith{number}x", "1950", "gb"), "other")
    assert built.candidates_for(built.entries[0].person) == [0]  # only its own rare keys count


def test_small_and_large_queries_rank_alike(
    index: WatchlistIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.screening import watchlist

    queries = [entry.person for entry in index.entries[:5]]
    monkeypatch.setattr(watchlist, "_SMALL_QUERY", 10**9)
    by_dict = [index.candidates_for(q, limit=1000) for q in queries]
    monkeypatch.setattr(watchlist, "_SMALL_QUERY", 0)
    by_numpy = [index.candidates_for(q, limit=1000) for q in queries]
    assert by_dict == by_numpy
    assert any(len(found) > 100 for found in by_numpy)

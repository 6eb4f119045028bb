"""Namesakes at the border: a shared name is not enough for a "match".

Two full birth dates that differ beyond a typing slip are two people, a name alone
(with or without a shared nationality) needs a birth date, document number or place of
birth that agrees, and a name many watchlist entries share needs an identifier that agrees.
"""

from __future__ import annotations

from typing import Any

import pytest
from followthemoney import model

from threadline.primitives.dates import parse_partial_date, typing_slip
from threadline.screening.matching import PersonQuery, score_person
from threadline.screening.watchlist import WatchlistIndex


def person(entity_id: str, name: str, born: str | None = None, **props: str) -> Any:
    entity = model.make_entity("Person")
    entity.id = entity_id
    entity.add("name", name)
    if born:
        entity.add("birthDate", born)
    for prop, value in props.items():
        entity.add(prop, value)
    return entity


WANTED = person("red-1", "Dmitri Volkonsky", "1971-11-30", gender="male", nationality="ru")


def caps(result: Any) -> list[str]:
    return [c.detail for c in result.explanation if c.feature == "decision_cap"]


def test_a_namesake_born_years_apart_is_possible_not_match() -> None:
    result = score_person(PersonQuery(names=["VOLKONSKY DMITRI"], birth_date="1975-05-04"), WANTED)
    assert result.decision == "possible", result.to_dict()
    assert caps(result) == [
        "capped at possible: birth dates 1975-05-04 and 1971-11-30 differ beyond a typing error"
    ]


def test_without_the_caps_the_namesake_was_a_match() -> None:
    """What the benchmark's "before" measures: the same score, the old decision."""
    from threadline.screening.matching import prepare_entity, prepare_query, score_prepared

    query = prepare_query(PersonQuery(names=["VOLKONSKY DMITRI"], birth_date="1975-05-04"))
    capped = score_prepared(query, prepare_entity(WANTED))
    uncapped = score_prepared(query, prepare_entity(WANTED), caps=False)
    assert uncapped.decision == "match"
    assert capped.score == uncapped.score
    assert caps(uncapped) == []


@pytest.mark.parametrize(
    ("born", "slip"),
    [
        ("1971-11-20", "one digit differs"),
        ("1981-11-30", "one digit differs"),
        ("1917-11-30", "two digits transposed"),
        ("1971-11-03", "two digits transposed"),
    ],
)
def test_a_typing_slip_in_the_birth_date_still_matches(born: str, slip: str) -> None:
    result = score_person(PersonQuery(names=["Dmitri Volkonsky"], birth_date=born), WANTED)
    assert result.decision == "match", result.to_dict()
    assert caps(result) == []
    left, right = parse_partial_date(born), parse_partial_date("1971-11-30")
    assert left is not None and right is not None
    assert typing_slip(left, right) == slip


def test_day_and_month_swapped_still_matches() -> None:
    wanted = person("red-2", "Dmitri Volkonsky", "1971-04-09", nationality="ru")
    result = score_person(PersonQuery(names=["Dmitri Volkonsky"], birth_date="1971-09-04"), wanted)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize("born", ["1971", "1971-11"])
def test_a_partial_birth_date_agreeing_is_as_before(born: str) -> None:
    result = score_person(PersonQuery(names=["Dmitri Volkonsky"], birth_date=born), WANTED)
    assert result.decision == "match", result.to_dict()
    assert caps(result) == []


def _common_name_list() -> WatchlistIndex:
    """Five red notices on different people called Mohamed Diallo, and one rare name."""
    index = WatchlistIndex()
    for number, (born, country) in enumerate(
        [("1969-02-11", "gn"), ("1975-08-30", "sn"), ("1980-01-05", "ml"),
         ("1984-12-19", "gn"), ("1992-06-07", "fr")]
    ):  # fmt: skip
        entity = person(f"md-{number}", "Mohamed Diallo", born, nationality=country)
        entity.add("passportNumber", f"GN{number}482291")
        index.add(entity, collection="notices", notice="red")
    index.add(person("rare", "Oksana Wierzbicka", "1979", nationality="pl"), "notices", "red")
    index.freeze()
    return index


def test_a_name_alone_is_capped_before_its_commonness_is_asked() -> None:
    hits = _common_name_list().screen(PersonQuery(names=["DIALLO MOHAMED"]), hold=True)
    assert hits and {hit.decision for hit in hits} == {"possible"}
    assert caps(hits[0]) == [
        "capped at possible: only the name agree; no birth date, document number or place "
        "of birth confirms it"
    ]


def test_a_common_name_with_a_birth_year_only_is_capped() -> None:
    hits = _common_name_list().screen(PersonQuery(names=["Mohamed Diallo"], birth_date="1984"))
    assert hits[0].entity_id == "md-3"
    assert hits[0].decision == "possible"
    assert caps(hits[0]) == [
        "capped at possible: common name (5 entries share it) without corroboration"
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (PersonQuery(names=["Mohamed Diallo"], birth_date="1984", nationality="GIN"), "md-3"),
        (PersonQuery(names=["Mohamed Diallo"], document_numbers=["GN2482291"]), "md-2"),
        (PersonQuery(names=["Mohamed Diallo"], birth_date="1975-08-30"), "md-1"),
        (PersonQuery(names=["Mohamed Diallo"], birth_place="Dakar", birth_date="1975"), "md-1"),
    ],
)
def test_a_common_name_with_an_identifier_agreeing_matches(
    query: PersonQuery, expected: str
) -> None:
    index = _common_name_list()
    dakar = person("md-1b", "Mohamed Diallo", "1975", birthPlace="Dakar, Senegal")
    index.add(dakar, collection="notices", notice="red")
    if query.birth_place:
        expected = "md-1b"
    hit = next(hit for hit in index.screen(query) if hit.entity_id == expected)
    assert hit.decision == "match", hit.to_dict()
    assert caps(hit) == []


def test_a_rare_name_with_its_birth_year_needs_nothing_more() -> None:
    hits = _common_name_list().screen(PersonQuery(names=["Oksana Wierzbicka"], birth_date="1979"))
    assert hits[0].decision == "match"
    assert caps(hits[0]) == []


@pytest.mark.parametrize(
    "query",
    [
        PersonQuery(names=["Oksana Wierzbicka"]),
        PersonQuery(names=["Oksana Wierzbicka"], nationality="pl"),
    ],
)
def test_a_rare_name_and_a_nationality_do_not_hold_a_person(query: PersonQuery) -> None:
    """Namesakes share a name culture: at a border check, with no birth date, document or
    place of birth to agree, the officer checks before anyone is held. Screening that holds
    no one (a list against a list, an analyst's query) still decides by the name."""
    (hit,) = _common_name_list().screen(query, hold=True)
    assert hit.decision == "possible", hit.to_dict()
    assert caps(hit)[0].startswith("capped at possible: only the name")
    (hit,) = _common_name_list().screen(query)
    assert (hit.decision, caps(hit)) == ("match", [])


def test_a_document_or_place_of_birth_confirms_a_name_without_a_birth_date() -> None:
    hits = _common_name_list().screen(
        PersonQuery(names=["Mohamed Diallo"], document_numbers=["GN2482291"]), hold=True
    )
    assert (hits[0].entity_id, hits[0].decision) == ("md-2", "match")


def test_an_index_without_caps_decides_by_score_alone() -> None:
    index = _common_name_list()
    index.caps = False
    hits = index.screen(PersonQuery(names=["DIALLO MOHAMED"]))
    assert {hit.decision for hit in hits} == {"match"}
    assert all(caps(hit) == [] for hit in hits)

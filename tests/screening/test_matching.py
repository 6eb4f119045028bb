"""Explained person matching against FollowTheMoney Person entities."""

from __future__ import annotations

from typing import Any

import pytest
from followthemoney import model

from threadline.screening.matching import (
    MATCH_THRESHOLD,
    PersonQuery,
    prepare_entity,
    score_names,
    score_person,
)


def person(**props: Any) -> Any:
    entity = model.make_entity("Person")
    entity.id = "wl-1"
    for prop, value in props.items():
        entity.add(prop, value)
    return entity


WANTED = person(
    name="Aleksandr Petrovich Shcherbakov",
    alias="Alexander Scherbakov",
    birthDate="1974-08-12",
    gender="male",
    nationality="ru",
    passportNumber="7512 345678",
)


def features(result: Any) -> dict[str, float]:
    return {c.feature: c.value for c in result.explanation}


@pytest.mark.parametrize(
    "query",
    [
        PersonQuery(names=["Александр Щербаков"], birth_date="1974-08-12"),
        PersonQuery(first_name="Alexander", last_name="Shcherbakov", birth_date="1974"),
        PersonQuery(names=["SHCHERBAKOV, ALEKSANDR P."], sex="M", birth_date="1974-08-12"),
        PersonQuery(names=["Aleksandr Shcherbakov"], birth_date="12.08.1974", nationality="Russia"),
    ],
)
def test_same_person_written_differently_matches(query: PersonQuery) -> None:
    result = score_person(query, WANTED)
    assert result.decision == "match", result.to_dict()
    assert result.score >= MATCH_THRESHOLD


def test_a_name_sex_and_nationality_alone_are_only_possible_at_a_border() -> None:
    """The score is a match's, but nothing but the name (and nationality) agrees: at a
    border the officer compares the passport's birth date before anyone is held."""
    from threadline.screening.matching import prepare_entity, prepare_query, score_prepared

    query = PersonQuery(names=["SHCHERBAKOV, ALEKSANDR P."], sex="M", nationality="RUS")
    result = score_prepared(prepare_query(query), prepare_entity(WANTED), hold=True)
    assert result.score >= MATCH_THRESHOLD
    assert result.decision == "possible"
    assert features(result)["decision_cap"] == 0.0
    assert score_person(query, WANTED).decision == "match"  # where no one is held


def test_score_is_the_sum_of_the_explanation() -> None:
    result = score_person(PersonQuery(names=["Alexander Shcherbakov"], sex="F"), WANTED)
    total = sum(c.points for c in result.explanation)
    assert result.score == pytest.approx(min(1.0, max(0.0, total)))


def test_explanation_says_how_each_part_matched() -> None:
    result = score_person(PersonQuery(names=["Mukhammad Yusuf Kareemov"]), person(
        name="Mohammed Youssef Karimov"))  # fmt: skip
    name = result.explanation[0]
    kinds = {part["query"]: part["kind"] for part in name.parts}
    assert kinds == {"mukhammad": "variant", "yusuf": "variant", "kareemov": "phonetic"}
    assert result.explanation[0].to_dict()["feature"] == "name"


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        (PersonQuery(names=["Aleksandr Shcherbakov"], birth_date="1990-01-01"), "birth_date"),
        (PersonQuery(names=["Aleksandr Shcherbakov"], sex="female"), "sex"),
        (PersonQuery(names=["Aleksandr Shcherbakov"], nationality="BR"), "nationality"),
    ],
)
def test_disagreement_lowers_the_score(query: PersonQuery, feature: str) -> None:
    baseline = score_person(PersonQuery(names=["Aleksandr Shcherbakov"]), WANTED)
    result = score_person(query, WANTED)
    assert result.score < baseline.score
    assert features(result)[feature] < 0


EXACT = "Aleksandr Petrovich Shcherbakov"


@pytest.mark.parametrize(
    ("birth_date", "decision", "says"),
    [
        ("1974-08-12", "match", "same birth date"),
        ("1975-08-12", "match", "differ by one"),  # a typing error, not another person
        ("1972-08-12", "match", "differ by 2"),
        ("1974-12-08", "match", "day and month swapped"),
        ("1960-08-12", "possible", "differ by 14"),  # a parent, a child or a namesake
        ("1990", "possible", "differ by 16"),
        ("1963-01-01", "possible", "more than 10 years apart"),
    ],
)
def test_birth_years_far_apart_keep_an_exact_name_below_match(
    birth_date: str, decision: str, says: str
) -> None:
    result = score_person(PersonQuery(names=[EXACT], birth_date=birth_date), WANTED)
    assert result.decision == decision
    (date,) = [c for c in result.explanation if c.feature == "birth_date"]
    assert says in date.detail


def test_one_of_several_listed_birth_dates_may_agree() -> None:
    listed = person(name=EXACT, birthDate=["1960-08-12", "1974-08-12"])
    result = score_person(PersonQuery(names=[EXACT], birth_date="1974-08-12"), listed)
    assert result.decision == "match"


def test_document_number_equality_raises_strongly() -> None:
    weak = PersonQuery(names=["A. Shcherbakov"])
    with_doc = PersonQuery(names=["A. Shcherbakov"], document_numbers=["7512345678"])
    assert score_person(weak, WANTED).decision != "match"
    result = score_person(with_doc, WANTED)
    assert result.decision == "match"
    assert features(result)["document_number"] == 1.0


def test_initials_and_missing_middle_name() -> None:
    result = score_person(PersonQuery(names=["A. P. Shcherbakov"], birth_date="1974-08-12"),
                          WANTED)  # fmt: skip
    kinds = {part["kind"] for part in result.explanation[0].parts}
    assert "initial" in kinds
    assert result.decision in {"match", "possible"}


@pytest.mark.parametrize(
    "query",
    [
        PersonQuery(names=["Maria Gonzalez"], birth_date="1974-08-12"),
        PersonQuery(names=["Dmitri Volkov"], sex="M", nationality="RU"),
        PersonQuery(names=["Pyotr Shcherbakov"], birth_date="1990-05-05"),
    ],
)
def test_different_people_do_not_match(query: PersonQuery) -> None:
    assert score_person(query, WANTED).decision == "no_match"


def test_common_names_alone_are_weaker() -> None:
    common = score_person(PersonQuery(names=["Christopher Smith"]),
                          person(name="Christopher H. Smith"))  # fmt: skip
    rare = score_person(PersonQuery(names=["Innocent Zimurinda"]),
                        person(name="Innocent K. Zimurinda"))  # fmt: skip
    assert "name_commonness" in features(common)
    assert common.score < rare.score


def test_entity_query_and_name_parts() -> None:
    query = person(firstName="Aleksandr", lastName="Shcherbakov", birthDate="1974-08")
    assert score_person(query, WANTED).decision == "match"
    prepared = prepare_entity(WANTED)
    assert len(prepared.names) == 2
    assert prepared.documents == frozenset({"7512345678"})


def test_nameless_query_scores_zero() -> None:
    result = score_person(PersonQuery(birth_date="1974-08-12"), WANTED)
    assert result.decision == "no_match"
    assert result.explanation[0].detail == "no name to compare"


@pytest.mark.parametrize(
    ("left", "right", "schema", "decision"),
    [
        ("Acme Trading Ltd", "ACME TRADING LLC", "Company", "match"),
        ("General Motors", "Motors", "Company", "no_match"),  # "general" is no title here
        ("Mukhammad Karimov", "Mohammed Karimov", "Person", "match"),
        ("Mukhammad Karimov", "Rustam Karimov", "Person", "no_match"),
    ],
)
def test_score_names(left: str, right: str, schema: str, decision: str) -> None:
    assert score_names(left, right, schema).decision == decision


def test_unexplained_scoring_gives_the_same_score_and_decision() -> None:
    """The index scores candidates without explanations and explains only its hits."""
    import random

    from threadline.screening.matching import prepare_query, score_prepared, score_value
    from threadline.simulation.namedata import CULTURES

    rng = random.Random(7)

    def pick(options: list[str]) -> str:
        return rng.choice(rng.choice(options).split("|"))

    def make() -> PersonQuery:
        male, _female, surnames = CULTURES[rng.choice(sorted(CULTURES))]
        born = f"{rng.randrange(1960, 1964)}-0{rng.randrange(1, 3)}-1{rng.randrange(2)}"
        return PersonQuery(
            names=[f"{pick(male)} {pick(male)} {pick(surnames)}"],
            birth_date=born if rng.random() < 0.8 else born[:4],
            sex=rng.choice("MF"),
            nationality=rng.choice(("RU", "NG", "PH")),
        )

    queries = [make() for _ in range(40)]
    # each person again without a middle name and with a birth year one off: near matches
    variants = [
        PersonQuery(
            names=[" ".join(q.names[0].split()[::2])],
            birth_date=str(int(str(q.birth_date)[:4]) + 1),
            sex=q.sex,
            nationality=q.nationality,
        )
        for q in queries
    ]
    people = [prepare_query(q) for q in queries + variants]
    seen = set()
    skipped = 0
    for left in people:
        for right in people:
            explained = score_prepared(left, right)
            quick = score_prepared(left, right, explain=False)
            assert quick.score == explained.score
            assert score_value(left, right) == explained.score
            assert score_value(left, right, memo={}) == explained.score
            for floor in (0.5, 0.7, 0.8):
                # a candidate is left uncompared only when it could not have reached the floor
                bounded = score_value(left, right, at_least=floor)
                assert bounded == explained.score or (bounded is None and explained.score < floor)
                skipped += bounded is None
            assert quick.decision == explained.decision
            assert all(c.detail == "" for c in quick.explanation if c.feature != "name_commonness")
            seen.add(explained.decision)
    assert seen == {"match", "possible", "no_match"}
    assert skipped > 0  # the bound does leave some strangers uncompared

"""Person, document and MRZ screening: visibility, purpose, audit, explanations, caching."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from support.mrz import td1, td3
from threadline.governance import AccessDenied, Actor
from threadline.governance.tables import audit_event
from threadline.ingest.runner import ingest_file
from threadline.screening.matching import PersonQuery
from threadline.screening.service import screen_document, screen_mrz, screen_person
from threadline.store import Store

BORDER = Path(__file__).parent.parent / "fixtures" / "border"


def _audit(store: Store) -> list[tuple[str, str | None, str | None, int | None]]:
    with store.connect() as conn:
        rows = conn.execute(
            select(
                audit_event.c.action,
                audit_event.c.purpose,
                audit_event.c.target_id,
                audit_event.c.result_count,
            ).order_by(audit_event.c.id)
        )
        return [tuple(r) for r in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (PersonQuery(names=["Ivan Petrov"], birth_date="1975-03-14"), "interpol-red-2021-11111"),
        (
            PersonQuery(names=["Иван Сергеевич Петров"], birth_date="1975"),
            "interpol-red-2021-11111",
        ),
        (
            PersonQuery(first_name="Anna", last_name="Novakova", birth_date="2009-05"),
            "interpol-yellow-2022-33333",
        ),
        (PersonQuery(names=["MENDES, Carlos"], nationality="PT"), "interpol-red-2018-22222"),
    ],
)
def test_person_found_across_scripts_with_explanation(
    border_store: Store, officer: Actor, query: PersonQuery, expected: str
) -> None:
    result = screen_person(border_store, officer, query)
    best = result.candidates[0]
    assert best.entity_id == expected
    assert best.decision in ("match", "possible")
    assert result.decision == best.decision
    features = {c.feature for c in best.explanation}
    assert "name" in features
    assert abs(sum(c.points for c in best.explanation) - best.score) < 1e-6 or best.score == 1.0


def test_notice_colour_is_reported(border_store: Store, officer: Actor) -> None:
    result = screen_person(border_store, officer, PersonQuery(names=["Anna Novakova"]))
    assert result.to_dict()["candidates"][0]["notice"] == "yellow"


def test_unknown_person_is_no_match(border_store: Store, officer: Actor) -> None:
    result = screen_person(border_store, officer, PersonQuery(names=["Astrid Lindqvist"]))
    assert result.decision == "no_match"
    assert all(h.decision == "no_match" for h in result.candidates)


def test_hidden_watchlist_is_not_used(border_store: Store, officer: Actor) -> None:
    query = PersonQuery(names=["Dmitri Volkov"], birth_date="1969-02-11")
    mine = screen_person(border_store, officer, query)
    assert mine.candidates == []
    assert "foreign" not in mine.sources["watchlists"]  # type: ignore[operator]
    owner = replace(officer, agency="other-police", country="DE")
    theirs = screen_person(border_store, owner, query)
    assert theirs.candidates[0].entity_id == "interpol-red-2019-77777"
    assert theirs.candidates[0].notice == "red"


def test_purpose_is_required_and_the_query_audited(border_store: Store, officer: Actor) -> None:
    with pytest.raises(AccessDenied, match="needs a purpose"):
        screen_person(
            border_store, replace(officer, purpose=None), PersonQuery(names=["Ivan Petrov"])
        )
    assert not [a for a in _audit(border_store) if a[0] == "screening.person"]
    screen_person(border_store, officer, PersonQuery(names=["Ivan Petrov"]))
    assert ("screening.person", "border_check", "Ivan Petrov", 1) in _audit(border_store)


def test_new_job_on_a_watchlist_rebuilds_the_index(border_store: Store, officer: Actor) -> None:
    query = PersonQuery(names=["Lucia Ferreira"], birth_date="1983")
    assert screen_person(border_store, officer, query).candidates == []
    ingest_file(border_store, BORDER / "opensanctions_red.ftm.jsonl", "notices")
    found = screen_person(border_store, officer, query)
    assert found.candidates[0].entity_id == "interpol-red-2016-88888"


@pytest.mark.parametrize(
    ("number", "country", "strength"),
    [
        ("751234567", "RUS", "strong"),
        ("751234567", "RU", "strong"),
        ("75I234567", "RUS", "probable"),  # OCR confusion I/1
        ("751234567", "UKR", "weak"),  # the number is listed under another state
    ],
)
def test_document_screening(
    border_store: Store, officer: Actor, number: str, country: str, strength: str
) -> None:
    result = screen_document(border_store, officer, number, country, expiry="2020-01-01")
    assert result.listed and result.hits[0].strength == strength
    assert result.hits[0].status == "stolen"
    assert result.expiry == {
        "checked": True,
        "expiry_date": "2020-01-01",
        "expired": True,
        "detail": "expired on 2020-01-01",
    }


def test_document_not_listed(border_store: Store, officer: Actor) -> None:
    result = screen_document(border_store, officer, "XX0000000", None)
    assert not result.listed
    assert result.sources["listed_documents"] == 4
    assert ("screening.document", None, "?:XX0000000", 0) in [
        (a, None, t, n) for a, _p, t, n in _audit(border_store)
    ]


def test_mrz_checks_document_and_holder(border_store: Store, officer: Actor) -> None:
    lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    result = screen_mrz(border_store, officer, lines)
    assert result["mrz"]["valid"] is True
    assert result["document"]["listed"] is True
    assert result["document"]["hits"][0]["strength"] == "strong"
    assert result["document"]["expiry"]["expired"] is True
    assert result["holder"]["decision"] == "no_match"
    assert [a[0] for a in _audit(border_store)][-1] == "screening.mrz"
    assert result["document"]["specimen"] is True
    assert result["holder"]["reading"] == "as read"
    assert any("specimen" in w for w in result["mrz"]["warnings"])


def test_mrz_holder_is_screened_on_the_suggested_reading(
    border_store: Store, officer: Actor
) -> None:
    # A digit read into the surname: the zone is invalid and the fix is only suggested,
    # but the holder is still screened on the suggested name (and says so).
    lines = td3(
        "PETR0V<<IVAN",
        state="RUS",
        nationality="RUS",
        number="751234567",
        birth="750314",
        sex="M",
        expiry="300101",
        personal="",
    )
    result = screen_mrz(border_store, officer, lines)
    assert result["mrz"]["valid"] is False
    assert result["mrz"]["fields"]["surname"] == "PETR0V"
    assert result["mrz"]["suggested_fields"]["surname"] == "PETROV"
    assert result["holder"]["reading"] == "suggested"
    assert result["holder"]["decision"] in ("match", "possible")


def test_mrz_without_an_expiry_says_why_it_was_not_checked(
    border_store: Store, officer: Actor
) -> None:
    lines = td1("RUSU<<ANA", state="MDA", nationality="MDA", expiry="<<<<<<")
    result = screen_mrz(border_store, officer, lines)
    assert result["mrz"]["valid"] is True, result["mrz"]["errors"]
    assert result["document"]["expiry"] == {
        "checked": False,
        "reason": "the zone has no expiry date (issuer variant no_expiry_date)",
    }

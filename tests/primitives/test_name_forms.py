"""Names spelled alike that name different people are kept apart, and only those.

A man's and a woman's form of a name (François/Françoise, Michel/Michelle,
Ivanov/Ivanova), a patronymic against a surname (Ivanovna/Ivanova), and short given names
that differ by a letter (Wei/Wen, An/Anh) are different people; spelling variants of one
name in two traditions (Hassan/Hassane, Amin/Amine, Mohamed/Mohammed) and typing slips
are not."""

from __future__ import annotations

import pytest

from threadline.primitives.name_forms import distinct_forms
from threadline.screening.matching import score_names


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("François Dupont", "Françoise Dupont"),
        ("Louis Martin", "Louise Martin"),
        ("Michel Bernard", "Michelle Bernard"),
        ("Jean Moreau", "Jeanne Moreau"),
        ("Dmitri Ivanov", "Dmitri Ivanova"),
        ("Anna Ivanova", "Anna Ivanovna"),
        ("Sergei Petrov", "Sergei Petrovich"),
        ("Jan Kowalski", "Jan Kowalska"),
        ("Wei Zhang", "Wen Zhang"),
        ("Nguyen Van An", "Nguyen Van Anh"),
        # given names the name data knows as two names, a man's and a woman's by their endings
        ("Luis Garcia", "Luisa Garcia"),
        ("Maria Rossi", "Mario Rossi"),
        ("Paolo Bianchi", "Paola Bianchi"),
        ("Giovanni Russo", "Giovanna Russo"),
        ("Alexander Novak", "Alexandra Novak"),
        ("Amit Kumar", "Amita Kumar"),
        ("Μαρία Παππά", "Mario Pappas"),
    ],
)
def test_different_people_spelled_alike_are_not_a_match(left: str, right: str) -> None:
    result = score_names(left, right)
    assert result.decision == "no_match", result.to_dict()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Hassan Diallo", "Hassane Diallo"),
        ("Amin Benali", "Amine Benali"),
        ("Yassin Haddad", "Yassine Haddad"),
        ("Mohamed Diallo", "Mohammed Diallo"),
        ("Daniel Rossi", "Daniele Rossi"),
        ("Arefullaha Ref", "Arefullah Aref"),
        ("Jon Smith", "John Smith"),
        ("Daniela Ortego", "Daniela Ortega"),  # surnames do not inflect: a slip
        ("Maria Garcia", "Marie Garcia"),  # two women's names: left to the spelling
        ("Nikola Petrovic", "Nikolai Petrovic"),  # a man's name ending in -a
        ("Eleni Papadaki", "Elena Papadaki"),  # a Greek woman's name ending in -i
        ("Luisa Garcia", "Luisa Garsia"),
        ("Han Yyu-ro", "Han Yu-ro"),  # a letter typed twice in a short part
        ("Aleksandr Shcherbakov", "Alexander Shcherbakov"),
    ],
)
def test_variants_and_slips_still_match(left: str, right: str) -> None:
    result = score_names(left, right)
    assert result.decision == "match", result.to_dict()


def test_the_reason_is_in_the_explanation() -> None:
    detail = score_names("Anna Ivanova", "Anna Ivanovna").explanation[0].detail
    assert "'ivanovna' is a patronymic, 'ivanova' a surname" in detail
    detail = score_names("Louis Martin", "Louise Martin").explanation[0].detail
    assert "'louis' and 'louise' are a man's and a woman's form of a name" in detail
    detail = score_names("Luis Garcia", "Luisa Garcia").explanation[0].detail
    assert "'luis' and 'luisa' are two names in the name data, a man's and a woman's" in detail


@pytest.mark.parametrize(
    ("left", "right"),
    [("ortego", "ortega"), ("arefullah", "arefullaha"), ("hassan", "hassane"), ("maria", "marie")],
)
def test_no_rule_where_the_languages_have_none(left: str, right: str) -> None:
    assert distinct_forms(left, right) is None

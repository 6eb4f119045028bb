"""Organisation names: legal forms taken out (by rigour's table across jurisdictions), and
two alike names that state other kinds of legal form or other numbers kept below a match."""

from __future__ import annotations

import pytest

from threadline.primitives.org_names import org_difference, org_name
from threadline.screening.matching import score_names


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("OAO Gazprom", "Open Joint Stock Company Gazprom"),
        ("Iskusstvo Krasoty", "Limited Liability Company Iskusstvo Krasoty"),
        ("Stripe LLC", "Stripe Limited Liability Company"),
        ("Общество с ограниченной ответственностью Ромашка", "Romashka LLC"),
    ],
)
def test_a_legal_form_spelled_out_or_abbreviated_is_the_same(left: str, right: str) -> None:
    result = score_names(left, right, "Company")
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("left", "right", "reason"),
    [
        ("Deutsche Bank AG", "Deutsche Bank GmbH", "other kinds of legal form (jsc vs llc)"),
        ("Bowne Global Solutions, Inc.", "Bowne Global Solutions II, Inc.", "none vs ii"),
        ("Management Company 23", "Management Company", "23 vs none"),
    ],
)
def test_other_legal_forms_and_numbers_are_at_most_possible(
    left: str, right: str, reason: str
) -> None:
    result = score_names(left, right, "Company")
    assert result.decision != "match", result.to_dict()
    assert reason in result.explanation[0].detail


def test_initials_are_not_roman_numerals() -> None:
    assert org_difference("LXC Aviation", "L.X.C Aviation", "Company") is None
    assert (
        score_names("Bowne Global Solutions B.V.", "Bowne Global Solutions BV", "Company").decision
        == "match"
    )


def test_vessels_are_not_judged_by_their_numbers() -> None:
    """Sister ships are numbered alike, and lists write a hull number or leave it out."""
    assert org_difference("Snow Storm 1", "Snow Storm 2", "Vessel") is None


def test_a_legal_form_is_taken_only_off_the_ends_of_a_name() -> None:
    """ "AT" and "N.A." are legal forms somewhere; at the head of "AT&T" they are the name."""
    assert [t.text for t in org_name("AT&T Inc.").tokens] == ["at", "t"]
    assert [t.text for t in org_name("N.A.B.C. Company").tokens][:2] == ["n", "a"]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("vanderbilt corp", "van der bilt corp"),  # the name's words run together
        ("SiemensAG", "Siemens AG"),  # the legal form run into the name
        ("Brigade Forty-Four", "Brigade 44"),  # a number in words and in digits
        ("Brigade Forty 4", "Brigade 44"),
        ("3 Percenters", "Three Percenters"),
        ("1st International Bank", "First International Bank"),  # an ordinal
    ],
)
def test_one_name_written_another_way_is_the_same(left: str, right: str) -> None:
    for a, b in ((left, right), (right, left)):
        result = score_names(a, b, "Organization")
        assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Brigade Forty-Four", "Brigade 45"),  # the numbers still tell them apart
        ("First International Bank", "Second International Bank"),
        ("SiemensAG", "Siemens GmbH"),  # other kinds of legal form
        ("Vander Trading", "Vanderbilt Trading"),  # a longer name is not the short one
    ],
)
def test_names_written_another_way_keep_what_tells_them_apart(left: str, right: str) -> None:
    assert score_names(left, right, "Company").decision != "match"

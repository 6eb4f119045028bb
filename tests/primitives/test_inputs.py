"""The validators every interface meets: one line naming the field, never a crash."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.exc import InputError
from threadline.primitives.dates import PartialDate
from threadline.primitives.inputs import (
    country_code,
    full_date,
    image_hash,
    language_code,
    partial_date,
    sex_code,
)

TODAY = date(2026, 6, 15)
FEW = settings(max_examples=80, deadline=None)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: partial_date("dob", "1993-13-45"),
            "dob: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '1993-13-45'",
        ),
        (
            lambda: partial_date("dob", "2009-20"),
            "dob: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '2009-20'",
        ),
        (lambda: partial_date("dob", "2027", past=True, today=TODAY), "dob: 2027 is in the future"),
        (lambda: partial_date("dob", "2026-07", past=True, today=TODAY), "is in the future"),
        (
            lambda: full_date("on", "2026-02-30"),
            "on: not a date in the form YYYY-MM-DD: '2026-02-30'",
        ),
        (
            lambda: full_date("on", "2026-04"),
            "on: not a full date, give the day (YYYY-MM-DD): '2026-04'",
        ),
        (lambda: full_date("on", "2026-04-01T10:00"), "not a date in the form"),
        (lambda: partial_date("dob", "04/05/1990"), "not a date in the form"),  # April or May?
        (lambda: partial_date("dob", "1990-04/05"), "not a date in the form"),
        (lambda: partial_date("dob", "١٩٩٠"), "not a date in the form"),
        (lambda: full_date("on", "2026-06-16", past=True, today=TODAY), "on: 2026-06-16 is in"),
        (lambda: sex_code("sex", "Q"), "sex: unknown sex 'Q' (one of M, F, X, U)"),
        (lambda: sex_code("sex", "Mars"), "unknown sex 'Mars'"),
        (lambda: sex_code("sex", "X", allowed=("F", "M", "U")), "(one of F, M, U)"),
        (
            lambda: country_code("nationality", "Atlantis"),
            "nationality: unknown country 'Atlantis'",
        ),
        (lambda: country_code("nationality", "  "), "nationality: a country is required"),
        (lambda: language_code("languages", "klingon"), "languages: unknown language 'klingon'"),
        (lambda: language_code("language", "xx"), "unknown language 'xx'"),
        (lambda: language_code("language", "und"), "unknown language 'und'"),
        (lambda: image_hash("images[0].phash", "zzzz"), "images[0].phash: 'zzzz' is not an image"),
        (lambda: image_hash("phash", "d1c4a0f0e0c0b0a"), "(16 hex digits)"),
    ],
)
def test_refusals_name_the_field_in_one_line(call: object, message: str) -> None:
    with pytest.raises(InputError) as error:
        call()  # type: ignore[operator]
    assert message in str(error.value) and "\n" not in str(error.value)


def test_what_is_accepted_is_normalised() -> None:
    assert partial_date("dob", "1974") == PartialDate(1974)
    assert partial_date("dob", "1974/8/12") == PartialDate(1974, 8, 12)
    assert partial_date("dob", TODAY, past=True, today=TODAY) == PartialDate(2026, 6, 15)
    assert partial_date("dob", "2026-06", past=True, today=TODAY) == PartialDate(2026, 6)
    assert full_date("on", " 2026-04-01 ") == date(2026, 4, 1)
    assert full_date("on", "20260401") == date(2026, 4, 1)
    assert [sex_code("sex", s) for s in ("m", "Female", " x ", "unknown")] == ["M", "F", "X", "U"]
    assert [country_code("c", c) for c in ("se", "SWE", "Sweden", "Kosovo")] == [
        "SE",
        "SE",
        "SE",
        "XK",
    ]
    assert [language_code("l", c) for c in ("ro", "TL", "lin", "tlh", "pt-BR", "ger")] == [
        "ro",
        "tl",
        "lin",
        "tlh",
        "pt-BR",
        "ger",
    ]
    assert image_hash("phash", " D1C4A0F0E0C0B0A0 ") == "d1c4a0f0e0c0b0a0"


@FEW
@given(st.text(max_size=24))
def test_any_text_is_a_date_or_one_line_refusal(text: str) -> None:
    for check in (full_date, partial_date):
        try:
            found = check("date", text, past=True, today=TODAY)
        except InputError as exc:
            assert str(exc).startswith("date: ") and "\n" not in str(exc)
        else:  # what is accepted reads back the same and is not in the future
            assert check("date", str(found)) == found
            assert str(found) <= TODAY.isoformat()


@FEW
@given(st.dates(min_value=date(1800, 1, 1), max_value=TODAY))
def test_any_past_day_is_accepted_in_every_form(day: date) -> None:
    for text in (day.isoformat(), day.strftime("%Y/%m/%d"), day.strftime("%Y%m%d")):
        assert full_date("on", text, past=True, today=TODAY) == day
        assert partial_date("dob", text, past=True, today=TODAY) == PartialDate(
            day.year, day.month, day.day
        )
    assert partial_date("dob", day.isoformat()[:7], past=True, today=TODAY).month == day.month


@FEW
@given(st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2200, 12, 31)))
def test_a_future_day_is_refused_where_it_cannot_be(day: date) -> None:
    with pytest.raises(InputError, match="is in the future"):
        full_date("identified_on", day.isoformat(), past=True, today=TODAY)
    with pytest.raises(InputError, match="is in the future"):
        partial_date("date_of_birth", day.isoformat(), past=True, today=TODAY)


@FEW
@given(
    st.integers(1800, 2200),
    st.integers(1, 99),
    st.integers(1, 99),
)
def test_impossible_days_are_refused(year: int, month: int, day: int) -> None:
    text = f"{year}-{month:02d}-{day:02d}"
    try:
        real = date(year, month, day)
    except ValueError:
        with pytest.raises(InputError, match="not a date in the form"):
            full_date("on", text)
        with pytest.raises(InputError, match="not a date in the form"):
            partial_date("dob", text)
    else:
        assert full_date("on", text) == real


@FEW
@given(st.integers(1800, 2200), st.one_of(st.none(), st.integers(1, 12)))
def test_a_year_or_month_alone_is_not_a_full_date(year: int, month: int | None) -> None:
    text = f"{year}" if month is None else f"{year}-{month:02d}"
    with pytest.raises(InputError, match="not a full date"):
        full_date("identified_on", text)


@FEW
@given(st.text(max_size=12))
def test_other_values_are_a_code_or_one_line_refusal(text: str) -> None:
    for check in (sex_code, country_code, language_code, image_hash):
        try:
            found = check("field", text)
        except InputError as exc:
            assert str(exc).startswith("field: ") and "\n" not in str(exc)
        else:
            assert check("field", found) == found  # a code stays itself

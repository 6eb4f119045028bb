"""Partial-precision dates: parsing the forms sources use and graded comparison."""

from __future__ import annotations

import pytest

from threadline.primitives.dates import PartialDate, compare_dates, parse_partial_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1974-08-12", PartialDate(1974, 8, 12)),
        ("1974-08", PartialDate(1974, 8)),
        ("1974", PartialDate(1974)),
        ("1974/08/12", PartialDate(1974, 8, 12)),
        ("1958/11/05", PartialDate(1958, 11, 5)),  # INTERPOL notices
        ("12.08.1974", PartialDate(1974, 8, 12)),
        ("19740812", PartialDate(1974, 8, 12)),
        ("1974-08-12T00:00:00", PartialDate(1974, 8, 12)),
    ],
)
def test_parse_partial_date(text: str, expected: PartialDate) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["", "unknown", "1974-13-01", "1974-02-30", "0001", None])
def test_parse_rejects_invalid_dates(text: str | None) -> None:
    assert parse_partial_date(text) is None


def test_precision_and_text_form() -> None:
    assert PartialDate(1974).precision == "year"
    assert str(PartialDate(1974, 8)) == "1974-08"
    assert PartialDate(1974, 8, 2).precision == "day"


@pytest.mark.parametrize(
    ("left", "right", "low", "high", "word"),
    [
        ("1974-08-12", "1974-08-12", 1.0, 1.0, "same birth date"),
        ("1974", "1974-08-12", 0.3, 0.7, "same birth year"),
        ("1974-08", "1974-08-12", 0.5, 0.9, "same birth month"),
        ("1974-08-12", "1974-12-08", 0.3, 0.7, "swapped"),
        ("1974-08-12", "1975-08-12", -0.5, -0.1, "differ by one"),
        ("1974-08-12", "1980-08-12", -1.0, -1.0, "differ by 6"),
        ("1974-08-12", "1974-03-12", -0.8, -0.4, "different month"),
        ("1974-08-12", "1974-08-13", -0.6, -0.2, "different day"),
    ],
)
def test_compare_dates_grades_agreement(
    left: str, right: str, low: float, high: float, word: str
) -> None:
    a, b = parse_partial_date(left), parse_partial_date(right)
    assert a is not None and b is not None
    result = compare_dates(a, b)
    assert low <= result.value <= high
    assert word in result.reason
    assert compare_dates(b, a).value == result.value  # symmetric

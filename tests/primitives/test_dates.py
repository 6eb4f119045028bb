"""Partial-precision dates: parsing the forms sources use and graded comparison."""

from __future__ import annotations

import contextlib

import pytest

from threadline.primitives.dates import PartialDate, compare_dates, parse_partial_date, typing_slip


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


@pytest.mark.parametrize(
    ("left", "right", "slip"),
    [
        ("1985-03-01", "1985-03-07", "one digit differs"),
        ("1985-03-01", "1995-03-01", "one digit differs"),
        ("1985-03-01", "1958-03-01", "two digits transposed"),
        ("1985-03-12", "1985-03-21", "two digits transposed"),
        ("1985-03-12", "1985-12-03", "day and month swapped"),
        ("1985-03-01", "1985-03-01", None),  # the same date
        ("1985-03-01", "1971-11-30", None),  # another person
        ("1985-03-01", "1986-04-01", None),  # two digits, not adjacent
        ("1985-03", "1985-04-01", None),  # not both full dates
    ],
)
def test_typing_slip_names_one_keyboard_error(left: str, right: str, slip: str | None) -> None:
    a, b = parse_partial_date(left), parse_partial_date(right)
    assert a is not None and b is not None
    assert typing_slip(a, b) == slip
    assert typing_slip(b, a) == slip


def test_a_typing_slip_is_graded_as_a_small_disagreement() -> None:
    a, b = parse_partial_date("1985-03-01"), parse_partial_date("1958-03-01")
    assert a is not None and b is not None
    result = compare_dates(a, b)
    assert result.value == pytest.approx(-0.4)
    assert result.reason.startswith(
        "two digits transposed, a typing slip: birth years differ by 27"
    )
    assert result.year_gap == 27


def _slip_by_digits(left: PartialDate, right: PartialDate) -> bool:
    """One slip by definition: one digit of YYYYMMDD differs, two adjacent ones are swapped,
    or day and month are swapped."""
    a = f"{left.year:04d}{left.month:02d}{left.day:02d}"
    b = f"{right.year:04d}{right.month:02d}{right.day:02d}"
    differ = [i for i in range(8) if a[i] != b[i]]
    swapped = left.year == right.year and (left.day, left.month) == (right.month, right.day)
    transposed = (
        len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )  # fmt: skip
    return bool(differ) and (len(differ) == 1 or transposed or swapped)


def test_typing_slip_agrees_with_its_definition_on_many_dates() -> None:
    """Its shortcuts (a year and a day both differing is never one slip) change nothing."""
    import random
    from datetime import date, timedelta

    rng = random.Random(3)
    start = date(1950, 1, 1)
    for _ in range(20_000):
        one = start + timedelta(days=rng.randrange(25_000))
        near = rng.random() < 0.5
        other = one + timedelta(days=rng.randrange(-400, 400)) if near else (
            start + timedelta(days=rng.randrange(25_000)))  # fmt: skip
        if rng.random() < 0.2:  # a digit typed wrong, if it still makes a date
            text = other.strftime("%Y%m%d")
            at = rng.randrange(8)
            text = text[:at] + str(rng.randrange(10)) + text[at + 1 :]
            with contextlib.suppress(ValueError):
                other = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        left = PartialDate(one.year, one.month, one.day)
        right = PartialDate(other.year, other.month, other.day)
        assert (typing_slip(left, right) is not None) == _slip_by_digits(left, right), (
            left, right)  # fmt: skip
    assert typing_slip(PartialDate(1981, 1, 2), PartialDate(1980, 11, 2)) == (
        "two digits transposed")  # across the year and the month  # fmt: skip

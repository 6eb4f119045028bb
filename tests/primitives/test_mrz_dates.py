"""Two-digit MRZ years: the century of a birth and of an expiry, against an injected today."""

from __future__ import annotations

from datetime import date

import pytest

from support.mrz import td1, td3, visa
from threadline.primitives.mrz import parse_mrz

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("expiry", "today", "expected"),
    [
        ("970801", TODAY, "1997-08-01"),  # the visa of the report: long expired, not 2097
        ("970801", date(1995, 6, 1), "1997-08-01"),
        ("970801", date(2070, 1, 1), "2097-08-01"),
        ("260101", TODAY, "2026-01-01"),
        ("361231", TODAY, "2036-12-31"),  # a ten-year document issued today
        ("551231", TODAY, "2055-12-31"),  # 30 years ahead: the longest validity issued
        ("560102", TODAY, "1956-01-02"),  # just beyond 30 years: read as long past
        ("120415", TODAY, "2012-04-15"),
    ],
)
def test_expiry_century_is_windowed_on_the_longest_validity(
    expiry: str, today: date, expected: str
) -> None:
    result = parse_mrz(visa(width=36, expiry=expiry, state="D"), today=today)
    assert result.fields.expiry_date == expected
    assert result.valid, result.errors


def test_expired_visa_is_reported_expired_not_valid_for_seventy_years() -> None:
    result = parse_mrz(visa(width=36, expiry="970801", state="D", nationality="BIH"), today=TODAY)
    (reading,) = [d for d in result.dates if d.field == "expiry_date"]
    assert reading.value == "1997-08-01"
    assert "2097-08-01" in reading.rule and "30 years" in reading.rule


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        ("740812", TODAY, "1974-08-12"),
        ("251231", TODAY, "1925-12-31"),  # 2025-12-31 would be after the expiry (2012)
        ("000229", TODAY, "2000-02-29"),
        ("270101", TODAY, "1927-01-01"),  # 2027 is in the future
    ],
)
def test_birth_is_never_in_the_future_nor_after_the_expiry(
    birth: str, today: date, expected: str
) -> None:
    result = parse_mrz(td3(birth=birth), today=today)
    assert result.fields.date_of_birth == expected


def test_birth_of_a_child_is_this_century_when_the_document_is_current() -> None:
    result = parse_mrz(td3(birth="240305", expiry="290304"), today=TODAY)
    assert result.fields.date_of_birth == "2024-03-05"
    assert result.fields.expiry_date == "2029-03-04"


def test_birth_precedes_the_expiry_of_an_old_document() -> None:
    # Born 1913, document expired 2012: 2013 would be a birth after the expiry.
    result = parse_mrz(td3(birth="130506", expiry="120415"), today=TODAY)
    assert result.fields.date_of_birth == "1913-05-06"
    (reading,) = [d for d in result.dates if d.field == "date_of_birth"]
    assert "2013-05-06" in reading.rule and "expiry" in reading.rule


def test_birth_is_not_after_the_issue_date_when_it_is_known() -> None:
    lines = td3(birth="220101", expiry="310101")
    assert parse_mrz(lines, today=TODAY).fields.date_of_birth == "2022-01-01"
    result = parse_mrz(lines, today=TODAY, issued=date(2021, 1, 1))
    assert result.fields.date_of_birth == "1922-01-01"


def test_birth_window_moves_with_today() -> None:
    lines = td3(birth="740812", expiry="851231")
    assert parse_mrz(lines, today=date(1980, 1, 1)).fields.date_of_birth == "1974-08-12"
    later = td3(birth="740812", expiry="801231")
    assert parse_mrz(later, today=date(2075, 1, 1)).fields.date_of_birth == "2074-08-12"


def test_dates_without_a_plausible_century_are_an_error() -> None:
    # Born 1980; the expiry 700601 is either 1970 (before the birth) or 2070 (44 years ahead).
    lines = td1(birth="801010", expiry="700601", state="PRT", nationality="PRT")
    result = parse_mrz(lines, today=TODAY)
    assert all(result.checks.values())
    assert not result.valid
    assert result.fields.expiry_date is None
    assert any(
        "expiry date 700601" in e and "1970-06-01" in e and "2070-06-01" in e for e in result.errors
    ), result.errors


def test_a_holder_older_than_any_living_person_is_an_error() -> None:
    result = parse_mrz(td3(birth="740812", expiry="740801"), today=TODAY)
    # Expiry 1974-08-01 would put the birth in 1874: no living holder is that old.
    assert not result.valid
    assert any(
        "date of birth 740812" in e and "1974-08-01" in e and "2074-08-01" in e
        for e in result.errors
    ), result.errors


def test_expiry_more_than_ten_years_ahead_is_a_warning() -> None:
    result = parse_mrz(td3(expiry="450101"), today=TODAY)
    assert result.valid and result.fields.expiry_date == "2045-01-01"
    assert any("more than 10 years" in w for w in result.warnings), result.warnings
    within = parse_mrz(td3(expiry="351231"), today=TODAY)
    assert not any("10 years" in w for w in within.warnings), within.warnings


def test_every_date_reading_explains_its_century() -> None:
    result = parse_mrz(td3(), today=TODAY)
    rules = {d.field: d for d in result.dates}
    assert set(rules) == {"date_of_birth", "expiry_date"}
    assert rules["date_of_birth"].read == "740812"
    assert rules["date_of_birth"].value == "1974-08-12"
    assert "2074-08-12" in rules["date_of_birth"].rule
    assert result.reference_date == TODAY
    assert result.to_dict()["dates"][0]["field"] == "date_of_birth"


def test_default_today_is_the_real_date() -> None:
    result = parse_mrz(td3())
    assert result.reference_date == date.today()

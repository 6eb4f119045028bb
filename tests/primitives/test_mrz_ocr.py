"""OCR confusions: corrected only when the composite check digit confirms, otherwise suggested."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.mrz import icao_check, replace_at, td1, td3, visa
from threadline.exc import InputError
from threadline.primitives.mrz import parse_mrz

TODAY = date(2026, 1, 1)


def visa_misread() -> list[str]:
    # The number IK4M7AC3X read with a 1 for its I: 1K4M7AC3X fails its check digit and
    # the one swap that passes (1 -> I at position 1) has no composite to confirm it.
    number = "IK4M7AC3X"
    assert icao_check("1K4M7AC3X") != icao_check(number)
    lines = visa(width=36, state="D", number=number)
    return replace_at(lines, 2, 1, "1")


def test_visa_number_is_not_corrected_without_a_composite() -> None:
    result = parse_mrz(visa_misread(), today=TODAY)
    assert not result.valid
    assert result.corrections == []
    assert result.checks["document_number"] is False
    assert result.fields.document_number == "1K4M7AC3X"
    (suggestion,) = result.suggestions
    assert suggestion.field == "document_number"
    assert (suggestion.read, suggestion.reading) == ("1K4M7AC3X", "IK4M7AC3X")
    assert [(c.line, c.position, c.from_char, c.to_char) for c in suggestion.changes] == [
        (2, 1, "1", "I")
    ]
    assert "composite" in suggestion.reason
    assert result.suggested_fields is not None
    assert result.suggested_fields.document_number == "IK4M7AC3X"


def test_visa_number_with_several_passing_swaps_lists_them_all() -> None:
    # I234567C1 read as 1234567C1: three single swaps happen to pass the check digit.
    lines = replace_at(visa(width=36, state="D", number="I234567C1"), 2, 1, "1")
    result = parse_mrz(lines, today=TODAY)
    assert not result.valid and result.corrections == []
    assert sorted(s.reading for s in result.suggestions) == ["1234S67C1", "1Z34567C1", "I234567C1"]
    assert all("3 readings pass" in s.reason for s in result.suggestions)


def test_passport_number_is_corrected_when_the_composite_confirms() -> None:
    lines = replace_at(td3(), 2, 6, "O")  # L898902C3 read as L8989O2C3
    result = parse_mrz(lines, today=TODAY)
    assert result.valid, result.errors
    assert result.fields.document_number == "L898902C3"
    (correction,) = result.corrections
    assert "composite" in correction.reason
    assert result.suggestions == []


def test_passport_number_with_a_wrong_composite_is_only_suggested() -> None:
    lines = replace_at(td3(), 2, 6, "O")
    lines = replace_at(lines, 2, 44, "7")  # and the composite misread too
    result = parse_mrz(lines, today=TODAY)
    assert not result.valid
    assert result.corrections == []
    assert [s.reading for s in result.suggestions] == ["L898902C3"]


def test_letters_in_dates_are_corrected_when_the_composite_confirms() -> None:
    lines = replace_at(td3(), 2, 16, "O")  # 740812 read as 74O812
    result = parse_mrz(lines, today=TODAY)
    assert result.valid, result.errors
    assert [(c.field, c.from_char, c.to_char) for c in result.corrections] == [
        ("date_of_birth", "O", "0")
    ]
    assert "composite" in result.corrections[0].reason


def test_letters_in_dates_are_suggested_when_the_composite_disagrees() -> None:
    lines = replace_at(td3(), 2, 16, "O")
    lines = replace_at(lines, 2, 44, "3")
    result = parse_mrz(lines, today=TODAY)
    assert not result.valid
    assert result.corrections == []
    assert result.fields.date_of_birth is None
    (suggestion,) = result.suggestions
    assert (suggestion.field, suggestion.read, suggestion.reading) == (
        "date_of_birth",
        "74O812",
        "740812",
    )


def test_letters_in_a_visa_date_are_only_suggested() -> None:
    lines = replace_at(visa(), 2, 15, "O")  # 400907 read as 4O0907
    result = parse_mrz(lines, today=TODAY)
    assert not result.valid
    assert result.corrections == []
    (suggestion,) = result.suggestions
    assert (suggestion.field, suggestion.reading) == ("date_of_birth", "400907")
    assert "composite" in suggestion.reason


@pytest.mark.parametrize(
    ("line", "position", "char", "field", "reading"),
    [
        (1, 8, "1", "name", "ERIKSSON<<ANNA<MARIA"),
        (1, 5, "0", "issuing_country", "UTO"),
        (2, 13, "0", "nationality", "UTO"),
    ],
)
def test_letter_fields_have_no_check_digit_so_fixes_are_suggestions(
    line: int, position: int, char: str, field: str, reading: str
) -> None:
    result = parse_mrz(replace_at(td3(), line, position, char), today=TODAY)
    assert not result.valid
    assert result.corrections == []
    (suggestion,) = result.suggestions
    assert suggestion.field == field and suggestion.reading.rstrip("<") == reading
    assert "no check digit" in suggestion.reason
    assert result.suggested_fields is not None
    assert result.suggested_fields.surname == "ERIKSSON"
    assert result.suggested_fields.nationality == "UTO"


def test_td1_composite_confirms_dates_and_its_own_digit() -> None:
    lines = td1(
        "SMITH<<JOHN<ALBERT",
        code="ID",
        state="CHE",
        number="A1234567",
        birth="751025",
        sex="M",
        expiry="200901",
        nationality="CHE",
    )
    misread = replace_at(lines, 2, 2, "S")  # 751025 -> 7S1025
    misread = replace_at(misread, 2, 30, "B")  # composite 8 -> B
    assert lines[1][29] == "8"
    result = parse_mrz(misread, today=TODAY)
    assert result.valid, result.errors
    assert {(c.field, c.to_char) for c in result.corrections} == {
        ("date_of_birth", "5"),
        ("composite_check", "8"),
    }


def test_ambiguous_passport_number_is_reported_not_guessed() -> None:
    # Check digit 3 lets two single swaps pass; the composite cannot tell them apart
    # when it is misread too, so both are offered.
    lines = replace_at(visa(width=36), 2, 10, "3")
    result = parse_mrz(lines, today=TODAY)
    assert result.corrections == []
    assert sorted(s.reading for s in result.suggestions) == ["L898B901C", "LB988901C"]
    assert result.suggested_fields is None  # no single reading to screen on


CONFUSABLE_CHARS = "O0I1B8S5Z2G6"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["MRVA", "MRVB", "TD3", "TD1"]), st.data())
def test_no_reading_is_applied_without_a_composite_and_valid_means_no_suggestion(
    kind: str, data: st.DataObject
) -> None:
    lines = {
        "MRVA": visa(),
        "MRVB": visa(width=36),
        "TD3": td3(),
        "TD1": td1(),
    }[kind]
    for _ in range(data.draw(st.integers(1, 3))):
        line = data.draw(st.integers(0, len(lines) - 1))
        position = data.draw(st.integers(0, len(lines[line]) - 1))
        char = data.draw(st.sampled_from(CONFUSABLE_CHARS))
        lines = list(lines)
        lines[line] = lines[line][:position] + char + lines[line][position + 1 :]
    try:
        result = parse_mrz(lines, today=TODAY)
    except InputError:
        return
    if result.type in ("MRVA", "MRVB"):
        assert result.corrections == []
    if result.corrections:
        assert result.checks.get("composite") is True
    if result.valid:
        assert result.suggestions == []

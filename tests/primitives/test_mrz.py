"""ICAO Doc 9303 MRZ parsing: the ICAO specimens, every check digit, OCR repair, bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.exc import InputError
from threadline.primitives.mrz import check_digit, detect_type, parse_mrz

TODAY = date(2026, 1, 1)

SPECIMENS: dict[str, list[str]] = {
    "TD3": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
    "TD1": [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ],
    "TD2": [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ],
    "MRVA": [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ],
    "MRVB": [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<",
    ],
}

EXPECTED_CHECKS = {
    "TD3": {"document_number", "date_of_birth", "expiry_date", "personal_number", "composite"},
    "TD1": {"document_number", "date_of_birth", "expiry_date", "composite"},
    "TD2": {"document_number", "date_of_birth", "expiry_date", "composite"},
    "MRVA": {"document_number", "date_of_birth", "expiry_date"},
    "MRVB": {"document_number", "date_of_birth", "expiry_date"},
}


def mutate(lines: list[str], line: int, position: int, char: str) -> list[str]:
    """Replace the character at 1-based (line, position)."""
    out = list(lines)
    text = out[line - 1]
    assert text[position - 1] != char
    out[line - 1] = text[: position - 1] + char + text[position:]
    return out


@pytest.mark.parametrize("kind", sorted(SPECIMENS))
def test_specimens_are_valid(kind: str) -> None:
    result = parse_mrz(SPECIMENS[kind], today=TODAY)
    assert result.type == kind
    assert result.valid, result.errors
    assert set(result.checks) == EXPECTED_CHECKS[kind]
    assert all(result.checks.values())
    assert result.corrections == []
    fields = result.fields
    assert (fields.surname, fields.given_names, fields.sex) == ("ERIKSSON", "ANNA MARIA", "F")
    assert fields.issuing_country == "UTO"


def test_td3_specimen_fields() -> None:
    data = parse_mrz(SPECIMENS["TD3"], today=TODAY).to_dict()
    assert {key: data[key] for key in ("type", "valid", "checks", "corrections", "errors")} == {
        "type": "TD3",
        "valid": True,
        "checks": dict.fromkeys(EXPECTED_CHECKS["TD3"], True),
        "corrections": [],
        "errors": [],
    }
    assert data["fields"] == {
        "document_code": "P",
        "issuing_country": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "date_of_birth": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "optional_data": "ZE184226B",
        "issue_date": None,
    }
    assert data["specimen"] is True


def test_visa_fields_and_centuries() -> None:
    fields = parse_mrz(SPECIMENS["MRVA"], today=TODAY).fields
    assert fields.document_number == "L8988901C"
    assert fields.nationality == "XXX"
    assert fields.date_of_birth == "1940-09-07"
    assert fields.expiry_date == "1996-12-10"  # 2096 would be more than 30 years ahead
    assert fields.optional_data == "6ZE184226B"


@pytest.mark.parametrize(("data", "digit"), [("L898902C3", 6), ("740812", 2), ("120415", 9)])
def test_check_digit_rule(data: str, digit: int) -> None:
    assert check_digit(data) == digit


# (type, line, position, replacement, check that must fail). Replacements are
# characters that no OCR confusion maps back, so the failure must be reported.
MUTATIONS = [
    ("TD3", 2, 10, "7", "document_number"),  # check digit
    ("TD3", 2, 1, "K", "document_number"),  # data
    ("TD3", 2, 20, "3", "date_of_birth"),
    ("TD3", 2, 17, "7", "date_of_birth"),
    ("TD3", 2, 28, "1", "expiry_date"),
    ("TD3", 2, 23, "3", "expiry_date"),
    ("TD3", 2, 43, "4", "personal_number"),
    ("TD3", 2, 31, "K", "personal_number"),
    ("TD3", 2, 44, "3", "composite"),
    ("TD1", 1, 15, "3", "document_number"),
    ("TD1", 1, 6, "F", "document_number"),
    ("TD1", 2, 7, "7", "date_of_birth"),
    ("TD1", 2, 15, "4", "expiry_date"),
    ("TD1", 2, 30, "7", "composite"),
    ("TD1", 1, 20, "C", "composite"),  # optional data is covered by the composite only
    ("TD2", 2, 10, "3", "document_number"),
    ("TD2", 2, 20, "7", "date_of_birth"),
    ("TD2", 2, 28, "4", "expiry_date"),
    ("TD2", 2, 36, "7", "composite"),
    ("TD2", 2, 30, "C", "composite"),
    ("MRVA", 2, 10, "3", "document_number"),
    ("MRVA", 2, 20, "7", "date_of_birth"),
    ("MRVA", 2, 28, "4", "expiry_date"),
    ("MRVB", 2, 10, "3", "document_number"),
    ("MRVB", 2, 20, "7", "date_of_birth"),
    ("MRVB", 2, 28, "4", "expiry_date"),
]


@pytest.mark.parametrize(("kind", "line", "position", "char", "check"), MUTATIONS)
def test_every_check_digit_failure_is_detected(
    kind: str, line: int, position: int, char: str, check: str
) -> None:
    result = parse_mrz(mutate(SPECIMENS[kind], line, position, char), today=TODAY)
    assert result.corrections == []
    assert result.checks[check] is False
    assert not result.valid
    assert any(check.replace("_", " ") in error for error in result.errors)


def test_ocr_letters_in_digit_fields_are_corrected_and_reported() -> None:
    lines = mutate(SPECIMENS["TD3"], 2, 16, "O")  # 740812 read as 74O812
    lines = mutate(lines, 2, 44, "O")  # composite check digit 0 read as O
    result = parse_mrz(lines, today=TODAY)
    assert result.valid, result.errors
    assert [c.to_dict() for c in result.corrections] == [
        {
            "line": 2,
            "position": 16,
            "from": "O",
            "to": "0",
            "field": "date_of_birth",
            "reason": "digit expected in date_of_birth; the composite check digit confirms it",
        },
        {
            "line": 2,
            "position": 44,
            "from": "O",
            "to": "0",
            "field": "composite_check",
            "reason": "digit expected in composite_check; the composite check digit confirms it",
        },
    ]


def test_document_number_is_corrected_only_when_the_check_digit_then_passes() -> None:
    misread = mutate(SPECIMENS["TD3"], 2, 6, "O")  # L898902C3 read as L8989O2C3
    result = parse_mrz(misread, today=TODAY)
    assert result.valid
    assert result.fields.document_number == "L898902C3"
    (correction,) = result.corrections
    assert (correction.line, correction.position, correction.field) == (2, 6, "document_number")
    assert "passes its check digit" in correction.reason
    assert "composite" in correction.reason


def test_wrong_check_digit_is_not_explained_away_by_a_confusable() -> None:
    # Check digit 7 read as 0: no single O/0, I/1, B/8, S/5, Z/2, G/6 swap in
    # D23145890 gives 0, so the failure must stand.
    lines = mutate(SPECIMENS["TD2"], 2, 10, "0")
    result = parse_mrz(lines, today=TODAY)
    assert result.corrections == []
    assert not result.checks["document_number"]
    assert not result.valid


def test_document_number_with_confusables_is_left_alone_when_checks_pass() -> None:
    # 'B' and 'S' in a number are legitimate; nothing fails, so nothing changes.
    result = parse_mrz(SPECIMENS["TD3"], today=TODAY)
    assert result.fields.optional_data == "ZE184226B"
    assert result.corrections == []


def test_lower_case_and_whitespace_are_tolerated() -> None:
    lines = [f"  {line.lower()}\t" for line in SPECIMENS["TD2"]]
    result = parse_mrz(lines, today=TODAY)
    assert result.valid and result.type == "TD2"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["L898902C36UTO7408122F1204159ZE184226B<<<<<10"], "not a machine readable zone"),
        (["hello", "world"], "not a machine readable zone"),
        ([], "no lines"),
        ([SPECIMENS["TD3"][0], SPECIMENS["TD3"][1][:-1]], "43 characters instead of 44"),
        ([SPECIMENS["TD1"][0] + "<<", *SPECIMENS["TD1"][1:]], "32 characters instead of 30"),
        ([SPECIMENS["TD3"][0], SPECIMENS["TD3"][1].replace("<", "«", 1)], "position 38"),
    ],
)
def test_bad_input_raises_input_error(lines: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_mrz(lines)


def test_detect_type() -> None:
    assert detect_type(SPECIMENS["MRVB"]) == "MRVB"
    assert detect_type(SPECIMENS["TD3"]) == "TD3"
    with pytest.raises(InputError):
        detect_type(["P<UTO", "L898"])


def test_invalid_calendar_date_and_unknown_country_are_reported() -> None:
    lines = [
        "P<QQQERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7413322F1204159ZE184226B<<<<<10",
    ]
    line2 = lines[1][:19] + str(check_digit("741332")) + lines[1][20:]
    composite = check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    lines[1] = line2[:43] + str(composite)
    result = parse_mrz(lines, today=TODAY)
    assert all(result.checks.values())
    assert not result.valid
    assert result.fields.date_of_birth is None
    assert "date of birth 741332 is not a calendar date" in result.errors
    assert any("'QQQ'" in error for error in result.errors)


def test_birth_century_never_in_the_future() -> None:
    lines = list(SPECIMENS["TD3"])
    assert parse_mrz(lines, today=date(2026, 1, 1)).fields.date_of_birth == "1974-08-12"
    result = parse_mrz(lines, today=date(2075, 1, 1))
    # 2074 is not in the future in 2075, but it would be after the expiry (2012).
    assert result.fields.date_of_birth == "1974-08-12"


def test_empty_personal_number_may_have_a_filler_check_digit() -> None:
    line2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<"
    composite = check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    result = parse_mrz([SPECIMENS["TD3"][0], line2[:43] + str(composite)], today=TODAY)
    assert result.checks["personal_number"] and result.valid
    assert result.fields.optional_data == ""


def test_td1_long_document_number_continues_in_optional_data() -> None:
    number = "D23145890123"
    line1 = f"I<UTO{number[:9]}<{number[9:]}{check_digit(number)}".ljust(30, "<")
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    result = parse_mrz([line1, line2 + str(composite), SPECIMENS["TD1"][2]], today=TODAY)
    assert result.valid, result.errors
    assert result.fields.document_number == number
    assert result.fields.optional_data == ""


def test_sex_filler_is_unspecified() -> None:
    line2 = SPECIMENS["MRVB"][1]
    result = parse_mrz([SPECIMENS["MRVB"][0], line2[:20] + "<" + line2[21:]], today=TODAY)
    assert result.fields.sex == "X"
    assert result.valid


MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<OISBZG"


@st.composite
def mrz_shaped(draw: st.DrawFn) -> list[str]:
    count, length = draw(st.sampled_from([(3, 30), (2, 36), (2, 44), (2, 35), (3, 31), (1, 44)]))
    lines = []
    for _ in range(count):
        jitter = draw(st.integers(-2, 2))
        alphabet = st.sampled_from(MRZ_CHARS) | st.sampled_from(" «-abc")
        lines.append(draw(st.text(alphabet, min_size=length + jitter, max_size=length + jitter)))
    return lines


@settings(max_examples=300, deadline=None)
@given(mrz_shaped())
def test_fuzz_never_crashes(lines: list[str]) -> None:
    try:
        result = parse_mrz(lines, today=TODAY)
    except InputError as error:
        assert str(error)
        return
    data = result.to_dict()
    assert data["valid"] == (all(result.checks.values()) and not result.errors)
    assert {"type", "valid", "checks", "fields", "corrections", "errors"} <= set(data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(SPECIMENS)), st.data())
def test_fuzz_single_substitutions_of_specimens(kind: str, data: st.DataObject) -> None:
    lines = list(SPECIMENS[kind])
    line = data.draw(st.integers(0, len(lines) - 1))
    position = data.draw(st.integers(0, len(lines[line]) - 1))
    char = data.draw(st.sampled_from(MRZ_CHARS))
    lines[line] = lines[line][:position] + char + lines[line][position + 1 :]
    result = parse_mrz(lines, today=TODAY)
    # A substitution may turn a visa into a passport (first letter) but not change the shape.
    assert len(result.lines) == len(lines)
    assert json.loads(json.dumps(result.to_dict()))["type"] == result.type


def test_ambiguous_document_number_is_reported_not_guessed() -> None:
    # With check digit 3, both L898B901C and LB988901C would pass: no guess is made.
    lines = mutate(SPECIMENS["MRVB"], 2, 10, "3")
    result = parse_mrz(lines, today=TODAY)
    assert result.corrections == []
    assert result.fields.document_number == "L8988901C"
    assert any("2 OCR readings would pass (L898B901C, LB988901C)" in e for e in result.errors)

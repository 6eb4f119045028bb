"""Issuer variants real documents follow: accepted with a warning naming them, never silently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from support.mrz import french_cni, icao_check, td1, td2, td3
from threadline.primitives.mrz import parse_mrz
from threadline.primitives.mrz.variants import VARIANT_CODES

TODAY = date(2026, 1, 1)


def _codes(lines: list[str]) -> list[str]:
    return [v.code for v in parse_mrz(lines, today=TODAY).variants]


def belgian_card(state: str = "BEL") -> list[str]:
    # A twelve-character number whose check digit is computed over the filler at
    # position 15 as well, as on some Belgian identity cards.
    number = "000590240601"
    over_filler = icao_check(number[:9] + "<" + number[9:])
    assert over_filler != icao_check(number)
    field = f"{number[:9]}<{number[9:]}{over_filler}"
    return td1(
        "REINARTZ<<ULRIKE<KATIA<E",
        code="ID",
        state=state,
        number_field=field,
        birth="851201",
        expiry="311104",
        nationality=state,
        optional2="85120100200",
    )


def test_belgian_check_digit_over_the_filler_is_accepted_with_a_warning() -> None:
    result = parse_mrz(belgian_card(), today=TODAY)
    assert result.valid, result.errors
    assert result.checks["document_number"] is True
    assert result.fields.document_number == "000590240601"
    (variant,) = [v for v in result.variants if v.code == "check_digit_over_filler"]
    assert "Belgian" in variant.detail and "000590240<601" in variant.detail
    assert any("000590240<601" in w for w in result.warnings)
    (check,) = [c for c in result.check_digits if c.check == "document_number"]
    assert check.passed and check.rule == "check_digit_over_filler"
    assert check.data == "000590240<601"


def test_the_belgian_variant_is_not_accepted_for_another_issuer() -> None:
    result = parse_mrz(belgian_card("NLD"), today=TODAY)
    assert not result.valid
    assert result.checks["document_number"] is False
    assert "check_digit_over_filler" not in [v.code for v in result.variants]
    assert any("over the filler" in e and "Belgian" in e for e in result.errors), result.errors


def test_belgian_card_with_the_icao_rule_is_plain_icao() -> None:
    lines = td1(
        "SPECIMEN<<SPECIMEN",
        code="ID",
        state="BEL",
        number_field="600001795<0152",
        birth="130101",
        expiry="311120",
        nationality="BEL",
        optional2="13010198739",
    )
    result = parse_mrz(lines, today=TODAY)
    assert result.valid, result.errors
    assert _codes(lines) == ["long_document_number"]


def td2_long_number() -> list[str]:
    # ICAO 9303 Part 6: the number continues in the optional data, then its check digit.
    line1, line2 = td2(number="D23145890", optional="7349")
    body = line2[:9] + "<" + line2[10:35]
    return [line1, body + icao_check(body[0:10] + body[13:20] + body[21:35])]


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (td1(number_field="D23145890<7349"), "line 1 positions 16-18, check digit at 19"),
        (td2_long_number(), "line 2 positions 29-31, check digit at 32"),
    ],
)
def test_icao_long_document_number_is_named(lines: list[str], where: str) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result.valid, result.errors
    assert result.fields.document_number == "D23145890734"
    assert result.fields.optional_data == ""
    (variant,) = result.variants
    assert variant.code == "long_document_number"
    assert "ICAO 9303" in variant.detail and where in variant.detail, variant.detail


def test_no_expiry_date_is_accepted_with_a_warning() -> None:
    result = parse_mrz(td1(expiry="<<<<<<", state="MDA", nationality="MDA"), today=TODAY)
    assert result.valid, result.errors
    assert result.fields.expiry_date is None
    assert [v.code for v in result.variants] == ["no_expiry_date"]
    assert any("no expiry date" in w for w in result.warnings)


def test_partly_unknown_birth_date_keeps_its_precision() -> None:
    result = parse_mrz(td3(birth="7408<<"), today=TODAY)
    assert result.valid, result.errors
    assert result.fields.date_of_birth == "1974-08"
    assert [v.code for v in result.variants] == ["birth_date_partly_unknown"]
    unknown = parse_mrz(td3(birth="<<<<<<"), today=TODAY)
    assert unknown.valid and unknown.fields.date_of_birth is None


def test_french_identity_card_of_the_1988_model() -> None:
    result = parse_mrz(french_cni(), today=TODAY)
    assert result.valid, result.errors
    assert result.type == "TD2"
    assert [v.code for v in result.variants] == ["fra_cni_1988"]
    fields = result.fields
    assert (fields.surname, fields.given_names) == ("MARTIN", "CLAIRE ANNE")
    assert fields.document_number == "090675K01234"
    assert fields.issue_date == "2009-06"
    assert fields.expiry_date is None
    assert (fields.issuing_country, fields.nationality) == ("FRA", "FRA")
    assert fields.date_of_birth == "1985-03-15"
    assert fields.optional_data == "750123"
    assert set(result.checks) == {"document_number", "date_of_birth", "composite"}
    assert any("issued 2009-06" in w and "15 years" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("birth", "issued", "validity"),
    [
        ("850315", "1706", "valid 15 years, until about 2032-06"),  # adult, after 2004
        ("000101", "0906", "valid 10 years, until about 2019-06"),  # a minor when issued
        ("650101", "9706", "valid 10 years, until about 2007-06"),  # issued before 2004
    ],
)
def test_french_card_validity_follows_the_holder_and_the_issue(
    birth: str, issued: str, validity: str
) -> None:
    result = parse_mrz(french_cni(birth=birth, issued=issued), today=TODAY)
    (variant,) = result.variants
    assert validity in variant.detail, variant.detail


def test_french_card_birth_is_before_its_issue() -> None:
    result = parse_mrz(french_cni(birth="120101", issued="0906"), today=TODAY)
    assert result.fields.date_of_birth == "1912-01-01"


def test_french_card_with_a_wrong_composite_is_invalid() -> None:
    lines = french_cni()
    broken = [lines[0], lines[1][:-1] + str((int(lines[1][-1]) + 1) % 10)]
    result = parse_mrz(broken, today=TODAY)
    assert not result.valid and result.checks["composite"] is False


def test_an_icao_td2_from_france_is_not_taken_for_the_old_card() -> None:
    lines = td2("DUPONT<<MARIE", code="ID", state="FRA", nationality="FRA", expiry="300101")
    result = parse_mrz(lines, today=TODAY)
    assert result.valid and result.variants == []


DOCS = Path(__file__).parents[2] / "docs" / "screening.md"


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_every_variant_is_documented(code: str) -> None:
    assert f"`{code}`" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "lines",
    [
        belgian_card(),
        td1(expiry="<<<<<<", state="MDA", nationality="MDA"),
        td3(birth="74<<<<"),
        td3(birth="<<<<<<"),
        french_cni(),
        td2_long_number(),
    ],
)
def test_variants_named_are_the_documented_ones(lines: list[str]) -> None:
    codes = {v.code for v in parse_mrz(lines, today=TODAY).variants}
    assert codes and codes <= set(VARIANT_CODES)

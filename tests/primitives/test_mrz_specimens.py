"""Specimen documents are parsed and named as specimens; real states' codes are not specimens."""

from __future__ import annotations

from datetime import date

import pytest

from support.mrz import td1, td3, visa
from threadline.primitives.mrz import parse_mrz

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (td3(), "UTO"),  # ICAO's specimen state on both codes
        (td3(state="NLD", nationality="UTO"), "nationality UTO"),
        (visa(state="FRA", nationality="UTO", name="SMITH<<JOHN"), "nationality UTO"),
        (td1("SPECIMEN<<SVEN", state="SWE", nationality="SWE"), "SPECIMEN"),
        (td3("DE<BRUIJN<<WILLEKE", state="NLD", nationality="NLD", number="SPECI2014"), "SPECI"),
    ],
)
def test_specimens_are_reported_and_still_parsed(lines: list[str], reason: str) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result.specimen is True
    assert result.valid, result.errors  # a specimen follows ICAO 9303; it is no real document
    assert any("specimen" in w and reason in w for w in result.warnings), result.warnings
    assert result.fields.surname
    assert result.to_dict()["specimen"] is True


@pytest.mark.parametrize(
    "lines",
    [
        td3("MUSTERMANN<<ERIKA", state="D", nationality="D"),  # Germany is D<<, a real state
        td3("SMITH<<JOHN", state="GBR", nationality="GBR"),
        td3("SPECIMENA<<JOHN", state="GBR", nationality="GBR"),  # a word, not the marker
        td3("SMITH<<JOHN", state="NLD", nationality="NLD", number="SPE123456"),
        td3("SMITH<<JOHN", state="BEL", nationality="BEL", number="SPECI2014"),
    ],
)
def test_real_documents_are_not_specimens(lines: list[str]) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result.specimen is False
    assert not any("specimen" in w for w in result.warnings), result.warnings


def test_germany_code_is_read_as_germany() -> None:
    result = parse_mrz(td3("MUSTERMANN<<ERIKA", state="D", nationality="D"), today=TODAY)
    assert result.valid, result.errors
    assert (result.fields.issuing_country, result.fields.nationality) == ("D", "D")

"""Stolen and lost documents index: row checks, exact, OCR-variant and cross-country hits."""

from __future__ import annotations

from datetime import date

import pytest

from threadline.exc import InputError
from threadline.primitives.travel_documents import (
    RowRejection,
    normalise_number,
    ocr_key,
    validate_document_row,
)
from threadline.screening.documents import DocumentIndex

TODAY = date(2026, 1, 1)

LIST_ROWS = [
    ("UTO", "passport", "L898902C3", "stolen", "2024-03-01", "NCB Utopia"),
    ("DEU", "id_card", "T22000129", "lost", "2023-11-20", "BKA"),
    ("FR", "passport", "12 AB 34567", "revoked", "2022-06-30", "NCB Paris"),
    ("Germany", "P", "C01X00T47", "stolen_blank", "2021-01-15", "BKA"),
    ("NGA", "passport", "A50071234", "stolen", "2025-05-05", "NCB Abuja"),
]


@pytest.fixture(scope="module")
def index() -> DocumentIndex:
    return DocumentIndex.build(LIST_ROWS, today=TODAY)


def test_exact_hit_with_same_country_is_strong(index: DocumentIndex) -> None:
    (hit,) = index.lookup("L898902C3", "UTO")
    assert (hit.match, hit.country, hit.strength) == ("exact", "same", "strong")
    assert (hit.row, hit.status, hit.reporting_agency) == (1, "stolen", "NCB Utopia")
    assert hit.reported_on == date(2024, 3, 1)
    assert [r.code for r in hit.reasons] == ["number_exact", "same_issuing_country"]


@pytest.mark.parametrize("number", ["l898902c3", "L898 902-C3", "L898902C3<<<", " L898902C3 "])
def test_numbers_are_normalised(index: DocumentIndex, number: str) -> None:
    (hit,) = index.lookup(number, "UTO")
    assert hit.match == "exact"


def test_ocr_variant_is_a_fuzzy_hit_with_its_differences(index: DocumentIndex) -> None:
    (hit,) = index.lookup("L8989O2C3", "UTO")
    assert (hit.match, hit.strength) == ("ocr_variant", "probable")
    assert hit.differences == ((6, "O", "0"),)
    assert "O/0 at position 6" in hit.reasons[0].detail


def test_listed_i_and_o_are_found_from_digits(index: DocumentIndex) -> None:
    (hit,) = index.lookup("C01X0OT47", "DEU")  # listed C01X00T47; here an O for a 0
    assert hit.match == "ocr_variant" and hit.status == "stolen_blank"
    assert hit.issuing_country == "DEU" and hit.document_type == "passport"


def test_other_issuing_country_is_a_weaker_hit(index: DocumentIndex) -> None:
    (hit,) = index.lookup("A50071234", "GHA")
    assert (hit.country, hit.strength) == ("other", "weak")
    assert hit.reasons[1].code == "other_issuing_country"
    assert "listed under NGA" in hit.reasons[1].detail


def test_country_aliases_agree(index: DocumentIndex) -> None:
    (hit,) = index.lookup("12AB34567", "FRA")
    assert hit.country == "same" and hit.issuing_country == "FRA"
    (german,) = index.lookup("T22000129", "D")  # the MRZ code for Germany
    assert german.country == "same"


def test_same_number_in_two_countries_ranks_the_queried_country_first() -> None:
    rows = [
        ("ROU", "passport", "055512345", "lost", "2020-01-01", "NCB Bucharest"),
        ("MDA", "passport", "O55512345", "stolen", "2021-01-01", "NCB Chisinau"),
    ]
    hits = DocumentIndex.build(rows, today=TODAY).lookup("055512345", "MDA")
    assert [(h.issuing_country, h.match, h.strength) for h in hits] == [
        ("MDA", "ocr_variant", "probable"),
        ("ROU", "exact", "weak"),
    ]


def test_miss_returns_nothing(index: DocumentIndex) -> None:
    assert index.lookup("X00000000", "UTO") == []
    assert index.lookup("L898902C4") == []


def test_hit_without_country(index: DocumentIndex) -> None:
    (hit,) = index.lookup("L898902C3")
    assert (hit.country, hit.strength) == ("not_given", "probable")
    assert hit.to_dict()["reported_on"] == "2024-03-01"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("UTO", "passport", "L1", "misplaced", "2024-01-01", "x"), "status 'misplaced'"),
        (("QQQ", "passport", "L1", "lost", "2024-01-01", "x"), "issuing_country 'QQQ'"),
        (("", "passport", "L1", "lost", "2024-01-01", "x"), "issuing_country ''"),
        (("UTO", "passport", " - ", "lost", "2024-01-01", "x"), "document_number is empty"),
        (("UTO", "passport", "L1#", "lost", "2024-01-01", "x"), "letters and digits"),
        (("UTO", "passport", "L1", "lost", "2024-02-30", "x"), "reported_on '2024-02-30'"),
        (("UTO", "passport", "L1", "lost", "2027-01-01", "x"), "in the future"),
        (("UTO", "boat", "L1", "lost", "2024-01-01", "x"), "document_type 'boat'"),
        (("UTO", "passport"), "missing column 'document_number'"),
    ],
)
def test_bad_rows_have_a_reason(row: tuple[str, ...], reason: str) -> None:
    message = validate_document_row(row, today=TODAY)
    assert message is not None and reason in message


def test_csv_dict_row_is_accepted() -> None:
    row = dict(
        zip(
            [
                "issuing_country",
                "document_type",
                "document_number",
                "status",
                "reported_on",
                "reporting_agency",
            ],
            LIST_ROWS[0],
            strict=True,
        )
    )
    assert validate_document_row(row, today=TODAY) is None


def test_build_rejects_or_collects_bad_rows() -> None:
    rows = [LIST_ROWS[0], ("UTO", "passport", "", "lost", "2024-01-01", "x"), LIST_ROWS[1]]
    with pytest.raises(InputError, match="row 2: document_number is empty"):
        DocumentIndex.build(rows, today=TODAY)
    rejections: list[RowRejection] = []
    index = DocumentIndex.build(rows, rejections=rejections, today=TODAY)
    assert len(index) == 2
    assert rejections == [RowRejection(2, "document_number is empty")]
    assert index.lookup("T22000129")[0].row == 3


def test_bad_queries_raise_input_error(index: DocumentIndex) -> None:
    with pytest.raises(InputError, match="empty"):
        index.lookup(" <<< ")
    with pytest.raises(InputError, match="not a known code"):
        index.lookup("L898902C3", "Atlantis")


def test_keys() -> None:
    assert normalise_number("ab-12 3<") == "AB123"
    assert ocr_key("OIBSZG") == "018526"


def test_empty_index() -> None:
    index = DocumentIndex.build([], today=TODAY)
    assert len(index) == 0 and index.lookup("A1") == []


def test_a_hidden_victims_referral_names_none_of_their_documents() -> None:
    from threadline.ingest.readers.manifests import TravelDocument, TravelRecord
    from threadline.screening.protection import _scrub

    item = TravelRecord(
        position=1, record_id="R1", flight="ZZ1", departure_airport="DSS",
        departure_time="2025-04-02T23:50", arrival_airport="MAD",
        arrival_time="2025-04-03T04:20", booking_ref="LK2M8Q", surname="FALL",
        given_names="AWA", sex="F", date_of_birth=None, nationality="SEN",
        document_type="V", document_number="ES8841209", document_issuing_country="ESP",
        document_expiry=None, other_documents=(TravelDocument("P", "ZK4531821", "SEN"),),
    )  # fmt: skip
    text = "the travel document ZK4531821 is listed as stolen_blank (visa ES8841209, AWA FALL)"
    assert _scrub(text, item) == (
        "the travel document [withheld] is listed as stolen_blank (visa [withheld], "
        "[withheld] [withheld])"
    )

"""PAXLST D02B: writing, parsing back, release characters, broken segments."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from threadline.exc import InputError
from threadline.primitives.paxlst import (
    PaxlstDocument,
    PaxlstFlight,
    PaxlstTraveller,
    parse_paxlst,
    write_paxlst,
)


def _flight() -> PaxlstFlight:
    return PaxlstFlight(
        flight="ZZ1234",
        departure_airport="LOS",
        departure_time=datetime(2025, 3, 1, 23, 5),
        arrival_airport="LHR",
        arrival_time=datetime(2025, 3, 2, 5, 40),
        sender="ZZ AIRLINE",
        travellers=[
            PaxlstTraveller(
                "OKAFOR",
                "NGOZI ADAEZE",
                "F",
                date(2008, 2, 29),
                "NGA",
                "K7Q2ZP",
                "R000000001",
                [PaxlstDocument("P", "AB1234567", date(2030, 1, 31), "NGA")],
                "LOS",
                "LHR",
            ),
            PaxlstTraveller(
                "O'NEIL",
                "MARY+ANN",
                "F",
                date(1958, 11, 5),
                "GBR",
                "K7Q2ZP",
                "R000000002",
                [PaxlstDocument("P", "12?34:567", date(2029, 6, 30), "GBR")],
                "LOS",
                "LHR",
            ),
            PaxlstTraveller("SMITH", "JOHN", "M", date(1990, 1, 1), "USA"),
        ],
    )


def _text(**kwargs: bool) -> str:
    return write_paxlst(
        [_flight()],
        interchange_ref="00000042",
        sender="ZZAIRLINE",
        recipient="BORDERAGENCY",
        prepared=datetime(2025, 3, 1, 22, 30),
        **kwargs,
    )


@pytest.mark.parametrize("group", [True, False])
@pytest.mark.parametrize("newline", [True, False])
def test_round_trip_gives_back_the_same_flight(group: bool, newline: bool) -> None:
    result = parse_paxlst(_text(group=group, newline=newline))
    assert result.problems == []
    assert result.flights == [_flight()]


def test_written_message_has_the_d02b_envelope_and_counts() -> None:
    text = _text()
    assert "UNH+1+PAXLST:D:02B:UN:IATA+ZZ1234+01:F'" in text
    assert "BGM+745'" in text
    assert "TDT+20+ZZ1234'" in text
    assert "DTM+189:2503012305:201'" in text
    assert "CNT+42:3'" in text
    assert text.splitlines()[-1] == "UNZ+1+00000042'"


def test_release_character_protects_separators() -> None:
    text = _text()
    assert "NAD+FL+++O?'NEIL:MARY?+ANN'" in text
    assert "DOC+P:110:111+12??34?:567'" in text
    traveller = parse_paxlst(text).travellers[1]
    assert (traveller.surname, traveller.given_names) == ("O'NEIL", "MARY+ANN")
    assert traveller.document_number == "12?34:567"


def test_two_digit_birth_years_resolve_against_the_flight_date() -> None:
    travellers = parse_paxlst(_text()).travellers
    assert travellers[0].date_of_birth == date(2008, 2, 29)
    assert travellers[1].date_of_birth == date(1958, 11, 5)


@pytest.mark.parametrize(
    ("old", "new", "segment", "reason"),
    [
        ("DTM+329:581105'", "DTM+329:58AB05'", 25, "invalid date"),
        ("ATT+2++M'", "ATT+2++Q'", 35, "unknown sex code"),
        ("NAD+FL+++SMITH:JOHN'", "NAD+FL+++:JOHN'", 34, "without a surname"),
        ("DOC+P:110:111+AB1234567'", "DOC+P:110:111'", 20, "without a document number"),
        ("UNT+36+1'", "UNT+35+1'", 39, "UNT declares 35 segments"),
    ],
)
def test_strict_mode_names_the_broken_segment(
    old: str, new: str, segment: int, reason: str
) -> None:
    text = _text().replace(old, new)
    assert new in text
    with pytest.raises(InputError) as info:
        parse_paxlst(text)
    assert f"segment {segment} " in str(info.value)
    assert reason in str(info.value)


def test_lenient_mode_keeps_every_traveller_and_lists_problems() -> None:
    text = _text().replace("DTM+329:581105'", "DTM+329:58AB05'")
    result = parse_paxlst(text, lenient=True)
    assert [t.surname for t in result.travellers] == ["OKAFOR", "O'NEIL", "SMITH"]
    assert result.travellers[1].date_of_birth is None  # the value is lost, not the traveller
    assert result.travellers[1].document_number == "12?34:567"
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.segment_number == 25
    assert problem.segment == "DTM+329:58AB05'"
    assert "invalid date" in problem.reason
    assert problem.severity == "warning"
    assert result.travellers[1].warnings == [problem]


def test_lenient_mode_rejects_only_a_traveller_without_a_surname() -> None:
    text = _text().replace("NAD+FL+++SMITH:JOHN'", "NAD+FL+++:JOHN'")
    result = parse_paxlst(text, lenient=True)
    assert [t.surname for t in result.travellers] == ["OKAFOR", "O'NEIL"]
    # CNT+42:3 still agrees: it counts the travellers sent, not those that could be kept
    assert [(p.segment_number, p.severity) for p in result.problems] == [(34, "rejected")]


def test_unterminated_interchange_is_reported() -> None:
    text = _text().rstrip("\n")[:-1]  # drop the final segment terminator
    with pytest.raises(InputError, match="not terminated"):
        parse_paxlst(text)
    result = parse_paxlst(text, lenient=True)
    assert [t.surname for t in result.travellers] == ["OKAFOR", "O'NEIL", "SMITH"]
    assert [p.reason for p in result.warnings] == ["last segment is not terminated"]


@pytest.mark.parametrize("text", ["", "HELLO WORLD'", "UNH+1+ORDERS:D:96A:UN'"])
def test_text_that_is_not_an_interchange_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="PAXLST: segment 1"):
        parse_paxlst(text)


def test_custom_una_separators_are_honoured() -> None:
    flight = _flight()
    flight.travellers = [flight.travellers[0]]  # no released characters to re-encode
    text = write_paxlst(
        [flight],
        interchange_ref="1",
        sender="ZZ",
        recipient="GOV",
        prepared=datetime(2025, 3, 1),
        newline=False,
    )
    custom = text.replace("UNA:+.? '", "UNA|*.# !")
    # Re-encode with the custom separators: ':'->'|', '+'->'*', '?'->'#', "'"->'!'.
    body = custom[9:]
    table = str.maketrans({":": "|", "+": "*", "?": "#", "'": "!"})
    custom = custom[:9] + body.translate(table)
    assert parse_paxlst(custom).flights == [flight]


@pytest.mark.parametrize("number", ["AB12?", "AB'12", "??", "A:B+C'D?"])
def test_released_characters_at_segment_ends_round_trip(number: str) -> None:
    flight = _flight()
    flight.travellers[0].documents[0].number = number
    flight.travellers[0].surname = number
    text = write_paxlst(
        [flight],
        interchange_ref="7",
        sender="ZZ",
        recipient="GOV",
        prepared=datetime(2025, 3, 1),
        newline=False,
    )
    assert parse_paxlst(text).flights == [flight]

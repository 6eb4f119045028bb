"""PAXLST as carriers send it: the structures real messages show, one fixture each.

The fixtures in tests/fixtures/border/paxlst/ are synthetic messages written for
these tests; each reproduces a structure seen in real messages from other systems
(places as text, a visa before the passport, progressive flights, custom
separators, crew lists, counts that disagree).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from threadline.exc import InputError
from threadline.primitives.paxlst import (
    PaxlstDocument,
    PaxlstFlight,
    PaxlstLeg,
    PaxlstTraveller,
    parse_paxlst,
    write_paxlst,
)
from threadline.primitives.paxlst.syntax import parse_edifact_time, split_interchange

FIXTURES = Path(__file__).parent.parent / "fixtures" / "border" / "paxlst"


def _parse(name: str) -> tuple[list[PaxlstFlight], list[tuple[int, str, str]]]:
    result = parse_paxlst((FIXTURES / name).read_text(encoding="utf-8"), lenient=True)
    return result.flights, [(p.segment_number, p.severity, p.reason) for p in result.problems]


@pytest.mark.parametrize(
    ("name", "travellers"),
    [
        ("text_places.edi", [("IONESCU", "ANDREEA", "MARIA"), ("POPA", "ELENA", "")]),
        (
            "visa_behind_passport.edi",
            [
                ("NDIAYE", "AWA", ""),
                ("NOVAKOVA", "JANA", ""),
                ("SALL", "MOUSSA", ""),
                ("FALL", "IBRAHIMA", ""),
            ],
        ),
        (
            "progressive_flight.edi",
            [("SUWANNARAT", "PLOY", "NAPAT"), ("KAEWKLA", "SOMCHAI", ""), ("AKSOY", "EMRE", "")],
        ),
        (
            "custom_separators.edi",
            [("O~BRIEN", "SIOBHAN", "ROISIN"), ("SMITH#JONES", "ALEX^PAT", "")],
        ),
        ("repetition_syntax4.edi", [("BERZINA", "LIGA", "")]),
        (
            "crew_list.edi",
            [("KARIMI", "LEILA", ""), ("OKONKWO", "CHIDI", "EMEKA"), ("SANTOS", "RAFAEL", "")],
        ),
        ("count_disagreements.edi", [("NOWAK", "PIOTR", ""), ("WOJCIK", "ANNA", "")]),
        ("no_traveller.edi", []),
    ],
)
def test_every_named_traveller_is_read_with_all_name_parts(
    name: str, travellers: list[tuple[str, str, str]]
) -> None:
    flights, _ = _parse(name)
    found = [(t.surname, t.given_names, t.middle_names) for f in flights for t in f.travellers]
    assert found == travellers


def test_places_given_as_text_are_kept_and_an_empty_issuer_is_a_warning() -> None:
    (flight,), problems = _parse("text_places.edi")
    ionescu, popa = flight.travellers
    assert ionescu.birth_place == "VALEA MARE ROU"
    assert (ionescu.embarkation, ionescu.disembarkation) == ("OTP", "FCO")
    (passport,) = ionescu.documents
    assert (passport.issuing_country, passport.issuing_place) == (None, "BUCURESTI")
    assert popa.embarkation == "OTOPENI"  # LOC+178 given as text
    assert popa.documents == [PaxlstDocument("I", "RX448201", date(2030, 1, 1))]
    assert problems == [
        (26, "warning", "issuing country given as text 'BUCURESTI', not as a code"),
        (37, "warning", "LOC+91 without a place: the document's issuing country is unknown"),
    ]
    assert [p.segment_number for p in ionescu.warnings] == [26]
    assert [p.segment_number for p in popa.warnings] == [37]


@pytest.mark.parametrize(
    ("surname", "documents", "primary"),
    [
        (
            "NDIAYE",
            [PaxlstDocument("V", "ES8841207", date(2025, 9, 30), "ESP", date(2025, 3, 1)),
             PaxlstDocument("P", "ZK4531821", date(2031, 1, 15), "SEN")],
            "ZK4531821",
        ),
        (
            "NOVAKOVA",
            [PaxlstDocument("PT", "43218765", date(2029, 1, 1), "CZE"),
             PaxlstDocument("V", "ES8841208", date(2025, 9, 30), "ESP")],
            "43218765",
        ),
        ("SALL", [PaxlstDocument(None, "SN7730019", date(2030, 3, 1), "SEN")], "SN7730019"),
        ("FALL", [PaxlstDocument("V", "ES8841209", None, "ESP")], "ES8841209"),
    ],
)  # fmt: skip
def test_every_document_is_kept_and_the_passport_stands_for_the_traveller(
    surname: str, documents: list[PaxlstDocument], primary: str
) -> None:
    (flight,), problems = _parse("visa_behind_passport.edi")
    traveller = next(t for t in flight.travellers if t.surname == surname)
    assert traveller.documents == documents
    assert traveller.document_number == primary
    assert problems == []


def test_crew_member_certificate_and_passport_the_passport_stands_first() -> None:
    (flight,), problems = _parse("crew_list.edi")
    karimi = flight.travellers[0]
    assert [d.type for d in karimi.documents] == ["AC", "P"]
    assert all(d.is_identity for d in karimi.documents)
    assert karimi.document_number == "GA120938"
    assert problems == []  # CNT+41:3 counts the three crew members


def test_a_progressive_flight_gives_one_leg_per_tdt_with_its_own_places_and_times() -> None:
    (flight,), problems = _parse("progressive_flight.edi")
    assert flight.legs == [
        PaxlstLeg("XX501", "BKK", datetime(2025, 5, 10, 19, 5), "DXB",
                  datetime(2025, 5, 10, 23, 40), "92", "92"),
        PaxlstLeg("XX502", "DXB", datetime(2025, 5, 11, 2, 15), "IST",
                  datetime(2025, 5, 11, 6, 10), "92", "92"),
        PaxlstLeg("XX503", "IST", datetime(2025, 5, 11), "VIE",
                  datetime(2025, 5, 11, 8, 20), "125", "87"),
    ]  # fmt: skip
    assert (flight.flight, flight.departure_airport, flight.arrival_airport) == (
        "XX501",
        "BKK",
        "VIE",
    )
    assert {t.surname: t.legs for t in flight.travellers} == {
        "SUWANNARAT": [0, 1, 2],  # BKK to VIE: every leg
        "KAEWKLA": [0],  # leaves at DXB
        "AKSOY": [2],  # boards at IST
    }
    assert flight.travellers[0].date_of_birth == date(2006, 7, 4)  # DTM 102, four-digit year
    assert flight.travellers[0].documents[0].expiry == date(2030, 1, 4)
    assert problems == []


def test_one_tdt_with_routing_places_then_departure_and_arrival_gives_two_legs() -> None:
    text = (
        "UNB+UNOA:4+ZZ+GOV+250101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+ZZ250'"
        "LOC+92+JFK'DTM+189:2502010220:201'LOC+92+ANC'DTM+232:2502010550:201'"
        "LOC+125+ANC'DTM+189:2502010650:201'LOC+87+ICN'DTM+232:2502020840:201'"
        "NAD+FL+++KIM:MINJI'LOC+178+ANC'LOC+179+ICN'CNT+42:1'UNT+16+1'UNZ+1+1'"
    )
    result = parse_paxlst(text)
    (flight,) = result.flights
    assert [(leg.flight, leg.departure_airport, leg.arrival_airport) for leg in flight.legs] == [
        ("ZZ250", "JFK", "ANC"),
        ("ZZ250", "ANC", "ICN"),
    ]
    assert flight.travellers[0].legs == [1]


@pytest.mark.parametrize(
    ("value", "fmt", "expected", "short"),
    [
        ("2505102340", "", datetime(2025, 5, 10, 23, 40), True),
        ("2505110215", "201", datetime(2025, 5, 11, 2, 15), True),
        ("202505110610", "203", datetime(2025, 5, 11, 6, 10), False),
        ("20250511", "102", datetime(2025, 5, 11), False),
        ("20250511", "", datetime(2025, 5, 11), False),
        ("060704", "", datetime(2006, 7, 4), True),
        ("701231", "101", datetime(1970, 12, 31), True),
        ("20250511083015", "204", datetime(2025, 5, 11, 8, 30, 15), False),
        (" 1306212200", "201", datetime(2013, 6, 21, 22, 0), True),  # a space, as a guide prints it
    ],
)
def test_edifact_date_formats(value: str, fmt: str, expected: datetime, short: bool) -> None:
    assert parse_edifact_time(value, fmt) == (expected, short)


@pytest.mark.parametrize(
    ("value", "fmt", "reason"),
    [
        ("2505", "201", "invalid date '2505' (expected YYMMDDHHMM)"),
        ("58AB05", "", "invalid date '58AB05' (expected YYMMDD)"),
        ("250231", "", "invalid date '250231' (no such day or time)"),
        ("2025051", "", "invalid date '2025051' (expected YYMMDD)"),
        ("250511", "999", "unknown date format '999'"),
    ],
)
def test_unreadable_dates_say_why(value: str, fmt: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_edifact_time(value, fmt)


def test_custom_separators_release_characters_and_repetitions() -> None:
    _, seps, notes = split_interchange((FIXTURES / "custom_separators.edi").read_text())
    assert (seps.component, seps.element, seps.decimal) == ("^", "#", ",")
    assert (seps.release, seps.repetition, seps.terminator) == ("/", "|", "~")
    assert notes == []
    (flight,), problems = _parse("custom_separators.edi")
    assert flight.sender == "ZZ AIRLINE #2"
    obrien, smith = flight.travellers
    assert (obrien.sex, obrien.nationality) == ("F", "IRL")  # first repetition of F|F, IRL|GBR
    assert obrien.documents[0].number == "PX55^0912"  # a released component separator is data
    assert smith.sex == "U"  # X is read as U
    assert problems == []


def test_syntax_version_4_without_una_separates_repetitions_with_a_star() -> None:
    _, seps, notes = split_interchange((FIXTURES / "repetition_syntax4.edi").read_text())
    assert seps.repetition == "*"
    assert [n.reason for n in notes] == [
        "text before the interchange header ignored",
        "text after the last segment terminator ignored",
    ]
    (flight,), _ = _parse("repetition_syntax4.edi")
    (traveller,) = flight.travellers
    assert (traveller.sex, traveller.nationality) == ("F", "LVA")


def test_a_syntax_3_una_space_means_no_repetition_separator() -> None:
    _, seps, _ = split_interchange("UNA:+.? 'UNB+UNOA:3+A+B+250101:0000+1'")
    assert seps.repetition == ""
    segments, _, _ = split_interchange("UNA:+.? 'UNB+UNOA:3+A+B+250101:0000+1'NAD+FL+++A*B:C'")
    assert segments[-1].get(4, 0) == "A*B"


@pytest.mark.parametrize(
    ("name", "roles"),
    [
        ("crew_list.edi", [("FM", "crew"), ("FM", "crew"), ("DDT", "crew")]),
        ("text_places.edi", [("FL", "passenger"), ("FL", "passenger")]),
    ],
)
def test_crew_and_passengers_are_read_with_their_role(
    name: str, roles: list[tuple[str, str]]
) -> None:
    flights, _ = _parse(name)
    assert [(t.party, t.role) for f in flights for t in f.travellers] == roles
    assert flights[0].list_type == ("250" if name == "crew_list.edi" else "745")


def test_counts_that_disagree_are_warnings_and_no_named_traveller_is_dropped() -> None:
    (flight,), problems = _parse("count_disagreements.edi")
    assert problems == [
        (17, "rejected", "traveller without a surname (NAD element 4 is empty)"),
        (21, "warning", "unknown sex code 'Q' (expected M, F, U or X)"),
        (26, "warning", "invalid date '311301' (no such day or time)"),
        (29, "warning", "UNT declares 99 segments, the message has 28"),
        (28, "warning", "CNT+42 declares 12 travellers, the message has 3"),
    ]
    nowak, wojcik = flight.travellers
    assert (wojcik.sex, wojcik.date_of_birth, wojcik.documents[0].expiry) == (
        None,
        date(2000, 2, 29),
        None,
    )
    assert nowak.date_of_birth == date(1999, 12, 31)
    assert [p.segment_number for p in wojcik.warnings] == [21, 26]
    assert [p.segment_number for p in flight.warnings] == [29, 28]


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("text_places.edi", "segment 26 "),
        ("count_disagreements.edi", "segment 17 "),
        ("repetition_syntax4.edi", "segment 1 "),
    ],
)
def test_strict_mode_stops_at_the_first_problem(name: str, first: str) -> None:
    with pytest.raises(InputError, match=f"^PAXLST: {first}"):
        parse_paxlst((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name", ["visa_behind_passport.edi", "progressive_flight.edi", "crew_list.edi"]
)
def test_well_formed_fixtures_parse_strictly(name: str) -> None:
    assert parse_paxlst((FIXTURES / name).read_text(encoding="utf-8")).travellers


def test_a_message_without_a_unb_envelope_is_read_with_a_warning() -> None:
    text = (
        "UNH+1+PAXLST:D:02B:UN:IATA+ZZ688/250101/1310+01:F'BGM+745'TDT+20'LOC+125+PRG'"
        "DTM+189:2501011045:201'LOC+87+BCN'NAD+FL+++NOVAK:PETR'CNT+42:1'UNT+9+1'UNE+1+1'"
    )
    result = parse_paxlst(text, lenient=True)
    (flight,) = result.flights
    assert flight.flight == "ZZ688"  # TDT without a number: the UNH reference names the flight
    assert [p.reason for p in result.problems] == [
        "the interchange has no UNB header",
        "TDT without a flight identifier",
    ]
    assert flight.travellers[0].surname == "NOVAK"


def test_a_message_of_another_type_is_skipped_with_a_warning() -> None:
    text = (
        "UNB+UNOA:4+ZZ+GOV+250101:0000+1'UNH+1+CUSRES:D:05B:UN:IATA'BGM+962'"
        "NAD+FL+++NOVAK:PETR'UNT+4+1'UNZ+1+1'"
    )
    result = parse_paxlst(text, lenient=True)
    assert result.travellers == []
    assert [p.reason for p in result.problems] == [
        "message type is 'CUSRES', not PAXLST: its segments are skipped"
    ]


def test_terminator_read_from_the_first_line_when_there_is_no_una_and_no_apostrophe() -> None:
    text = 'UNB+UNOA:4+ZZ+GOV+250101:0000+1"\nUNH+1+PAXLST:D:05B:UN:IATA"\nBGM+745"\n'
    text += 'TDT+20+ZZ1"\nNAD+FL+++LI:NA"\nCNT+42:1"\nUNT+5+1"\nUNZ+1+1"\n'
    result = parse_paxlst(text, lenient=True)
    assert [t.surname for t in result.travellers] == ["LI"]
    assert result.problems[0].reason == "no UNA and no ' in the text: segments end with '\"'"


def test_writer_round_trips_legs_documents_middle_names_and_crew() -> None:
    legs = [
        PaxlstLeg("ZZ1", "BKK", datetime(2025, 5, 10, 19, 5), "DXB",
                  datetime(2025, 5, 10, 23, 40), "92", "92"),
        PaxlstLeg("ZZ2", "DXB", datetime(2025, 5, 11, 2, 15), "VIE",
                  datetime(2025, 5, 11, 6, 10)),
    ]  # fmt: skip
    crew = PaxlstTraveller(
        "HALVORSEN",
        "INGRID",
        "F",
        date(1984, 2, 3),
        "NOR",
        record_id="C1",
        documents=[
            PaxlstDocument("P", "NO1203344", date(2030, 1, 1), "NOR", date(2020, 1, 2)),
            PaxlstDocument("V", "TH55001", date(2026, 1, 1), "THA"),
        ],
        embarkation="BKK",
        disembarkation="VIE",
        middle_names="SOFIE MARIE",
        role="crew",
        party="FM",
    )
    flight = PaxlstFlight(
        "ZZ1", "BKK", legs[0].departure_time, "VIE", legs[1].arrival_time,
        sender="ZZ", travellers=[crew], legs=legs, list_type="250",
    )  # fmt: skip
    text = write_paxlst(
        [flight], interchange_ref="9", sender="ZZ", recipient="GOV", prepared=datetime(2025, 5, 1)
    )
    assert "NAD+FM+++HALVORSEN:INGRID:SOFIE MARIE'" in text
    assert "CNT+41:1'" in text
    (back,) = parse_paxlst(text).flights
    assert back == flight
    assert back.travellers[0].legs == [0, 1]

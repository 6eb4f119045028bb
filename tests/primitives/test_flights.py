"""Flight designators split into carrier and number as a timetable prints them."""

from __future__ import annotations

import pytest

from threadline.primitives.flights import parse_flight


@pytest.mark.parametrize(
    ("text", "carrier", "number"),
    [
        ("ZZ100", "ZZ", "100"),
        ("u2 1234", "U2", "1234"),
        ("BAW12A", "BAW", "12A"),  # an ICAO three-letter code with an operational suffix
        ("9W 0123", "9W", "0123"),
        (" ZZ  7 ", "ZZ", "7"),
        ("12345", "", "12345"),  # no carrier: kept whole as the number
        ("CHARTER FLIGHT", "", "CHARTER FLIGHT"),
        ("ZZ12345", "", "ZZ12345"),  # five digits: not a designator
    ],
)
def test_designators(text: str, carrier: str, number: str) -> None:
    flight = parse_flight(text)
    assert (flight.carrier, flight.number) == (carrier, number)
    assert str(flight) == (carrier + number if carrier else number)

"""Writing PAXLST interchanges (D02B, IATA implementation) with the default separators."""

from __future__ import annotations

from datetime import date, datetime

from threadline.primitives.paxlst.model import PaxlstFlight, PaxlstLeg, PaxlstTraveller
from threadline.primitives.paxlst.syntax import DEFAULT_UNA

__all__ = ["write_paxlst"]

_ESCAPE = str.maketrans({ch: "?" + ch for ch in ":+?'"})


def _escape(value: str) -> str:
    # str.translate runs in C: writing millions of travellers stays fast.
    return value.translate(_ESCAPE)


def _seg(*elements: str | tuple[str, ...]) -> str:
    parts: list[str] = []
    for element in elements:
        if isinstance(element, tuple):
            parts.append(":".join(_escape(c) for c in element))
        else:
            parts.append(_escape(element))
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return "+".join(parts) + "'"


def _yymmdd(value: date) -> str:
    return f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"


def _stamp(value: datetime) -> str:
    return f"{_yymmdd(value)}{value.hour:02d}{value.minute:02d}"


def write_paxlst(
    flights: list[PaxlstFlight],
    *,
    interchange_ref: str,
    sender: str,
    recipient: str,
    prepared: datetime,
    group: bool = True,
    newline: bool = True,
) -> str:
    """Write an interchange carrying one PAXLST message per flight.

    ``group`` adds the optional ``UNG``/``UNE`` functional group; ``newline`` puts
    each segment on its own line (parsers must ignore the line breaks either way).
    A message with several legs is written as a progressive flight (one ``TDT``
    per leg); every document of a traveller gets its ``DOC`` group.
    """
    out: list[str] = [f"UNA{DEFAULT_UNA}"]
    out.append(
        _seg(
            "UNB",
            ("UNOA", "4"),
            sender,
            recipient,
            (prepared.strftime("%y%m%d"), prepared.strftime("%H%M")),
            interchange_ref,
        )
    )
    if group:
        out.append(
            _seg(
                "UNG",
                "PAXLST",
                sender,
                recipient,
                (prepared.strftime("%y%m%d"), prepared.strftime("%H%M")),
                "1",
                "UN",
                ("D", "02B"),
            )
        )
    for number, flight in enumerate(flights, start=1):
        out.extend(_message(flight, str(number)))
    if group:
        out.append(_seg("UNE", str(len(flights)), "1"))
    out.append(_seg("UNZ", "1" if group else str(len(flights)), interchange_ref))
    return ("\n" if newline else "").join(out) + ("\n" if newline else "")


def _leg(leg: PaxlstLeg) -> list[str]:
    body = [_seg("TDT", "20", leg.flight)]
    if leg.departure_airport or leg.departure_time:
        body.append(_seg("LOC", leg.departure_qualifier or "125", leg.departure_airport))
        if leg.departure_time:
            body.append(_seg("DTM", ("189", _stamp(leg.departure_time), "201")))
    if leg.arrival_airport or leg.arrival_time:
        body.append(_seg("LOC", leg.arrival_qualifier or "87", leg.arrival_airport))
        if leg.arrival_time:
            body.append(_seg("DTM", ("232", _stamp(leg.arrival_time), "201")))
    return body


def _message(flight: PaxlstFlight, ref: str) -> list[str]:
    body: list[str] = [
        _seg("UNH", ref, ("PAXLST", "D", "02B", "UN", "IATA"), flight.flight, ("01", "F")),
        _seg("BGM", flight.list_type or "745"),
        _seg("NAD", "MS", "", "", flight.sender),
    ]
    for leg in flight.legs:
        body.extend(_leg(leg))
    for t in flight.travellers:
        body.extend(_traveller(t))
    body.append(
        _seg("CNT", ("41" if flight.list_type == "250" else "42", str(len(flight.travellers))))
    )
    body.append(_seg("UNT", str(len(body) + 1), ref))
    return body


def _traveller(t: PaxlstTraveller) -> list[str]:
    e = _escape  # per-traveller segments are formatted directly: millions of them at scale
    party = "FM" if t.role == "crew" and t.party == "FL" else t.party or "FL"
    name = e(t.surname) + ":" + e(t.given_names)
    if t.middle_names:
        name += ":" + e(t.middle_names)
    body = [f"NAD+{e(party)}+++{name}'"]
    if t.sex:
        body.append(f"ATT+2++{e(t.sex)}'")
    if t.date_of_birth:
        body.append(f"DTM+329:{_yymmdd(t.date_of_birth)}'")
    if t.embarkation:
        body.append(f"LOC+178+{e(t.embarkation)}'")
    if t.disembarkation:
        body.append(f"LOC+179+{e(t.disembarkation)}'")
    if t.nationality:
        body.append(f"NAT+2+{e(t.nationality)}'")
    if t.booking_ref:
        body.append(f"RFF+AVF:{e(t.booking_ref)}'")
    if t.record_id:
        body.append(f"RFF+ABO:{e(t.record_id)}'")
    for doc in t.documents:
        body.append(f"DOC+{e(doc.type or 'P')}:110:111+{e(doc.number)}'")
        if doc.expiry:
            body.append(f"DTM+36:{_yymmdd(doc.expiry)}'")
        if doc.issued:
            body.append(f"DTM+182:{_yymmdd(doc.issued)}'")
        if doc.issuing_country:
            body.append(f"LOC+91+{e(doc.issuing_country)}'")
    return body

"""manifests/: one PAXLST interchange and one CSV per flight, streamed flight by flight."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from threadline.primitives.paxlst import (
    PaxlstDocument,
    PaxlstFlight,
    PaxlstTraveller,
    write_paxlst,
)
from threadline.simulation.config import BASE_TIME, stream
from threadline.simulation.geography import Country
from threadline.simulation.names import NameFactory
from threadline.simulation.travelplan import (
    Booking,
    agency_contacts,
    background_party,
    booking_ref,
    by_issuer,
    confounder_bookings,
    honest_bookings,
    victim_bookings,
)
from threadline.simulation.world import Member, World

MANIFEST_COLUMNS = (
    "flight",
    "departure_airport",
    "departure_time",
    "arrival_airport",
    "arrival_time",
    "record_id",
    "booking_ref",
    "surname",
    "given_names",
    "sex",
    "date_of_birth",
    "nationality",
    "document_type",
    "document_number",
    "document_issuing_country",
    "document_expiry",
    "contact_phone",
    "contact_email",
)
CARRIERS = ("ZZ", "YY", "XX")


@dataclass(slots=True)
class TravelTruth:
    """What truth.json needs from the manifests, kept compact while streaming."""

    records: dict[str, list[str]] = field(default_factory=dict)  # person id -> record ids
    bookings: list[dict[str, Any]] = field(default_factory=list)  # families, tours, twins
    victim_bookings: list[dict[str, Any]] = field(default_factory=list)
    flights: int = 0
    travellers: int = 0


AGENCY_SHARE = 0.08  # of background bookings, made through a travel agency (confounders)


class ManifestWriter:
    """Places the planned bookings on flights and fills every flight with the background."""

    def __init__(self, world: World, root: Path, twins_of: list[tuple[Member, str]]) -> None:
        self.world = world
        self.dir = root / "manifests"
        self.rng = stream(world.config.seed, "travel")
        self.names = NameFactory(stream(world.config.seed, "travel-names"))
        self.twins_of = twins_of
        # the confounders regime draws from its own stream: other worlds stay as they were
        self.regime_rng = stream(world.config.seed, "regime-travel")
        self.agencies = agency_contacts(world, self.regime_rng)
        self.issuer = by_issuer(world)  # passports as their issuers spell (romanisation)
        self.truth = TravelTruth()
        self.airports = {a: c for c in world.countries for a in c.airports}

    def write(self, progress: Any = None) -> TravelTruth:
        """Write every flight; ``progress(n)`` is called with travellers written."""
        rng, cfg = self.rng, self.world.config
        self.dir.mkdir(parents=True, exist_ok=True)
        special = (
            victim_bookings(self.world, rng)
            + honest_bookings(self.world, self.names, rng, self.twins_of)
            + confounder_bookings(self.world, self.names, self.regime_rng)
        )
        needed = sum(len(b.passengers) * max(1, len(b.legs)) for b in special)
        size = max(20, min(180, cfg.travellers // 15))
        legs = sum(len(b.legs) for b in special)
        # At least one flight per fixed leg, so every leg finds a flight on its route.
        flights = max(4, legs + 4, (max(cfg.travellers, needed) + size - 1) // size)
        slots = self._place(special, flights)
        background = max(0, cfg.travellers - needed)
        codes = sorted(self.airports)
        record = 0
        for i in range(flights):
            placed = slots.get(i, [])
            fixed = next(((leg, b) for leg, b in placed if leg is not None), None)
            dep, arr = fixed[0] if fixed else self._route(codes)
            quota = background // flights + (1 if i < background % flights else 0)
            bookings = [b for _, b in placed] + self._fill(dep, arr, quota)
            record = self._flight(i, flights, dep, arr, bookings, record)
            if progress is not None:
                progress(sum(len(b.passengers) for b in bookings))
        self.truth.flights, self.truth.travellers = flights, record
        return self.truth

    def _route(self, codes: list[str]) -> tuple[str, str]:
        dep = self.rng.choice(codes)
        arr = self.rng.choice(codes)
        while self.airports[arr].code == self.airports[dep].code:
            arr = self.rng.choice(codes)
        return dep, arr

    def _place(
        self, special: list[Booking], flights: int
    ) -> dict[int, list[tuple[tuple[str, str] | None, Booking]]]:
        """Put each special booking on a flight: fixed-route ones near their travel day."""
        slots: dict[int, list[tuple[tuple[str, str] | None, Booking]]] = {}
        for b in special:
            if not b.legs:
                slots.setdefault(self.rng.randrange(flights), []).append((None, b))
                continue
            start = min(flights - len(b.legs), max(0, b.day * flights // 365))
            for leg in b.legs:
                i = start
                while True:  # next flight that is free or already flies this leg
                    taken = [r for r, _ in slots.get(i % flights, []) if r is not None]
                    if not taken or taken[0] == leg:
                        break
                    i += 1
                slots.setdefault(i % flights, []).append((leg, b))
                start = i + 1
        return slots

    def _fill(self, dep: str, arr: str, quota: int) -> list[Booking]:
        rng, out = self.rng, []
        d, a = self.airports[dep], self.airports[arr]
        while quota > 0:
            party = background_party(self.names, d, a, self.world.countries, rng, self.issuer)
            party = party[:quota]
            quota -= len(party)
            contact = _background_contact(self.world, party[0].given, d, rng)
            if self.agencies and self.regime_rng.random() < AGENCY_SHARE:
                contact = self.regime_rng.choice(self.agencies)
            out.append(Booking(booking_ref(rng), "background", party, *contact))
        return out

    def _flight(
        self, index: int, total: int, dep: str, arr: str, bookings: list[Booking], record: int
    ) -> int:
        rng = self.rng
        minutes = index * 365 * 24 * 60 // total + rng.randrange(60)
        departs = BASE_TIME + timedelta(minutes=minutes)
        arrives = departs + timedelta(minutes=rng.randrange(90, 900, 5))
        number = f"{CARRIERS[index % 3]}{100 + (sum(map(ord, dep + arr)) * 7) % 8900}"
        flight = PaxlstFlight(number, dep, departs, arr, arrives, sender=f"{number[:2]} AIRLINE")
        rows: list[list[str]] = []
        for b in bookings:
            for p in b.passengers:
                record += 1
                rid = f"R{record:09d}"
                if p.tag:
                    self.truth.records.setdefault(p.tag, []).append(rid)
                flight.travellers.append(
                    PaxlstTraveller(
                        p.surname,
                        p.given,
                        p.sex,
                        p.birth,
                        p.nationality,
                        b.ref,
                        rid,
                        [PaxlstDocument("P", p.document, p.expiry, p.document_country)],
                        dep,
                        arr,
                    )
                )
                rows.append(
                    [
                        number,
                        dep,
                        _iso(departs),
                        arr,
                        _iso(arrives),
                        rid,
                        b.ref,
                        p.surname,
                        p.given,
                        p.sex,
                        p.birth.isoformat(),
                        p.nationality,
                        "P",
                        p.document,
                        p.document_country,
                        p.expiry.isoformat(),
                        b.phone,
                        b.email,
                    ]
                )
            self._remember(b, rows[-len(b.passengers) :], number, departs)
        stem = f"{departs:%Y%m%d}_{number}_{dep}{arr}_{index:06d}"
        text = write_paxlst(
            [flight],
            interchange_ref=f"{index + 1:08d}",
            sender=f"{number[:2]}AIRLINE",
            recipient="BORDERAGENCY",
            prepared=departs - timedelta(minutes=30),
        )
        (self.dir / f"{stem}.edi").write_text(text, encoding="ascii")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        writer.writerows(rows)
        (self.dir / f"{stem}.csv").write_text(buf.getvalue(), encoding="utf-8")
        return record

    def _remember(self, b: Booking, rows: list[list[str]], flight: str, when: datetime) -> None:
        if b.kind == "background":
            return
        entry = {
            "booking_ref": b.ref,
            "kind": b.kind,
            "flight": flight,
            "departure_time": _iso(when),
            "record_ids": [r[5] for r in rows],
            "contact_phone": b.phone,
            "contact_email": b.email,
        }
        if b.kind == "victims":
            entry["network_id"] = b.note
            self.truth.victim_bookings.append(entry)
        elif b.kind == "twin" or len(self.truth.bookings) < 400:
            if b.note:
                entry["resembles_notice"] = b.note
            self.truth.bookings.append(entry)


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:00")


def _background_contact(world: World, given: str, country: Country, rng: Any) -> tuple[str, str]:
    phone = world.phonebook.stranger(country, rng) if rng.random() < 0.3 else None
    local = given.split()[0].lower() + str(rng.randrange(10, 99999))
    domain = rng.choice(("example.com", "example.org", "example.net", "mail.example"))
    return phone or "", f"{local}@{domain}"

"""What tracing reads: missing-person reports and every kind of sighting.

A *report* is a missing-person report as :mod:`threadline.model.missing` defines
it (a Person in a ``missing-persons`` collection, or a notice marked as a yellow
notice or a missing person). Every other Person the actor may see is
a possible sighting; so is every ad (HyperText) with its images' perceptual
hashes (``Image`` entities whose ``parent`` is the ad or the report, hash kept
as the keyword ``phash:<16 hex>``, as the ads reader stores it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection

from threadline.ingest.readers.travel_records import IATA_PREFIX
from threadline.model.collections import Collection, CollectionKind
from threadline.model.missing import is_missing_report
from threadline.primitives.airports import airport
from threadline.primitives.dates import PartialDate, parse_partial_date
from threadline.store.statements import iter_collection_entities

_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
PHASH_PREFIX = "phash:"

SIGHTING_KINDS = {
    CollectionKind.MANIFESTS: "traveller",
    CollectionKind.IDENTIFIED_PERSONS: "identified_person",
    CollectionKind.VICTIMS: "victim_record",
    CollectionKind.ADS: "ad",
}


@dataclass(frozen=True)
class FlightLeg:
    """A flight a traveller was on, as the manifest's Trip states it."""

    flight: str
    departure: str  # IATA code ("" when the manifest gave none)
    departure_time: str
    arrival: str
    arrival_time: str

    def to_dict(self) -> dict[str, Any]:
        dep, arr = airport(self.departure), airport(self.arrival)
        return {
            "flight": self.flight,
            "departure_airport": self.departure,
            "departure_country": dep.country if dep else None,
            "departure_time": self.departure_time or None,
            "arrival_airport": self.arrival,
            "arrival_country": arr.country if arr else None,
            "arrival_time": self.arrival_time or None,
        }


@dataclass
class Sighting:
    """Something that may be the missing person: a record or an ad. A traveller's
    sighting is their journey: ``legs`` are the flights the manifests put them on."""

    entity: EntityProxy
    collection: Collection
    kind: str
    phashes: list[int] = field(default_factory=list)
    legs: list[FlightLeg] = field(default_factory=list)

    @property
    def when(self) -> PartialDate | None:
        for leg in self.legs:  # a traveller was seen when their journey began
            found = parse_partial_date((leg.departure_time or leg.arrival_time)[:10])
            if found is not None:
                return found
        return self._own_date()

    @property
    def country(self) -> str | None:
        """Where the sighting puts the person, as a country code, when it says so."""
        if self.legs:
            last = airport(self.legs[-1].arrival)
            if last is not None:
                return last.country
        for value in self.entity.get("country", quiet=True):
            return value.upper()
        return None

    def _own_date(self) -> PartialDate | None:
        for prop in ("publishedAt", "date", "startDate", "createdAt", "modifiedAt"):
            if prop in self.entity.schema.properties:
                for value in self.entity.get(prop):
                    found = parse_partial_date(value)
                    if found is not None:
                        return found
        for note in self.entity.get("notes", quiet=True):
            match = _DATE.search(note)
            if match:
                return parse_partial_date(match.group(1))
        return None

    @property
    def place(self) -> str | None:
        if self.legs:  # where the journey took them: the last leg's arrival airport
            code = self.legs[-1].arrival
            found = airport(code)
            return found.describe() if found else code or None
        for prop in ("address", "country"):
            values = self.entity.get(prop, quiet=True)
            if values:
                return values[0]
        return None


def is_report(entity: EntityProxy, collection: Collection) -> bool:
    """Whether a Person entity is a missing-person report (see the module rule)."""
    return is_missing_report(entity, collection.kind)


@dataclass
class TracingInput:
    reports: list[tuple[EntityProxy, Collection]]
    sightings: list[Sighting]
    report_phashes: dict[str, list[int]]


def load(conn: Connection, collections: Sequence[Collection]) -> TracingInput:
    """Reports, sightings and image hashes from the collections (already access-filtered)."""
    reports: list[tuple[EntityProxy, Collection]] = []
    sightings: list[Sighting] = []
    hashes: dict[str, list[int]] = {}
    trips: list[EntityProxy] = []
    airports: dict[str, str] = {}  # airport Address id -> IATA code
    for item in collections:
        assert item.id is not None
        for entity in iter_collection_entities(conn, item.id):
            if entity.schema.is_a("Image"):
                _collect_hashes(entity, hashes)
            elif entity.schema.is_a("Trip"):
                trips.append(entity)
            elif entity.schema.is_a("Address"):
                for remark in entity.get("remarks"):
                    if remark.startswith(IATA_PREFIX):
                        airports[str(entity.id)] = remark[len(IATA_PREFIX) :].strip()
            elif entity.schema.is_a("Person"):
                if is_report(entity, item):
                    reports.append((entity, item))
                else:
                    kind = SIGHTING_KINDS.get(item.kind, "agency_record")
                    sightings.append(Sighting(entity, item, kind))
            elif entity.schema.name in ("HyperText", "Document"):
                sightings.append(Sighting(entity, item, "ad"))
    legs = _legs_by_traveller(trips, airports)
    for sighting in sightings:
        sighting.phashes = hashes.get(sighting.entity.id or "", [])
        if sighting.kind == "traveller":
            sighting.legs = legs.get(str(sighting.entity.id), [])
    return TracingInput(reports, sightings, hashes)


def _legs_by_traveller(
    trips: Sequence[EntityProxy], airports: dict[str, str]
) -> dict[str, list[FlightLeg]]:
    """Each traveller's flights (the Trips that involve them), in departure order."""
    out: dict[str, list[FlightLeg]] = {}
    for trip in trips:
        flight = next(
            (k.split(":", 1)[1] for k in trip.get("keywords") if k.startswith("flight:")),
            trip.first("name") or "",
        )
        start, end = trip.first("startLocation") or "", trip.first("endLocation") or ""
        leg = FlightLeg(
            flight,
            airports.get(start, ""),
            trip.first("startDate") or "",
            airports.get(end, ""),
            trip.first("endDate") or "",
        )
        for person in trip.get("involved"):
            out.setdefault(person, []).append(leg)
    for journey in out.values():
        journey.sort(key=lambda leg: (leg.departure_time or leg.arrival_time, leg.flight))
    return out


def _collect_hashes(image: EntityProxy, hashes: dict[str, list[int]]) -> None:
    values = [v[len(PHASH_PREFIX) :] for v in image.get("keywords") if v.startswith(PHASH_PREFIX)]
    parsed = []
    for value in values:
        try:
            parsed.append(int(value, 16))
        except ValueError:
            continue
    for parent in (*image.get("parent"), *image.get("proof", quiet=True)):
        hashes.setdefault(parent, []).extend(parsed)

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

from followthemoney.proxy import EntityProxy
from sqlalchemy import Connection

from threadline.model.collections import Collection, CollectionKind
from threadline.model.missing import is_missing_report
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


@dataclass
class Sighting:
    """Something that may be the missing person: a record or an ad."""

    entity: EntityProxy
    collection: Collection
    kind: str
    phashes: list[int] = field(default_factory=list)

    @property
    def when(self) -> PartialDate | None:
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
    for item in collections:
        assert item.id is not None
        for entity in iter_collection_entities(conn, item.id):
            if entity.schema.is_a("Image"):
                _collect_hashes(entity, hashes)
            elif entity.schema.is_a("Person"):
                if is_report(entity, item):
                    reports.append((entity, item))
                else:
                    kind = SIGHTING_KINDS.get(item.kind, "agency_record")
                    sightings.append(Sighting(entity, item, kind))
            elif entity.schema.name in ("HyperText", "Document"):
                sightings.append(Sighting(entity, item, "ad"))
    for sighting in sightings:
        sighting.phashes = hashes.get(sighting.entity.id or "", [])
    return TracingInput(reports, sightings, hashes)


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

"""Passports, the documents victims travel on, and travel_documents.csv (stolen and lost)."""

from __future__ import annotations

import csv
import random
import string
from datetime import timedelta
from pathlib import Path

from threadline.simulation.config import BASE_DATE, stream
from threadline.simulation.geography import COUNTRIES
from threadline.simulation.world import World

SLTD_COLUMNS = (
    "issuing_country",
    "document_type",
    "document_number",
    "status",
    "reported_on",
    "reporting_agency",
)
_ALPHA3 = {c.code: c.alpha3 for c in COUNTRIES}
_LETTERS = string.ascii_uppercase


def passport_number(rng: random.Random, country: str) -> str:
    """A document number in a format plausible for the issuing country (ICAO: up to 9)."""
    if country in ("US", "GB", "AU", "CA"):
        return f"{rng.randrange(10**9):09d}"
    letters = _LETTERS[rng.randrange(26)] + _LETTERS[rng.randrange(26)]
    return f"{letters}{rng.randrange(10**7):07d}"


def plan_documents(world: World) -> None:
    """Give members and victims passports; decide who travels on a listed document."""
    rng = stream(world.config.seed, "documents")
    for net in world.networks:
        forger = any(m.role == "document_forger" for m in net.members)
        for m in net.members:
            m.passport = passport_number(rng, m.person.nationality)
        for v in net.victims:
            v.passport = passport_number(rng, v.person.nationality)
            v.travel_document = v.passport
            if rng.random() < (0.25 if forger else 0.06):
                # A stolen blank filled in with the victim's details, or someone else's passport.
                v.travel_document = passport_number(rng, v.person.nationality)
                v.travel_document_status = rng.choice(("stolen_blank", "stolen"))
            elif rng.random() < 0.2:
                # Passport taken by the exploiters; the family or consulate reports it lost.
                v.passport_reported = "lost"


def write_sltd(world: World, root: Path) -> int:
    """Write travel_documents.csv: the plan's listed documents in a larger background."""
    rng = stream(world.config.seed, "sltd")
    rows: list[tuple[str, str, str, str, str, str]] = []
    for v in world.victims:
        country = _ALPHA3[v.person.nationality]
        if v.travel_document_status:
            day = v.recruited_on - timedelta(days=rng.randint(30, 700))
            rows.append(_row(country, v.travel_document, v.travel_document_status, day, rng, "P"))
        if v.passport_reported:
            day = v.recruited_on + timedelta(days=rng.randint(40, 300))
            rows.append(_row(country, v.passport, v.passport_reported, day, rng, "P"))
    background = max(200, world.config.travellers // 20)
    codes = [c.code for c in world.countries]
    for _ in range(background):
        code = rng.choice(codes)
        status = rng.choices(("lost", "stolen", "revoked", "stolen_blank"), (55, 30, 10, 5))[0]
        day = BASE_DATE - timedelta(days=rng.randint(0, 3000))
        rows.append(_row(_ALPHA3[code], passport_number(rng, code), status, day, rng))
    rng.shuffle(rows)
    with (root / "travel_documents.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(SLTD_COLUMNS)
        writer.writerows(rows)
    return len(rows)


def _row(
    country: str, number: str, status: str, day: object, rng: random.Random, doc_type: str = ""
) -> tuple[str, str, str, str, str, str]:
    doc_type = doc_type or ("P" if rng.random() < 0.9 else "I")
    agency = f"{country} {rng.choice(('Police', 'Immigration', 'Passport Office', 'Consulate'))}"
    return (country, doc_type, number, status, str(day), agency)

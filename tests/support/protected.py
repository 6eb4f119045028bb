"""A world where a watchlist entry and a tracing sighting are people with victim records.

Sweden's bureau (NCB Stockholm) owns two victim records:

- the person on a red-notice-style watchlist entry (``wl-red-4471``), who was
  compelled to carry drugs: screening must show her as a protected person;
- the person identified in a German raid (``raid-rec-5521``, a record of the raid
  that the bureau holds in its own collection of identified persons, since a victim
  record may only link records its agency holds), reported missing by the bureau
  (``se-report-0193``, linked as the record's missing-person report): tracing must
  show her, and the report, by pseudonym.

Users: a border officer and an analyst of the bureau, the bureau's victim liaison
officer (who also screens and traces), and France's victim liaison officer.
"""

from __future__ import annotations

from dataclasses import dataclass

from followthemoney import model
from followthemoney.proxy import EntityProxy

from support.population import add, background, person
from threadline.governance import SYSTEM, Actor, Role
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.screening.sources import clear_cache
from threadline.store import Store
from threadline.tracing import run_tracing
from threadline.victims import build_intake, create_victim, link_missing_report

PASSWORD = "a long enough password"
BUREAU, COUNTRY = "NCB Stockholm", "SE"
USERS = {
    "sv-officer": (BUREAU, ["border_officer"]),
    "sv-analyst": (BUREAU, ["analyst"]),
    "sv-liaison": (BUREAU, ["victim_liaison", "analyst"]),
    "fr-liaison": ("NCB Paris", ["victim_liaison", "analyst"]),
}
WATCHED = "wl-red-4471"
SIGHTED = "raid-rec-5521"
REPORT = "se-report-0193"
# Typed by the officer: a variant spelling, the birth year only, no document.
QUERY = {"name": "Danijela Ortego Vaskes", "dob": "1996", "nationality": "CO"}
# Values of the two people that only the owning bureau's liaison officer may see.
SCREENING_SECRETS = ["Ortega", "ORTEGA", "Vasquez", "1996-08-19", "X4471902", WATCHED]
TRACING_SECRETS = ["Marklund", "MARKLUND", "Elin", "2008-02", "Reeperbahn", SIGHTED, REPORT]


@dataclass(frozen=True)
class Protected:
    watched: str  # pseudonym of the watchlist entry's victim record
    sighted: str  # pseudonym of the raid record's victim record


def _ad(ident: str, text: str, posted: str, place: str) -> EntityProxy:
    ad = model.make_entity("HyperText")
    ad.id = ident
    ad.add("title", "New girl")
    ad.add("bodyText", text)
    ad.add("publishedAt", posted)
    ad.add("address", place)
    return ad


def build(store: Store) -> Protected:
    """Collections, users, the two victim records and a tracing run."""
    clear_cache()
    with store.begin() as conn:
        create_agency(conn, BUREAU, COUNTRY)
        create_agency(conn, "NCB Paris", "FR")
        for name, (agency, roles) in USERS.items():
            create_user(conn, name, agency, parse_roles(roles), PASSWORD)
    watched = person(
        WATCHED,
        "Daniela Ortega Vasquez",
        "1996-08-19",
        "female",
        passportNumber="X4471902",
        nationality="co",
        topics="wanted",
    )
    add(store, "notices", [watched], kind="notices", agency=BUREAU, country=COUNTRY)
    add(store, "registry", background(200), agency=BUREAU, country=COUNTRY)
    add(
        store,
        "se-missing",
        [person(REPORT, "Elin Marklund", "2008-02-11", "female", country="se")],
        kind="missing-persons",
        agency=BUREAU,
        country=COUNTRY,
    )
    raid = person(
        SIGHTED,
        "Marklund Elin",
        "2008-02",
        "female",
        notes=["Identified in a raid in Hamburg on 2025-04-28."],
        address="Reeperbahn 12, Hamburg",
    )
    # Germany's raid identification, as received and held by the bureau itself.
    add(
        store,
        "se-raid-referrals",
        [raid],
        kind="identified-persons",
        agency=BUREAU,
        country=COUNTRY,
    )
    ads = [_ad("ad-7701", "Elin Marklund, 17 yo, new in town", "2025-03-02", "Berlin")]
    add(store, "ads", ads, kind="ads", agency="BKA", country="DE")
    liaison = Actor("sv-liaison", BUREAU, COUNTRY, frozenset({Role.VICTIM_LIAISON}))
    with store.begin() as conn:
        first = create_victim(
            conn,
            liaison,
            build_intake(
                identified_on="2025-02-01",
                identified_how="border",
                identified_country="SE",
                personal={"name": "Daniela Ortega Vasquez", "documents": ["X4471902"]},
                entity_ids=[WATCHED],
                compelled_offences=["drug courier"],
            ),
        )
        second = create_victim(
            conn,
            liaison,
            build_intake(
                identified_on="2025-04-28",
                identified_how="raid",
                identified_country="DE",
                personal={"name": "Elin Marklund", "date_of_birth": "2008-02-11"},
                entity_ids=[SIGHTED],
                minor=True,
            ),
        )
        link_missing_report(conn, liaison, second.pseudonym, REPORT, "SE")
    run_tracing(store, SYSTEM.for_purpose("victim_identification"))
    return Protected(first.pseudonym, second.pseudonym)

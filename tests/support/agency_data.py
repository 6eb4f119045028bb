"""The records of the two-agency world (see :mod:`support.agencies`), and loading them.

Every record is a realistic FtM entity (or a manifest row) with values chosen to be
unique in the world, so that a marker found in an answer can only have come from the
record it was planted in.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy

from support.agencies import (
    AGENCY_OF,
    CASE_COMPANY,
    CASE_FILE,
    CASE_MARKERS,
    CASE_PASSPORT,
    DEPARTURE,
    FLIGHT,
    FR_ADS,
    FR_CASES,
    FR_MISSING,
    FR_NOTICES,
    FR_OWN,
    MANIFEST_FILE,
    MANIFEST_MARKERS,
    PASSWORD,
    RED,
    RED_BORN,
    RED_NAME,
    ROLE_OF,
    SUSPECT,
    SUSPECT_ALIAS,
    SUSPECT_TWIN,
    USERS,
    VICTIM,
    VICTIM_BORN,
    VICTIM_DOCUMENT,
    VICTIM_MARKERS,
    VICTIM_NAME,
    VICTIM_PASSPORT,
    VICTIM_PHONE,
    YELLOW,
)
from support.population import FIRST, LAST
from threadline.governance.identity import create_agency, create_user, issue_token
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection


def _entity(schema: str, ident: str, **props: Any) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = ident
    for prop, values in props.items():
        for value in values if isinstance(values, list) else [values]:
            entity.add(prop, value)
    return entity


def _background(prefix: str, count: int, seed: int) -> list[EntityProxy]:
    """People nobody protects, so that linkage has a population to learn from."""
    rnd = random.Random(seed)
    people = []
    for i in range(count):
        name = f"{rnd.choice(FIRST).title()} {rnd.choice(LAST).title()}"
        born = f"{rnd.randint(1960, 2005)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        gender = rnd.choice(["male", "female"])
        people.append(
            _entity("Person", f"{prefix}{i:04d}", name=name, birthDate=born, gender=gender)
        )
    return people


def _ad(ident: str, title: str, text: str, phone: str, posted: str) -> EntityProxy:
    return _entity(
        "HyperText",
        ident,
        title=title,
        bodyText=text,
        phoneMentioned=phone,
        publishedAt=posted,
        address="Malmo",
    )


def _case_file() -> list[EntityProxy]:
    return [
        _entity(
            "Person",
            SUSPECT,
            name="Torvald Quennerstedt",
            birthDate="1971-10-03",
            gender="male",
            nationality="se",
            phone="+447700900417",
            passportNumber="QX7741029",
        ),
        _entity(
            "Person", SUSPECT_TWIN, name="Torvald Quennerstedt", birthDate="1971-10", gender="male"
        ),
        # Only a birth year: a pair for the review queue.
        _entity(
            "Person", SUSPECT_ALIAS, name="Torvald Quennerstedt", birthDate="1971", gender="male"
        ),
        _entity("Passport", CASE_PASSPORT, holder=SUSPECT, number="QX7741029", country="se"),
        _entity("Company", CASE_COMPANY, name="Brannvik Staffing AB", country="se"),
        _entity(
            "Payment",
            "se-case-8841-pay1",
            payer=CASE_COMPANY,
            beneficiary=SUSPECT,
            amount="4200",
            date="2025-11-02",
        ),
    ]


def _identified() -> list[EntityProxy]:
    return [
        _entity(
            "Person",
            VICTIM,
            name=VICTIM_NAME,
            birthDate=VICTIM_BORN,
            gender="female",
            nationality="md",
            phone=VICTIM_PHONE,
            passportNumber=VICTIM_DOCUMENT,
            notes="Identified in a raid in Malmo on 2025-11-20.",
        ),
        _entity("Passport", VICTIM_PASSPORT, holder=VICTIM, number=VICTIM_DOCUMENT, country="md"),
        _entity(
            "Person",
            "se-idp-5191",
            name="Signe Ahlborg",
            birthDate="1994-05-30",
            gender="female",
            notes="Identified at Malmo central station on 2025-10-02.",
        ),
        *_background("se-idp-bg", 20, seed=11),
    ]


def _notices() -> list[EntityProxy]:
    return [
        _entity(
            "Person",
            YELLOW,
            name=VICTIM_NAME,
            # The year only and no nationality: linkage puts the pair up for review.
            birthDate=VICTIM_BORN[:4],
            gender="female",
            keywords="notice:yellow",
            notes="Yellow notice: missing since 2025-06-01.",
        ),
        _red_notice(),
        _entity(
            "Person",
            "interpol-red-2022-10552",
            name="Kasimir Dolgaru",
            birthDate="1969-02-11",
            gender="male",
            topics="wanted",
            keywords="notice:red",
        ),
    ]


def _red_notice() -> EntityProxy:
    return _entity(
        "Person",
        RED,
        name=RED_NAME,
        birthDate=RED_BORN,
        gender="male",
        nationality="ua",
        topics="wanted",
        keywords="notice:red",
    )


def _ads() -> list[EntityProxy]:
    ring = "+447700900731"
    return [
        _ad(
            "se-ad-3001",
            "New girl in town",
            "Sweet young girl, new in town, only this week. Call 07700 900283.",
            VICTIM_PHONE,
            "2025-11-10",
        ),
        *[
            _ad(
                f"se-ad-30{i:02d}",
                "Hostess work abroad",
                f"Hostess wanted, travel and visa paid, no experience, leave this week ({i}).",
                ring,
                f"2025-11-{i:02d}",
            )
            for i in range(2, 7)
        ],
    ]


def _missing() -> list[EntityProxy]:
    return [
        _entity(
            "Person",
            "se-mp-0412",
            name="Signe Ahlborg",
            birthDate="1994-05-30",
            gender="female",
            notes="Reported missing on 2025-08-14.",
        )
    ]


def _fr_entities() -> dict[str, list[EntityProxy]]:
    return {
        FR_CASES: [
            _entity(
                "Person", FR_OWN, name="Maelys Renaudin", birthDate="1990-07-21", gender="female"
            ),
            _entity("Person", "fr-case-2207-p2", name="Gaspard Lemoine", birthDate="1983-03-04"),
            # B's case joins the red notice: B's network around it carries its risk evidence.
            _entity(
                "UnknownLink",
                "fr-case-2207-l1",
                subject="fr-case-2207-p2",
                object=RED,
                role="recruiter for",
            ),
            *_background("fr-bg", 40, seed=23),
        ],
        FR_NOTICES: [_red_notice()],
        FR_ADS: [
            _ad(
                f"fr-ad-40{i:02d}",
                "Travail hotesse",
                f"Hotesse, voyage paye, sans experience ({i}).",
                "+33639980044",
                f"2025-10-{i:02d}",
            )
            for i in range(1, 5)
        ],
        FR_MISSING: [
            _entity(
                "Person",
                "fr-mp-0090",
                name="Maelys Renaudin",
                birthDate="1990-07-21",
                gender="female",
                notes="Reported missing on 2025-05-03.",
            )
        ],
    }


MANIFEST_ROWS = [
    # record, booking, surname, given names, sex, born, nationality, document, country
    ("R001", "BKZQ77", "ORLENKO", "VADIM", "M", RED_BORN, "UKR", "PT5520917", "UKR"),
    ("R002", "BKZQ77", "BRENNQUIST", "HALVARD", "M", "1988-01-19", "SWE", "SE6120044", "SWE"),
    ("R003", "BKZQ78", "VARNEMYR", "OTTILIE", "F", "2010-12-05", "SWE", "SE6120871", "SWE"),
]


def write_manifest(path: Path) -> Path:
    from threadline.ingest.readers.manifests import CSV_COLUMNS

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for record, booking, surname, given, sex, born, nat, number, issuer in MANIFEST_ROWS:
            writer.writerow(
                [FLIGHT, "ARN", f"{DEPARTURE}T07:40:00", "CDG", f"{DEPARTURE}T10:25:00",
                 record, booking, surname, given, sex, born, nat, "P", number, issuer,
                 "2031-01-01", "+44 7700 900561", ""]
            )  # fmt: skip
    return path


def _collection(
    store: Store, name: str, kind: str, side: str, sharing: str, watchlist: bool = False
) -> None:
    agency, country = AGENCY_OF[side]
    with store.begin() as conn:
        create_collection(
            conn,
            build_collection(
                name,
                kind=kind,
                owner_agency=agency,
                owner_country=country,
                sharing=sharing,
                watchlist=watchlist,
            ),
        )


def _ingest(store: Store, folder: Path, name: str, entities: list[EntityProxy], user: str) -> None:
    path = folder / f"{name}.ftm.jsonl"
    path.write_bytes(b"".join(orjson.dumps(e.to_dict()) + b"\n" for e in entities))
    ingest_file(store, path, name, user=user)


COLLECTIONS: list[tuple[str, str, str, str, bool]] = [
    # name, kind, owner, sharing, watchlist
    (CASE_FILE, "case-records", "se", "owner", False),
    ("se-identified", "identified-persons", "se", "all", False),
    ("se-notices", "notices", "se", "all", True),
    ("se-ads", "ads", "se", "all", False),
    ("se-missing", "missing-persons", "se", "all", False),
    ("se-registry", "other", "se", "all", False),
    (MANIFEST_FILE, "manifests", "se", "owner", False),
    (FR_CASES, "case-records", "fr", "owner", False),
    (FR_NOTICES, "notices", "fr", "owner", True),
    (FR_ADS, "ads", "fr", "owner", False),
    (FR_MISSING, "missing-persons", "fr", "owner", False),
]


def create_people(store: Store) -> dict[str, str]:
    tokens: dict[str, str] = {}
    with store.begin() as conn:
        for agency, country in AGENCY_OF.values():
            create_agency(conn, agency, country)
        for user in USERS:
            side, short = user.split("-", 1)
            create_user(conn, user, AGENCY_OF[side][0], frozenset({ROLE_OF[short]}), PASSWORD)
            tokens[user] = issue_token(conn, user, "security-suite")
    return tokens


def load_data(store: Store, folder: Path) -> Path:
    for name, kind, side, sharing, watchlist in COLLECTIONS:
        _collection(store, name, kind, side, sharing, watchlist)
    data = {
        CASE_FILE: _case_file(),
        "se-identified": _identified(),
        "se-notices": _notices(),
        "se-ads": _ads(),
        "se-missing": _missing(),
        "se-registry": _background("se-bg", 160, seed=7),
        **_fr_entities(),
    }
    _no_marker_in_the_crowd(data)
    for name, entities in data.items():
        _ingest(store, folder, name, entities, "se-admin" if name.startswith("se-") else "fr-admin")
    manifest = write_manifest(folder / "paxlst-0314.csv")
    ingest_file(store, manifest, MANIFEST_FILE, user="se-officer")
    return manifest


def _no_marker_in_the_crowd(data: dict[str, list[EntityProxy]]) -> None:
    """A marker found in a background record would be reported as a leak: none may be."""
    markers = [*CASE_MARKERS, *VICTIM_MARKERS, *MANIFEST_MARKERS]
    for name, entities in data.items():
        for entity in entities:
            if str(entity.id).startswith(("se-bg", "se-idp-bg", "fr-bg")):
                text = orjson.dumps(entity.to_dict()).decode()
                found = [m for m in markers if m.lower() in text.lower()]
                assert not found, f"background record {entity.id} in {name} holds {found}"

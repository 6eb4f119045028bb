"""Two agencies, one platform: the world the security suite attacks.

Sweden's bureau (A, ``NCB Stockholm``) and France's bureau (B, ``NCB Paris``) each
have one user per role. A holds:

- an owner-only case file (``se-case-8841``): a suspect, his near-duplicate, his
  passport, a company and a payment;
- a girl identified in a raid (``se-idp-5190``, in identified persons shared with
  all) whom A's victim liaison officer recorded as a (minor) victim; her yellow
  notice (``se-yellow-2025-3356``, in A's notices shared with all) is linked as the
  record's missing-person report, and her phone is on an ad A shares with all;
- a red notice (``interpol-red-2023-41877``) that B holds a copy of, under the same id;
- an owner-only passenger manifest (flight ``ZQ4417``) screened by A's border officer
  in operation ``OP-NORDLYS-26``: one traveller matches the red notice;
- ads analysed, linkage run and judged, tracing run and networks built by A.

B holds its own owner-only cases, ads, missing-person reports, a copy of the red
notice, and a victim record of its own.

Every value that only some actors may see is a *marker*: a string unique in the
world, so it can be looked for in any output. :class:`Markers` says who may see what.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy

from support.population import FIRST, LAST
from threadline.governance import Actor, Role
from threadline.governance.identity import create_agency, create_user, issue_token
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection, get_collection
from threadline.store.statements import iter_collection_entities

PASSWORD = "correct horse battery staple"
SE_AGENCY, FR_AGENCY = "NCB Stockholm", "NCB Paris"
ROLE_OF = {
    "analyst": Role.ANALYST,
    "officer": Role.BORDER_OFFICER,
    "coordinator": Role.OPERATION_COORDINATOR,
    "liaison": Role.VICTIM_LIAISON,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMINISTRATOR,
}
AGENCY_OF = {"se": (SE_AGENCY, "SE"), "fr": (FR_AGENCY, "FR")}
USERS = [f"{side}-{short}" for side in AGENCY_OF for short in ROLE_OF]
ANONYMOUS = "anonymous"
ACTORS = [*USERS, ANONYMOUS]
SE_LIAISON = "se-liaison"

# A's owner-only case file.
CASE_FILE = "se-case-8841"
SUSPECT, SUSPECT_TWIN, SUSPECT_ALIAS = "se-case-8841-p1", "se-case-8841-p2", "se-case-8841-p3"
CASE_PASSPORT, CASE_COMPANY = "se-case-8841-doc1", "se-case-8841-org1"
CASE_MARKERS = {
    "Quennerstedt": "suspect's surname",
    "1971-10-03": "suspect's birth date",
    "QX7741029": "suspect's passport number",
    "+447700900417": "suspect's phone",
    "7700900417": "suspect's phone (national digits)",
    "Brannvik Staffing": "case company's name",
    CASE_FILE: "owner-only collection's name",
}
# The victim A's liaison recorded, and her yellow notice.
VICTIM, VICTIM_PASSPORT = "se-idp-5190", "se-idp-5190-pp"
YELLOW = "se-yellow-2025-3356"
VICTIM_NAME, VICTIM_BORN = "Liora Zyxquorra", "2009-04-17"
VICTIM_DOCUMENT, VICTIM_PHONE = "VZ3308152", "+447700900283"
VICTIM_MARKERS = {
    "Zyxquorra": "victim's surname",
    VICTIM_BORN: "victim's birth date",
    VICTIM_DOCUMENT: "victim's passport number",
    VICTIM_PHONE: "victim's phone",
    "7700900283": "victim's phone (national digits)",
    "7700 900283": "victim's phone (as written in the ad)",
    VICTIM: "victim's entity id",
    YELLOW: "victim's yellow notice id",
}
# The owner-only manifest A's border officer screened.
FLIGHT, DEPARTURE = "ZQ4417", "2026-03-14"
RED = "interpol-red-2023-41877"
RED_NAME, RED_BORN = "Vadim Orlenko", "1979-06-02"
MANIFEST_FILE = "se-manifests"
MANIFEST_MARKERS = {
    FLIGHT: "manifest's flight number",
    "Brennquist": "traveller's surname",
    "Varnemyr": "traveller's surname",
    "PT5520917": "matching traveller's passport number",
    "BKZQ77": "booking reference",
    "BKZQ78": "booking reference",
    "+447700900561": "booking contact phone",
    "7700900561": "booking contact phone (national digits)",
    MANIFEST_FILE: "owner-only collection's name",
}
OPERATION = "OP-NORDLYS-26"
# B's own collections and victim record.
FR_CASES, FR_NOTICES, FR_ADS, FR_MISSING = "fr-cases", "fr-notices", "fr-ads", "fr-missing"
FR_OWN = "fr-case-2207-p1"
MISSING_ID = "no-such-entity-0000"


@dataclass(frozen=True)
class Marker:
    value: str
    what: str
    kind: str  # "case", "manifest" (A's users only) or "victim" (A's victim liaison only)

    def may_reach(self, actor: str) -> bool:
        if self.kind == "victim":
            return actor == SE_LIAISON
        return actor.startswith("se-")


@dataclass
class World:
    """The built world: where it is, who acts in it, and what only some may see."""

    db: Path
    folder: Path
    tokens: dict[str, str]
    markers: list[Marker]
    pseudonym: str  # A's victim record (her pseudonym may be shown to anyone)
    fr_pseudonym: str  # B's own victim record
    manifest: Path
    audit_head: int  # last audit event written while building
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, user: str) -> Actor:
        side, short = user.split("-", 1)
        agency, country = AGENCY_OF[side]
        return Actor(user, agency, country, frozenset({ROLE_OF[short]}))

    def leaks(self, actor: str, text: str, asked: str = "") -> list[Marker]:
        """Markers in ``text`` the actor may not see (those the actor typed excepted)."""
        low, typed = text.lower(), asked.lower()
        return [
            m
            for m in self.markers
            if not m.may_reach(actor) and m.value.lower() in low and m.value.lower() not in typed
        ]


def _entity(schema: str, ident: str, **props: Any) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = ident
    for prop, values in props.items():
        for value in values if isinstance(values, list) else [values]:
            entity.add(prop, value)
    return entity


def _background(prefix: str, count: int, seed: int) -> list[EntityProxy]:
    """People nobody protects, so that linkage has a population to learn from."""
    import random

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


def owner_only_ids(store: Store) -> list[str]:
    """Every entity id in A's owner-only collections (each one a marker)."""
    ids = []
    with store.connect() as conn:
        for name in (CASE_FILE, MANIFEST_FILE):
            found = get_collection(conn, name)
            assert found.id is not None
            ids += [str(e.id) for e in iter_collection_entities(conn, found.id)]
    return ids

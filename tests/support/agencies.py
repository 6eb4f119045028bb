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
world, so it can be looked for in any output. :class:`Marker` says who may see it.
The records themselves are in :mod:`support.agency_data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadline.governance import Actor, Role
from threadline.store import Store
from threadline.store.collections import get_collection
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


def owner_only_ids(store: Store) -> list[str]:
    """Every entity id in A's owner-only collections (each one a marker)."""
    ids = []
    with store.connect() as conn:
        for name in (CASE_FILE, MANIFEST_FILE):
            found = get_collection(conn, name)
            assert found.id is not None
            ids += [str(e.id) for e in iter_collection_entities(conn, found.id)]
    return ids

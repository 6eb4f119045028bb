"""Victim-risk indicators on a passenger manifest, worded as safeguarding referrals.

Each indicator is a reason to offer a traveller a safeguarding interview
(UNODC and Frontex VEGA indicators: a minor without a parent or guardian, a
group of young unrelated travellers booked by one contact, a booking contact
seen in high-risk ads, a missing-person notice, a listed or newly issued
document). None of them is suspicion of the traveller; the wording says so.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from threadline.ingest.readers.manifests import TravelRecord, traveller_id
from threadline.primitives.name_compare import compare_tokens
from threadline.primitives.names import part_token
from threadline.screening.documents import DocumentHit
from threadline.screening.watchlist import ScreeningHit

ADULT_AGE = 18
YOUNG_MAX_AGE = 25  # "young" travellers in the group indicator
YOUNG_MIN_AGE = 13
MIN_GROUP = 3  # young, mutually unrelated travellers on one booking or contact
MIN_YOUNG_SHARE = 0.5  # of the group: tour groups of all ages do not qualify
WORKING_AGE_MAX = 45  # the oldest traveller a recruiter's party is taken to hold
MIN_PARTY_SHARE = 0.75  # of a booking: mixed-age tours and families do not qualify
PARENT_AGE_GAP = 14
FAMILY_NAME_AGREES = 0.8  # the name matcher's score at which two surnames are one name
SUPERVISED_MINORS = 6  # a booking of this many minors or more with its adults ...
SUPERVISED_ADULTS = 2  # ... at least this many, one per SUPERVISED_RATIO minors at most,
SUPERVISED_RATIO = 12  # all of one nationality: a school trip or team with its staff
RECENT_ISSUE_DAYS = 30
REFERRAL = "consider a safeguarding interview: "

# Indicator ids and weights (how strongly each suggests a safeguarding need).
WEIGHTS = {
    "minor_without_guardian": 0.8,
    "young_unrelated_group": 0.6,
    "third_party_group": 0.4,
    "contact_in_high_risk_ads": 0.7,
    "yellow_notice_match": 0.9,
    "protected_person_match": 0.9,  # a recorded victim (see screening.protection)
    "document_listed": 0.5,
    "document_recently_issued": 0.3,
}


@dataclass(frozen=True)
class VictimIndicator:
    """One safeguarding indicator for one traveller, with its evidence."""

    indicator: str
    record: TravelRecord
    referral: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        return WEIGHTS[self.indicator]

    @property
    def traveller_id(self) -> str:
        return traveller_id(self.record)

    def contribution(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "weight": self.weight,
            "detail": self.referral,
            "evidence": self.evidence,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "record_id": self.record.record_id,
            "traveller_id": self.traveller_id,
            "weight": self.weight,
            "referral": self.referral,
            "evidence": self.evidence,
        }


def _surnames(record: TravelRecord) -> set[str]:
    return {p for p in record.surname.upper().replace("-", " ").split() if len(p) > 1}


@lru_cache(maxsize=16_384)
def _family_names_agree(left: str, right: str) -> bool:
    """Whether two surnames can be one family's: a part in common, or one name as the
    name matcher compares it (a family's passports may romanise it differently: Mansour,
    Mansur, Mansoor), or a man's and a woman's form of it (Kuznetsov, Kuznetsova)."""
    if left == right:
        return True
    a, b = part_token(_joined(left)), part_token(_joined(right))
    if a is None or b is None:
        return False
    score, reason = compare_tokens(a, b)
    return score >= FAMILY_NAME_AGREES or reason == "distinct"


def _joined(surname: str) -> str:
    return "".join(surname.replace("-", " ").split())


def _same_family(left: TravelRecord, right: TravelRecord) -> bool:
    return bool(_surnames(left) & _surnames(right)) or _family_names_agree(
        left.surname.upper(), right.surname.upper()
    )


def _families(records: Sequence[TravelRecord]) -> list[TravelRecord]:
    """One traveller per family name among ``records`` (in order; see _same_family)."""
    out: list[TravelRecord] = []
    for item in records:
        if not any(_same_family(item, other) for other in out):
            out.append(item)
    return out


def _booking_groups(records: Sequence[TravelRecord]) -> dict[tuple[str, ...], list[TravelRecord]]:
    groups: dict[tuple[str, ...], list[TravelRecord]] = defaultdict(list)
    for item in records:
        if item.booking_ref:
            groups[(item.flight, item.departure_time[:10], item.booking_ref)].append(item)
    return groups


def _declares(adult: TravelRecord, minor: TravelRecord) -> bool:
    relation = f"{adult.relation} {minor.relation}".lower()
    return bool(relation.strip()) and (
        minor.record_id.lower() in adult.relation.lower()
        or adult.record_id.lower() in minor.relation.lower()
        or any(w in relation for w in ("parent", "mother", "father", "guardian"))
    )


def _age(record: TravelRecord) -> int:
    return record.age_at_departure() or 0


def _adults_and_minors(
    members: Sequence[TravelRecord],
) -> tuple[list[TravelRecord], list[TravelRecord]]:
    """The adults and the minors among ``members`` (a traveller of unknown age is neither
    a minor nor, for a guardian's purposes, an adult)."""
    adults = [m for m in members if _age(m) >= ADULT_AGE]
    minors = [m for m in members if m.age_at_departure() is not None and _age(m) < ADULT_AGE]
    return adults, minors


def _parent_by_other_name(adults: list[TravelRecord], minors: list[TravelRecord]) -> bool:
    """One adult with children who are siblings (one surname among them), of the adult's
    nationality and young enough to be the adult's children: a parent travelling with
    children who carry the other parent's surname, the commonest reason a child's surname
    differs from the accompanying adult's."""
    return (
        len(adults) == 1
        and len(_families(minors)) == 1
        and all(
            m.nationality == adults[0].nationality and _age(adults[0]) - _age(m) >= PARENT_AGE_GAP
            for m in minors
        )
    )


def _supervised_group(adults: list[TravelRecord], minors: list[TravelRecord]) -> bool:
    """Many minors with several adults of their nationality (a school trip, a team with its
    staff): the adults are their carers by role, not by family name."""
    people = adults + minors
    return (
        len(minors) >= SUPERVISED_MINORS
        and len(adults) >= SUPERVISED_ADULTS
        and len(adults) * SUPERVISED_RATIO >= len(minors)
        and len({p.nationality for p in people}) == 1
    )


def minors_without_guardian(records: Sequence[TravelRecord]) -> list[VictimIndicator]:
    """A minor with no same-booking adult who plausibly is a parent or guardian.

    A plausible guardian shares the minor's surname (and is old enough to be a parent) or
    declares a relation; so does the one adult of parental age and the same nationality
    travelling with siblings of another surname, and the adults of a supervised group."""
    found = []
    groups = _booking_groups(records)
    for item in records:
        age = item.age_at_departure()
        if age is None or age >= ADULT_AGE:
            continue
        booking = groups.get((item.flight, item.departure_time[:10], item.booking_ref), [item])
        adults, minors = _adults_and_minors(booking)
        guardians = [
            a
            for a in adults
            if _declares(a, item) or (_same_family(a, item) and _age(a) - age >= PARENT_AGE_GAP)
        ]
        if guardians or _parent_by_other_name(adults, minors) or _supervised_group(adults, minors):
            continue
        if adults:
            why = (
                f"a {age}-year-old travels on booking {item.booking_ref or '(none)'} with "
                f"{len(adults)} adult(s), none sharing the surname or declaring a relation"
            )
        else:
            why = (
                f"a {age}-year-old travels on booking {item.booking_ref or '(none)'} with no adult"
            )
        evidence = {"age": age, "booking_ref": item.booking_ref,
                    "adults_on_booking": [a.record_id for a in adults]}  # fmt: skip
        found.append(VictimIndicator("minor_without_guardian", item, REFERRAL + why, evidence))
    return found


def _contact_groups(records: Sequence[TravelRecord]) -> dict[tuple[str, str], list[TravelRecord]]:
    groups: dict[tuple[str, str], list[TravelRecord]] = defaultdict(list)
    for item in records:
        for kind, value in (("phone", normalise_phone(item.contact_phone)),
                            ("email", item.contact_email.strip().lower())):  # fmt: skip
            if value:
                groups[(kind, value)].append(item)
    return groups


def _words(text: str) -> list[str]:
    """Lower-case runs of letters: ``Camille.Roux03`` -> ``['camille', 'roux']``."""
    return re.findall(r"[^\W\d_]+", text.casefold())


def _booked_by_a_traveller(members: Sequence[TravelRecord]) -> bool:
    """The booking's contact e-mail address bears one of its travellers' names (a word of
    its local part starts or ends with a given name or surname of three letters or more):
    the party booked for itself, unlike a recruiter's or an agent's address."""
    words = {w for m in members if "@" in m.contact_email
             for w in _words(m.contact_email.split("@", 1)[0])}  # fmt: skip
    names = {n for m in members for n in _words(f"{m.given_names} {m.surname}") if len(n) >= 3}
    return any(w.startswith(n) or w.endswith(n) for w in words for n in names)


def young_unrelated_groups(records: Sequence[TravelRecord]) -> list[VictimIndicator]:
    """Several young, mutually unrelated travellers on one booking or one booking contact.

    A party on one booking is left alone when it booked for itself (its contact address
    bears a traveller's name) or is a supervised group of minors with their adults (a school
    trip); a contact shared across several bookings still counts."""
    flagged: dict[str, VictimIndicator] = {}
    candidates: list[tuple[str, str, list[TravelRecord]]] = [
        ("booking", key[2], members) for key, members in _booking_groups(records).items()
    ]
    candidates += [(kind, value, m) for (kind, value), m in _contact_groups(records).items()]
    for kind, key, members in candidates:
        unique = {m.record_id: m for m in members}
        if len({m.booking_ref for m in unique.values()}) == 1 and _one_party(list(unique.values())):
            continue
        young = [
            m
            for m in unique.values()
            if YOUNG_MIN_AGE <= (m.age_at_departure() or -1) <= YOUNG_MAX_AGE
        ]
        families = _families(young)
        if len(families) < MIN_GROUP or len(young) < MIN_YOUNG_SHARE * len(unique):
            continue
        ages = sorted(a for a in (m.age_at_departure() for m in young) if a is not None)
        why = (
            f"one of {len(young)} young travellers aged {ages[0]}-{ages[-1]} with "
            f"{len(families)} different surnames sharing one {kind} ({key})"
        )
        for m in young:
            if m.record_id not in flagged:
                evidence = {"shared": kind, "value": key, "group": sorted(unique),
                            "young": sorted(x.record_id for x in young)}  # fmt: skip
                flagged[m.record_id] = VictimIndicator(
                    "young_unrelated_group", m, REFERRAL + why, evidence
                )
    return list(flagged.values())


def _one_party(members: list[TravelRecord]) -> bool:
    """One booking's travellers that travel as a party of their own: booked by one of
    them, or minors supervised by their adults."""
    return _booked_by_a_traveller(members) or _supervised_group(*_adults_and_minors(members))


def third_party_groups(records: Sequence[TravelRecord]) -> list[VictimIndicator]:
    """Unrelated compatriots, none older than working age, booked together by a contact
    who is none of them.

    On one booking, the travellers of its commonest nationality aged up to 45 (minors
    included) from at least ``MIN_GROUP`` families, three quarters of the booking or more,
    with a contact (phone or e-mail) that bears none of their names: how recruiters book
    the people they move. A companion of another nationality (who may be travelling with
    the group rather than in it) is not referred by this indicator. A lawful recruiter
    books the same way, so the referral asks about the job rather than suspecting anyone."""
    found = []
    for members in _booking_groups(records).values():
        unique = list({m.record_id: m for m in members}.values())
        if not any(m.contact_phone.strip() or m.contact_email.strip() for m in unique):
            continue
        if _one_party(unique):
            continue
        nationality = Counter(m.nationality for m in unique).most_common(1)[0][0]
        party = [
            m
            for m in unique
            if m.nationality == nationality
            and m.age_at_departure() is not None
            and _age(m) <= WORKING_AGE_MAX
        ]
        families = _families(party)
        if len(families) < MIN_GROUP or len(party) < MIN_PARTY_SHARE * len(unique):
            continue
        ages = sorted(_age(m) for m in party)
        why = (
            f"one of {len(party)} travellers aged {ages[0]}-{ages[-1]} from {len(families)} "
            f"families on booking {unique[0].booking_ref}, booked together by a contact who "
            "is none of them (ask about the job or the stay, who paid and who holds the "
            "documents)"
        )
        evidence = {"booking_ref": unique[0].booking_ref, "nationality": nationality,
                    "group": sorted(m.record_id for m in unique),
                    "party": sorted(m.record_id for m in party)}  # fmt: skip
        found += [VictimIndicator("third_party_group", m, REFERRAL + why, evidence) for m in party]
    return found


def normalise_phone(value: str) -> str:
    """``+44 7700 900123`` -> ``+447700900123`` (digits with a leading plus)."""
    text = value.strip()
    digits = "".join(c for c in text if c.isdigit())
    return f"+{digits}" if digits and text.startswith(("+", "00")) else digits


def contacts_in_ads(
    records: Sequence[TravelRecord], risky: Mapping[str, Mapping[str, Any]]
) -> list[VictimIndicator]:
    """A booking contact (phone, email) that high-risk ads or personas carry."""
    found = []
    for item in records:
        for value in (normalise_phone(item.contact_phone), item.contact_email.strip().lower()):
            if value and value in risky:
                ads = risky[value]
                why = (
                    f"the booking contact {value} appears in high-risk ads (persona "
                    f"{ads['persona_id']}, risk {ads['risk']:.2f})"
                )
                found.append(
                    VictimIndicator("contact_in_high_risk_ads", item, REFERRAL + why, dict(ads))
                )
                break
    return found


def from_checks(
    records: Sequence[TravelRecord],
    person_hits: Mapping[str, list[ScreeningHit]],
    document_hits: Mapping[str, list[DocumentHit]],
) -> list[VictimIndicator]:
    """Yellow-notice matches, listed documents and newly issued documents."""
    found = []
    for item in records:
        for hit in person_hits.get(item.record_id, []):
            if hit.notice == "yellow" and hit.decision in ("match", "possible") and _dates_fit(hit):
                why = (
                    f"the traveller may be the subject of a missing-person (yellow) notice "
                    f"({hit.decision}, score {hit.score:.2f})"
                )
                evidence = {"watchlist_entity": hit.entity_id, "score": round(hit.score, 4)}
                found.append(VictimIndicator("yellow_notice_match", item, REFERRAL + why, evidence))
                break
        docs = document_hits.get(item.record_id, [])
        if docs:
            best = docs[0]
            why = (
                f"the travel document {best.document_number} is listed as {best.status} "
                f"({best.strength} hit): it may be held by someone else or fraudulent"
            )
            found.append(VictimIndicator("document_listed", item, REFERRAL + why, best.to_dict()))
        issued, departure = item.document_issued, item.departure_date
        if issued is not None and departure is not None:
            days = (departure - issued).days
            if 0 <= days <= RECENT_ISSUE_DAYS:
                why = f"the travel document was issued {days} days before travel"
                evidence = {"issued": issued.isoformat(), "days_before_travel": days}
                found.append(
                    VictimIndicator("document_recently_issued", item, REFERRAL + why, evidence)
                )
    return found


def _dates_fit(hit: ScreeningHit) -> bool:
    """A name twin born years apart is not the missing person (lists are exact on minors)."""
    return all(c.value > -0.5 for c in hit.explanation if c.feature == "birth_date")


def unchecked(records: Iterable[TravelRecord]) -> list[dict[str, str]]:
    """Indicators the data cannot support, said plainly rather than silently skipped."""
    notes = []
    if not any(r.document_issued for r in records):
        notes.append(
            {
                "indicator": "document_recently_issued",
                "reason": "cannot be checked: the manifest carries no document issue date",
            }
        )
    return notes

"""Victim-risk indicators on a passenger manifest, worded as safeguarding referrals.

Each indicator is a reason to offer a traveller a safeguarding interview
(UNODC and Frontex VEGA indicators: a minor without a parent or guardian, a
group of young unrelated travellers booked by one contact, a booking contact
seen in high-risk ads, a missing-person notice, a listed or newly issued
document). None of them is suspicion of the traveller; the wording says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.ingest.readers.manifests import TravelRecord, traveller_id
from threadline.screening.documents import DocumentHit
from threadline.screening.watchlist import ScreeningHit

ADULT_AGE = 18
YOUNG_MAX_AGE = 25  # "young" travellers in the group indicator
YOUNG_MIN_AGE = 13
MIN_GROUP = 3  # young, mutually unrelated travellers on one booking or contact
MIN_YOUNG_SHARE = 0.5  # of the group: tour groups of all ages do not qualify
PARENT_AGE_GAP = 14
RECENT_ISSUE_DAYS = 30
REFERRAL = "consider a safeguarding interview: "

# Indicator ids and weights (how strongly each suggests a safeguarding need).
WEIGHTS = {
    "minor_without_guardian": 0.8,
    "young_unrelated_group": 0.6,
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


def minors_without_guardian(records: Sequence[TravelRecord]) -> list[VictimIndicator]:
    """A minor with no same-booking adult who plausibly is a parent or guardian."""
    found = []
    groups = _booking_groups(records)
    for item in records:
        age = item.age_at_departure()
        if age is None or age >= ADULT_AGE:
            continue
        booking = groups.get((item.flight, item.departure_time[:10], item.booking_ref), [item])
        adults = [o for o in booking if (o.age_at_departure() or 0) >= ADULT_AGE]
        guardians = [
            a
            for a in adults
            if _declares(a, item)
            or (
                _surnames(a) & _surnames(item)
                and (a.age_at_departure() or 0) - age >= PARENT_AGE_GAP
            )
        ]
        if guardians:
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


def young_unrelated_groups(records: Sequence[TravelRecord]) -> list[VictimIndicator]:
    """Several young, mutually unrelated travellers on one booking or one booking contact."""
    flagged: dict[str, VictimIndicator] = {}
    candidates: list[tuple[str, str, list[TravelRecord]]] = [
        ("booking", key[2], members) for key, members in _booking_groups(records).items()
    ]
    candidates += [(kind, value, m) for (kind, value), m in _contact_groups(records).items()]
    for kind, key, members in candidates:
        unique = {m.record_id: m for m in members}
        young = [
            m
            for m in unique.values()
            if YOUNG_MIN_AGE <= (m.age_at_departure() or -1) <= YOUNG_MAX_AGE
        ]
        by_surname: dict[str, TravelRecord] = {}
        for m in young:
            by_surname.setdefault(m.surname.upper(), m)
        if len(by_surname) < MIN_GROUP or len(young) < MIN_YOUNG_SHARE * len(unique):
            continue
        ages = sorted(a for a in (m.age_at_departure() for m in young) if a is not None)
        why = (
            f"one of {len(young)} young travellers aged {ages[0]}-{ages[-1]} with "
            f"{len(by_surname)} different surnames sharing one {kind} ({key})"
        )
        for m in young:
            if m.record_id not in flagged:
                evidence = {"shared": kind, "value": key, "group": sorted(unique),
                            "young": sorted(x.record_id for x in young)}  # fmt: skip
                flagged[m.record_id] = VictimIndicator(
                    "young_unrelated_group", m, REFERRAL + why, evidence
                )
    return list(flagged.values())


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

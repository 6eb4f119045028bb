"""Screening results as one actor may see them: recorded victims protected, never suspects.

A watchlist candidate that is a recorded victim (see :mod:`threadline.governance.shield`)
keeps its score and decision, which say how well the query matches, and gains a
``protected`` block: the pseudonym, the label "protected person (possible victim)"
and whom to contact. It is never reported as a red-notice match: the summary
decision of a check whose only matches are protected people is
``protected_person``, not ``match``. For an actor who may not see the victim's
identity, the candidate also loses what would identify them: its entity id, its
notice colour and every compared value in the explanation (the points per
feature stay, so the score is still explained).

On a manifest, a traveller matching a recorded victim is a safeguarding
referral (``protected_person_match``), and a traveller who is a recorded
victim is listed by pseudonym, without their document number or contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from threadline.governance import Actor
from threadline.governance.shield import WITHHELD, VictimShield, victim_shield
from threadline.ingest.readers.manifests import TravelRecord, traveller_id
from threadline.screening.documents import DocumentHit
from threadline.screening.indicators import REFERRAL, VictimIndicator
from threadline.screening.watchlist import ScreeningHit

PROTECTED_DECISION = "protected_person"
_FLAGGED = ("match", "possible")


def shield_for(conn: Connection, actor: Actor, hits: Iterable[ScreeningHit]) -> VictimShield:
    """The victim shield over the candidates of one check."""
    return victim_shield(conn, actor, [h.entity_id for h in hits])


def withheld(contribution: dict[str, Any]) -> dict[str, Any]:
    """A feature's points without the compared values."""
    kept = {k: v for k, v in contribution.items() if k not in ("detail", "parts")}
    return {**kept, "detail": WITHHELD}


def present_hit(hit: ScreeningHit, shield: VictimShield) -> dict[str, Any]:
    """One candidate as the actor may see it."""
    data = hit.to_dict()
    protected = shield.about(hit.entity_id)
    if protected is None:
        return data
    data["protected"] = protected
    if shield.hides(hit.entity_id):
        data["entity_id"] = None
        data["notice"] = None
        data["explanation"] = [withheld(c.to_dict()) for c in hit.explanation]
    return data


def present_hits(hits: Iterable[ScreeningHit], shield: VictimShield) -> list[dict[str, Any]]:
    return [present_hit(h, shield) for h in hits]


def summary_decision(hits: Sequence[ScreeningHit], shield: VictimShield) -> str:
    """match / possible on anyone else first; protected_person when only victims match."""
    others = {h.decision for h in hits if shield.get(h.entity_id) is None}
    for decision in _FLAGGED:
        if decision in others:
            return decision
    if any(h.decision in _FLAGGED for h in hits if shield.get(h.entity_id) is not None):
        return PROTECTED_DECISION
    return "no_match"


def decision_counts(hits: Iterable[ScreeningHit], shield: VictimShield) -> dict[str, int]:
    """Flagged candidates by decision, recorded victims apart: a protected person is counted
    as ``protected_person``, never as a ``match`` or ``possible`` on a watchlist."""
    counts = {"match": 0, "possible": 0, PROTECTED_DECISION: 0}
    for hit in hits:
        if hit.decision in _FLAGGED:
            counts[PROTECTED_DECISION if shield.is_protected(hit.entity_id) else hit.decision] += 1
    return counts


def protected_person_indicators(
    records: Sequence[TravelRecord],
    person_hits: Mapping[str, list[ScreeningHit]],
    shield: VictimShield,
) -> list[VictimIndicator]:
    """A traveller matching a recorded victim is a safeguarding referral, whatever the list."""
    found = []
    for item in records:
        for hit in person_hits.get(item.record_id, []):
            protected = shield.get(hit.entity_id)
            if protected is None or hit.decision not in _FLAGGED:
                continue
            why = (
                f"the traveller may be a person {protected.guidance} "
                f"({hit.decision}, score {hit.score:.2f})"
            )
            evidence = {
                "pseudonym": protected.pseudonym,
                "contact": {"agency": protected.owner_agency, "country": protected.owner_country},
                "score": round(hit.score, 4),
            }
            found.append(VictimIndicator("protected_person_match", item, REFERRAL + why, evidence))
            break
    return found


def present_indicator(indicator: VictimIndicator, shield: VictimShield) -> dict[str, Any]:
    """A safeguarding indicator without the ids or values of a hidden victim."""
    data = indicator.to_dict()
    if shield.hides(data["traveller_id"]):
        data["traveller_id"] = None
        data["referral"] = _scrub(data["referral"], indicator.record)
        data["evidence"] = {"withheld": WITHHELD}
    evidence = data["evidence"]
    if isinstance(evidence, dict) and shield.hides(evidence.get("watchlist_entity")):
        watched = shield.get(evidence["watchlist_entity"])
        assert watched is not None
        data["evidence"] = {**evidence, "watchlist_entity": None, "pseudonym": watched.pseudonym}
    return data


def present_row(
    item: TravelRecord,
    hits: Sequence[ScreeningHit],
    documents: Sequence[DocumentHit],
    referrals: Sequence[str],
    shield: VictimShield,
) -> dict[str, Any]:
    """One manifest row: the traveller (by pseudonym when a hidden victim) and their checks."""
    traveller = traveller_id(item)
    row: dict[str, Any] = {
        "record_id": item.record_id,
        "traveller_id": traveller,
        "name": item.full_name,
        "person_hits": present_hits(hits, shield),
        "document_hits": [d.to_dict() for d in documents],
        "safeguarding": list(referrals),
    }
    protected = shield.about(traveller)
    if protected is None:
        return row
    row["protected"] = protected
    if shield.hides(traveller):
        row["traveller_id"] = None
        row["name"] = protected["pseudonym"]
        row["document_hits"] = [_document_withheld(d) for d in documents]
        row["safeguarding"] = [_scrub(text, item) for text in referrals]
    return row


def _document_withheld(hit: DocumentHit) -> dict[str, Any]:
    """A listed document of a hidden victim: the listing, not the number."""
    return {
        "issuing_country": hit.issuing_country,
        "document_type": hit.document_type,
        "document_number": WITHHELD,
        "status": hit.status,
        "reported_on": hit.reported_on.isoformat(),
        "reporting_agency": hit.reporting_agency,
        "strength": hit.strength,
    }


def _scrub(text: str, item: TravelRecord) -> str:
    """A referral's wording without the traveller's own values (names, document, contacts)."""
    values = [item.contact_phone, item.contact_email, item.booking_ref]
    values += [d.number for d in item.documents]
    values += item.full_name.split()
    for value in sorted((v for v in values if v and len(v) > 1), key=len, reverse=True):
        text = text.replace(value, "[withheld]")
    return text

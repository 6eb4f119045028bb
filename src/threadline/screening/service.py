"""Border screening services: a person, a document, an MRZ; every call audited.

Person screening (and an MRZ, which screens its holder) is a person query: the
actor needs a purpose (and a reference where the purpose asks for one), and the
query is committed to the audit log before the results are returned. Screening
uses only the watchlists and document lists the actor may see. A candidate who
has a victim record is shown as a protected person, by pseudonym unless the
actor may see the identity (:mod:`threadline.screening.protection`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from threadline.exc import InputError
from threadline.governance import (
    AccessDenied,
    Actor,
    Role,
    require_purpose,
    visible_collection_ids,
)
from threadline.governance.audit import append
from threadline.governance.shield import NO_SHIELD, VictimShield
from threadline.primitives.inputs import (
    country_code,
    full_date,
    partial_date,
    sex_code,
    unknown_country,
)
from threadline.primitives.mrz import MRZResult, alpha2_for, parse_mrz
from threadline.screening.documents import DocumentHit, DocumentIndex, canonical_country
from threadline.screening.matching import PersonQuery
from threadline.screening.protection import present_hits, shield_for, summary_decision
from threadline.screening.sources import Sources, load_sources
from threadline.screening.watchlist import ScreeningHit, WatchlistIndex
from threadline.store import Store

COMPONENT = "screening"
# Candidates scoring below "possible" but above this are shown as "no_match" near misses.
SHOW_FROM = 0.5


@dataclass(frozen=True)
class TravellerCheck:
    """One traveller checked against watchlists and the document list."""

    person_hits: list[ScreeningHit]
    document_hits: list[DocumentHit]

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": [h.to_dict() for h in self.person_hits],
            "document": [h.to_dict() for h in self.document_hits],
        }


def check_traveller(
    watchlist: WatchlistIndex,
    documents: DocumentIndex,
    query: PersonQuery,
    document_number: str | None,
    issuing_country: str | None,
    *,
    more_documents: Sequence[tuple[str, str | None]] = (),
    min_score: float = SHOW_FROM,
) -> TravellerCheck:
    """The in-process core of a border check (no I/O): person and document lookups.

    Every document is looked up: the one given first and ``more_documents``
    ((number, issuing country) pairs, e.g. the passport behind a visa).
    """
    hits = (
        watchlist.screen(query, limit=10, min_score=min_score, hold=True)
        if query_has_name(query)
        else []
    )
    docs: list[DocumentHit] = []
    seen: set[int] = set()
    for number, country in ((document_number, issuing_country), *more_documents):
        if not number or not number.strip():
            continue
        known = country if country and canonical_country(country) else None
        for hit in documents.lookup(number, known):
            if hit.row not in seen:
                seen.add(hit.row)
                docs.append(hit)
    return TravellerCheck(hits, docs)


def query_has_name(query: PersonQuery) -> bool:
    parts = (query.first_name, query.middle_name, query.last_name)
    return any(n.strip() for n in query.names) or any(p and p.strip() for p in parts)


def _query_dict(query: PersonQuery) -> dict[str, Any]:
    return {
        "names": list(query.names),
        "first_name": query.first_name,
        "last_name": query.last_name,
        "birth_date": query.birth_date,
        "sex": query.sex,
        "nationality": query.nationality,
        "document_numbers": list(query.document_numbers),
    }


@dataclass
class PersonScreening:
    """A person query's candidates (best first), with what was searched."""

    query: dict[str, Any]
    sources: dict[str, object]
    candidates: list[ScreeningHit] = field(default_factory=list)
    shield: VictimShield = NO_SHIELD

    @property
    def decision(self) -> str:
        """match or possible on a listed person; protected_person when only victims match."""
        return summary_decision(self.candidates, self.shield)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "sources": self.sources,
            "candidates": present_hits(self.candidates, self.shield),
        }


SCREENING_ROLES = frozenset({Role.BORDER_OFFICER, Role.ANALYST})


def require_screener(actor: Actor) -> Actor:
    """The actor, if it may screen people and documents: a border officer or an analyst
    (or the platform itself). Every screening entry point asks here, whatever the channel."""
    if not (actor.system or SCREENING_ROLES & actor.roles):
        raise AccessDenied("screening needs the border_officer or analyst role")
    return actor


def screen_person(
    store: Store, actor: Actor, query: PersonQuery, *, limit: int = 10
) -> PersonScreening:
    """Screen a person against every watchlist the actor may see; audited with the purpose."""
    require_screener(actor)
    require_purpose(actor)
    query = checked_query(query)
    with store.connect() as conn:
        sources = load_sources(store, conn, visible_collection_ids(conn, actor))
        hits = sources.watchlist.screen(query, limit=limit, min_score=SHOW_FROM, hold=True)
        shield = shield_for(conn, actor, hits)
    append(
        store,
        actor,
        "screening.person",
        component=COMPONENT,
        target_type="person_query",
        target_id=_subject(query),
        result_count=sum(1 for h in hits if h.decision != "no_match"),
        detail={
            "query": _query_dict(query),
            "watchlists": list(sources.watchlist_collections),
            "protected": len(shield.protected),
            "pseudonymised": shield.hidden_count,
        },
    )
    return PersonScreening(_query_dict(query), sources.to_dict(), hits, shield)


def checked_query(query: PersonQuery) -> PersonQuery:
    """The query as typed, validated and normalised; ``InputError`` names the first bad value.

    A birth date may be partial but must be a possible day and not in the future; sex is a
    code or word (M, F, X, U); nationalities are ISO 3166 codes or English names. Values a
    document or a list carries (an MRZ, a manifest) are not checked here: their readers
    report what they cannot use instead of refusing the traveller.
    """
    if not query_has_name(query):
        raise InputError("a person query needs a name (full name or name parts)")
    births = [str(partial_date("dob", d, past=True)) for d in _texts(query.birth_date)]
    countries = [country_code("nationality", c) for c in _texts(query.nationality)]
    return replace(
        query,
        birth_date=(births[0] if len(births) == 1 else births) or None,
        sex=sex_code("sex", query.sex) if query.sex and query.sex.strip() else None,
        nationality=(countries[0] if len(countries) == 1 else countries) or None,
    )


def _texts(value: str | Sequence[str] | None) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or ())
    return [v for v in items if v.strip()]


def _subject(query: PersonQuery) -> str:
    parts = [*query.names, query.first_name or "", query.last_name or ""]
    return " ".join(p for p in parts if p).strip()[:255]


@dataclass
class DocumentScreening:
    """A document checked against the stolen/lost list and, when known, its expiry."""

    number: str
    issuing_country: str | None
    hits: list[DocumentHit]
    sources: dict[str, object]
    expiry: dict[str, Any] | None = None

    @property
    def listed(self) -> bool:
        return bool(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "issuing_country": self.issuing_country,
            "listed": self.listed,
            "hits": [h.to_dict() for h in self.hits],
            "expiry": self.expiry,
            "sources": self.sources,
        }


def expiry_check(expiry: str | date | None, on: date | None = None) -> dict[str, Any]:
    """Whether a document is still valid on a day (today by default)."""
    day = on or date.today()
    if expiry is None:
        return {"checked": False, "reason": "no expiry date"}
    when = expiry if isinstance(expiry, date) else date.fromisoformat(expiry)
    valid = when >= day
    return {
        "checked": True,
        "expiry_date": when.isoformat(),
        "expired": not valid,
        "detail": f"{'valid until' if valid else 'expired on'} {when.isoformat()}",
    }


def screen_document(
    store: Store,
    actor: Actor,
    number: str,
    issuing_country: str | None,
    *,
    expiry: str | date | None = None,
) -> DocumentScreening:
    """Check a document number against the visible stolen/lost lists; audited."""
    require_screener(actor)
    if issuing_country and canonical_country(issuing_country) is None:
        raise unknown_country("issuing_country", issuing_country)
    if isinstance(expiry, str):
        expiry = full_date("expiry", expiry) if expiry.strip() else None
    with store.connect() as conn:
        sources = load_sources(store, conn, visible_collection_ids(conn, actor))
    hits = sources.documents.lookup(number, issuing_country)
    append(
        store,
        actor,
        "screening.document",
        component=COMPONENT,
        target_type="document",
        target_id=f"{issuing_country or '?'}:{number}"[:255],
        result_count=len(hits),
    )
    check = expiry_check(expiry) if expiry is not None else None
    return DocumentScreening(number, issuing_country, hits, sources.to_dict(), check)


def screen_mrz(store: Store, actor: Actor, lines: list[str]) -> dict[str, Any]:
    """Read an MRZ, check its document (list, validity, expiry) and screen its holder.

    The holder is screened on the suggested reading when OCR readings that no
    check digit confirms would change the fields (a digit read into a surname),
    so a watchlist hit is not lost to a misread; ``holder.reading`` says which.
    """
    require_screener(actor)
    require_purpose(actor)
    result = parse_mrz(lines)
    fields = result.fields
    holder = result.suggested_fields or fields
    query = PersonQuery(
        first_name=holder.given_names or None,
        last_name=holder.surname or None,
        birth_date=holder.date_of_birth,
        sex=holder.sex,
        nationality=alpha2_for(holder.nationality) if holder.nationality else None,
        document_numbers=[fields.document_number] if fields.document_number else [],
    )
    with store.connect() as conn:
        sources = load_sources(store, conn, visible_collection_ids(conn, actor))
        check = check_traveller(
            sources.watchlist,
            sources.documents,
            query,
            fields.document_number,
            fields.issuing_country or None,
        )
        shield = shield_for(conn, actor, check.person_hits)
    append(
        store,
        actor,
        "screening.mrz",
        component=COMPONENT,
        target_type="document",
        target_id=f"{fields.issuing_country}:{fields.document_number}"[:255],
        result_count=len(check.person_hits) + len(check.document_hits),
        detail={
            "holder": f"{holder.surname}, {holder.given_names}"[:255],
            "pseudonymised": shield.hidden_count,
        },
    )
    return {
        "mrz": result.to_dict(),
        "document": {
            "listed": bool(check.document_hits),
            "hits": [h.to_dict() for h in check.document_hits],
            "valid_mrz": result.valid,
            "specimen": result.specimen,
            "expiry": _mrz_expiry(result),
        },
        "holder": {
            "decision": summary_decision(check.person_hits, shield),
            "candidates": present_hits(check.person_hits, shield),
            "reading": "as read" if result.suggested_fields is None else "suggested",
        },
        "sources": sources.to_dict(),
    }


def _mrz_expiry(result: MRZResult) -> dict[str, Any]:
    if result.fields.expiry_date:
        return expiry_check(result.fields.expiry_date, result.reference_date)
    if any(v.code == "no_expiry_date" for v in result.variants):
        reason = "the zone has no expiry date (issuer variant no_expiry_date)"
    elif any(v.code == "fra_cni_1988" for v in result.variants):
        reason = "the zone has no expiry date (French identity card of the 1988 model)"
    else:
        reason = "the expiry date could not be read"
    return {"checked": False, "reason": reason}


def sources_for(store: Store, actor: Actor) -> Sources:
    """The indexes an actor's checks use (what batch screening and benchmarks call)."""
    with store.connect() as conn:
        return load_sources(store, conn, visible_collection_ids(conn, actor))

"""Screening a passenger manifest: every traveller's person and documents, plus victim risk.

One call is one analysis run of kind ``screening`` (tagged with an operation
code when given) whose counts are ``{"checks": n, "hits": n, "country": CC, ...}``
(a check per traveller and per document, at least one), so an operation counts
its database checks and hits. Every document a traveller presented is checked
against the stolen/lost document list (a listed passport behind a visa is found).
Findings:

- ``screening_hit``: a watchlist candidate (decision match or possible) or a
  listed document; ``subject_id`` = the traveller's entity id, ``related_id`` =
  the watchlist entity id (``document:<country>:<number>`` for a listed document);
- ``victim_indicator``: a safeguarding indicator (see
  :mod:`threadline.screening.indicators`), ``subject_id`` = the traveller.

The whole manifest is one person query: it needs a purpose and is audited
before results are returned.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from threadline.alerts import Candidate, raise_alerts
from threadline.exc import InputError
from threadline.governance import Actor, require_purpose
from threadline.governance.access import Access, producer
from threadline.governance.audit import record
from threadline.governance.shield import NO_SHIELD, VictimShield
from threadline.ingest.base import RecordError
from threadline.ingest.readers.manifests import (
    TravelRecord,
    csv_row_record,
    read_csv_records,
    read_paxlst_file,
    traveller_id,
)
from threadline.primitives.countries import clean_country
from threadline.primitives.inputs import country_code
from threadline.screening import indicators, rules
from threadline.screening.archive import keep_manifest
from threadline.screening.documents import DocumentHit
from threadline.screening.flights import manifest_flights
from threadline.screening.matching import PersonQuery
from threadline.screening.protection import (
    decision_counts,
    present_indicator,
    present_row,
    protected_person_indicators,
)
from threadline.screening.service import COMPONENT, check_traveller, require_screener
from threadline.screening.sources import load_sources
from threadline.screening.watchlist import ScreeningHit
from threadline.store import Store
from threadline.store.findings import Finding, add_findings, finish_run, start_run
from threadline.store.operation_codes import require_operation

HIT_KINDS = ("match", "possible")
# The file names a manifest may have (PAXLST, its text exports, the manifest CSV).
MANIFEST_SUFFIXES = (".edi", ".paxlst", ".txt", ".csv")
_QUOTED = re.compile(r"'[^']*'")
_STRENGTH_SCORE = {"strong": 1.0, "probable": 0.9, "possible": 0.7, "weak": 0.5}
# Personas at or above this risk make their phones and emails "high-risk contacts".
RISKY_PERSONA = 0.5


def manifest_name(filename: str) -> str:
    """The file name of a received manifest (no folders), if it names a manifest."""
    name = Path(filename).name
    if not name or Path(name).suffix.lower() not in MANIFEST_SUFFIXES:
        raise InputError(
            f"manifest file {name or '(no name)'!r}: send a PAXLST .edi or a manifest .csv"
        )
    return name


@contextmanager
def manifest_file(name: str, content: bytes) -> Iterator[Path]:
    """A received manifest (an upload, a queued or an archived copy) as a file under its
    own name, kept only while the block reads it."""
    with tempfile.TemporaryDirectory(prefix="threadline-manifest-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        yield path


# The shape of a PAXLST message that holds travellers: an interchange or message header,
# then a name-and-address segment (NAD) after a segment terminator or at a line's start.
_PAXLST_HEADER = re.compile(rb"UN[ABH]\W")
_PAXLST_NAD = re.compile(rb"(?:^|['\r\n\"])[ \t]*NAD\W", re.MULTILINE)


def check_manifest(name: str, content: bytes) -> None:
    """Refuse, with the reason, a received manifest that is not one: empty, no traveller
    segment in a PAXLST message, a CSV without the manifest columns or without one
    traveller that can be read.

    A PAXLST message that has the shape of one is accepted without being read: reading a
    large message costs as much as screening it, and the screening reads it anyway (a
    message of which no traveller can be read then fails with the reason, and records that
    cannot be read are reported with their positions). A message without that shape is
    read here, so the refusal says exactly what is wrong with it.
    """
    if not content:
        raise InputError(f"manifest file {name!r} is empty")
    if Path(name).suffix.lower() != ".csv":
        header = _PAXLST_HEADER.search(content)
        if header is not None and _PAXLST_NAD.search(content, header.end()):
            return
    with manifest_file(name, content) as path:
        try:
            records, rejected = read_manifest(path)
        except InputError as exc:
            why = str(exc).replace(f"{path}: ", "").replace(str(path), name)
            raise InputError(f"manifest file {name!r}: {why}") from None
    if not records:
        why = f": record {rejected[0]['position']}: {rejected[0]['reason']}" if rejected else ""
        raise InputError(f"manifest file {name!r} holds no traveller that can be read{why}")


def read_manifest(path: Path) -> tuple[list[TravelRecord], list[dict[str, Any]]]:
    """Travel records of a manifest (CSV or PAXLST) and the records that could not be read.

    A PAXLST record carries its warnings (values that could not be used); a file
    from which not one traveller can be read raises InputError with the reason.
    """
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    records: list[TravelRecord] = []
    rejected: list[dict[str, Any]] = []
    try:
        if path.suffix.lower() == ".csv":
            for number, header, row in read_csv_records(path):
                try:
                    records.append(csv_row_record(number, header, row))
                except RecordError as exc:
                    rejected.append({"position": number, "reason": str(exc)})
            return records, rejected
        read = read_paxlst_file(path)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a manifest CSV, the file is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    rejected = [{"position": position, "reason": reason} for position, reason in read.rejected]
    return read.records, rejected


def person_query(item: TravelRecord) -> PersonQuery:
    return PersonQuery(
        first_name=item.given_names or None,
        middle_name=item.middle_names or None,
        last_name=item.surname or None,
        birth_date=item.date_of_birth.isoformat() if item.date_of_birth else None,
        sex=item.sex if item.sex in ("M", "F") else None,
        nationality=clean_country(item.nationality) or None,
        document_numbers=[d.number for d in item.documents],
    )


def checks_of(item: TravelRecord) -> int:
    """Database checks one traveller costs: the person and each document (at least one)."""
    return 1 + max(1, len(item.documents))


def manifest_warnings(
    records: Sequence[TravelRecord], shield: VictimShield = NO_SHIELD
) -> list[dict[str, Any]]:
    """Values the manifest sent that could not be used, with position and traveller.

    For a victim the actor may not see, the segment's text and the values quoted
    in the reason (which may be their details) are withheld: the position and the
    kind of problem remain.
    """
    out = []
    for item in records:
        hidden = bool(item.warnings) and shield.hides(traveller_id(item))
        for position, reason in item.warnings:
            if hidden:
                why = _QUOTED.sub("[withheld]", reason.split("): ", 1)[-1])
                reason = f"segment {position}: {why}"
            out.append({"position": position, "record_id": item.record_id, "reason": reason})
    return out


def risky_contacts(access: Access) -> dict[str, dict[str, Any]]:
    """Phones and emails of high-risk personas (ads analysis findings) the actor may see."""
    found: dict[str, dict[str, Any]] = {}
    for persona in access.findings("persona", min_score=RISKY_PERSONA):
        for selector in persona.data.get("selectors", []):
            kind, value = selector.get("kind"), str(selector.get("value", ""))
            if kind not in ("phone", "email") or selector.get("hub"):
                continue
            key = indicators.normalise_phone(value) if kind == "phone" else value.lower()
            if key and key not in found:
                found[key] = {
                    "kind": kind,
                    "value": key,
                    "persona_id": persona.key,
                    "risk": round(persona.score or 0.0, 4),
                    "ads": len(persona.data.get("ad_ids", [])),
                    "collection_id": persona.collection_id,
                }
    return found


@dataclass
class ManifestScreening:
    """What screening a manifest (``source``, its ``flights``) found, per traveller and in
    counts (``decisions``: flagged candidates, recorded victims apart), with its run."""

    run_id: int
    travellers: int
    checks: int
    hits: int
    results: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[indicators.VictimIndicator] = field(default_factory=list)
    unchecked: list[dict[str, str]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, object] = field(default_factory=dict)
    operation: str | None = None
    country: str | None = None
    shield: VictimShield = NO_SHIELD
    warnings: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""
    flights: list[dict[str, Any]] = field(default_factory=list)
    decisions: dict[str, int] = field(default_factory=dict)
    listed_documents: int = 0
    rule_flags: list[rules.RuleFlag] = field(default_factory=list)  # active analyst rules

    @property
    def travellers_referred(self) -> int:
        return len({i.record.record_id for i in self.indicators})

    @property
    def travellers_flagged_by_rules(self) -> int:
        return len({f.record.record_id for f in self.rule_flags})

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "flights": self.flights,
            "run_id": self.run_id,
            "operation": self.operation,
            "country": self.country,
            "travellers": self.travellers,
            "checks": self.checks,
            "hits": self.hits,
            "hits_by_decision": self.decisions,
            "listed_documents": self.listed_documents,
            "travellers_referred": self.travellers_referred,
            "victim_indicators": [present_indicator(i, self.shield) for i in self.indicators],
            "travellers_flagged_by_rules": self.travellers_flagged_by_rules,
            "rule_flags": [rules.present_flag(f, self.shield) for f in self.rule_flags],
            "unchecked_indicators": self.unchecked,
            "results": self.results,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "sources": self.sources,
        }


def screen_manifest(
    store: Store,
    actor: Actor,
    path: Path,
    *,
    operation: str | None = None,
    country: str | None = None,
    source: str | None = None,
    within: Callable[[Connection, dict[str, Any]], None] | None = None,
) -> ManifestScreening:
    """Screen every traveller of a manifest file; store and return the run's findings.

    ``source`` is how the result names the file (default: its name). ``within`` is called
    with the run's counts inside the run's own transaction, before it commits (a queued
    task marks itself done there, so the work and its completion commit together)."""
    require_screener(actor)
    require_purpose(actor)
    code = country_code("country", country) if country and country.strip() else None
    records, rejected = read_manifest(path)
    with store.begin() as conn:
        if operation is not None:
            operation = require_operation(conn, operation)
        access = Access(conn, actor)
        sources = load_sources(store, conn, access.collection_ids)
        person_hits: dict[str, list[ScreeningHit]] = {}
        document_hits: dict[str, list[DocumentHit]] = {}
        for item in records:
            check = check_traveller(
                sources.watchlist,
                sources.documents,
                person_query(item),
                item.document_number,
                item.document_issuing_country,
                more_documents=[(d.number, d.issuing_country) for d in item.other_documents],
            )
            person_hits[item.record_id] = [h for h in check.person_hits if h.decision in HIT_KINDS]
            document_hits[item.record_id] = check.document_hits
        people = [h.entity_id for hits in person_hits.values() for h in hits]
        shield = access.shielded([*people, *map(traveller_id, records)])
        risky = risky_contacts(access)
        found = (
            indicators.minors_without_guardian(records)
            + indicators.young_unrelated_groups(records)
            + indicators.third_party_groups(records)
            + indicators.contacts_in_ads(records, risky)
            + indicators.from_checks(records, person_hits, document_hits)
            + protected_person_indicators(records, person_hits, shield)
        )
        active = rules.active_rules(conn, actor.agency, actor.country)
        flags = rules.apply_rules(active.rules, records, risky)
        hits = sum(len(v) for v in person_hits.values()) + sum(
            len(v) for v in document_hits.values()
        )
        checks = sum(map(checks_of, records))
        counts = {
            "checks": checks,
            "hits": hits,
            "country": code,
            "travellers": len(records),
            "victim_indicators": len(found),
            "travellers_referred": len({i.record.record_id for i in found}),
            "rejected": len(rejected),
            "rule_flags": len(flags),
        }
        scope = {"manifest": path.name, "country": code, **sources.to_dict()}
        run_id = start_run(
            conn,
            "screening",
            scope=scope,
            user=actor.user,
            operation=operation,
            **producer(actor),
        )
        ids: dict[str, int | None] = {c.name: c.id for c in access.collections.values()}
        lists = tuple(i for name in sources.document_collections if (i := ids.get(name)))
        add_findings(
            conn, run_id, _findings(records, person_hits, document_hits, found, ids, lists)
        )
        raised = raise_alerts(
            conn,
            [
                *_candidates(actor, run_id, records, person_hits, found, shield),
                *rules.rule_candidates(actor, run_id, flags),
            ],
        )
        keep_manifest(
            conn,
            actor,
            file_name=path.name,
            content=path.read_bytes(),
            travellers=len(records),
            run_id=run_id,
        )
        counts = {**counts, "alerts_raised": raised.new, "alerts_reopened": raised.reopened}
        finish_run(conn, run_id, counts=counts)
        if within is not None:
            within(conn, {"run_id": run_id, **counts})
        record(
            conn,
            actor,
            "screening.manifest",
            component=COMPONENT,
            target_type="manifest",
            target_id=path.name[:255],
            result_count=hits,
            detail={
                "run_id": run_id,
                "travellers": len(records),
                "operation": operation,
                "pseudonymised": shield.hidden_count,
            },
        )
    results = [_result(item, person_hits, document_hits, found, shield) for item in records]
    for row, item in zip(results, records, strict=True):
        row["rules"] = [f.message for f in flags if f.record is item]
    return ManifestScreening(
        run_id, len(records), checks, hits, results, found,
        indicators.unchecked(records) + _no_contacts(records) + active.skipped, rejected,
        sources.to_dict(), operation, code, shield, manifest_warnings(records, shield),
        source or path.name, manifest_flights(records),
        decision_counts([h for v in person_hits.values() for h in v], shield),
        sum(len(v) for v in document_hits.values()), flags,
    )  # fmt: skip


def _candidates(
    actor: Actor,
    run_id: int,
    records: Sequence[TravelRecord],
    person_hits: dict[str, list[ScreeningHit]],
    found: Sequence[indicators.VictimIndicator],
    shield: VictimShield,
) -> Iterator[Candidate]:
    """The alerts a screened manifest raises for the agency that screened it: each watchlist
    hit decided match or possible (a recorded victim's is a safeguarding matter, raised by
    its indicator instead) and each safeguarding referral. Keyed by the traveller, so the
    same manifest screened again raises nothing new."""
    for item in records:
        traveller = traveller_id(item)
        flight = f"{item.flight} {item.departure_time[:10]}".strip()
        for hit in person_hits.get(item.record_id, []):
            if shield.is_protected(hit.entity_id):
                continue
            yield Candidate(
                agency=actor.agency, country=actor.country, kind="screening_hit",
                key=f"{traveller}|{hit.entity_id}", subject_id=traveller,
                related_id=hit.entity_id, score=round(hit.score, 4), decision=hit.decision,
                explanation=[c.to_dict() for c in hit.explanation],
                detail={
                    "message": f"{hit.decision} against {hit.notice or 'a watchlist'} entry "
                    f"{hit.entity_id} ({hit.collection}) on flight {flight}",
                    "caption": item.full_name, "record_id": item.record_id, "run": run_id,
                },
            )  # fmt: skip
    for indicator in found:
        traveller = traveller_id(indicator.record)
        yield Candidate(
            agency=actor.agency, country=actor.country, kind="safeguarding",
            key=f"{traveller}|{indicator.indicator}", subject_id=traveller, related_id=None,
            score=indicator.weight, decision="referral",
            explanation=[{"indicator": indicator.indicator, "weight": indicator.weight,
                          "evidence": indicator.evidence}],
            detail={
                "message": indicator.referral, "caption": indicator.record.full_name,
                "record_id": indicator.record.record_id, "run": run_id,
            },
        )  # fmt: skip


def _no_contacts(records: Sequence[TravelRecord]) -> list[dict[str, str]]:
    if any(r.contact_phone or r.contact_email for r in records):
        return []
    reason = "cannot be checked: the manifest carries no booking contacts (PNR)"
    return [{"indicator": "contact_in_high_risk_ads", "reason": reason}]


def _findings(
    records: Sequence[TravelRecord],
    person_hits: Mapping[str, list[ScreeningHit]],
    document_hits: Mapping[str, list[DocumentHit]],
    found: Sequence[indicators.VictimIndicator],
    collection_ids: Mapping[str, int | None],
    document_lists: tuple[int, ...],
) -> list[Finding]:
    """The run's findings. The manifest is the screening agency's own input, not a stored
    collection, so every finding is private to that agency (``private``) and also names
    the lists and personas it rests on (``sources``)."""
    out: list[Finding] = []
    behind: dict[str, set[int]] = {}  # traveller -> collections their findings rest on
    for item in records:
        subject = traveller_id(item)
        rests = behind.setdefault(item.record_id, set())
        base = {"record_id": item.record_id, "flight": item.flight, "booking_ref": item.booking_ref}
        for hit in person_hits.get(item.record_id, []):
            watchlist = collection_ids.get(hit.collection)
            rests.update([watchlist] if watchlist is not None else [])
            out.append(
                Finding(
                    kind="screening_hit",
                    key=f"{subject}:{hit.entity_id}",
                    subject_id=subject,
                    related_id=hit.entity_id,
                    collection_id=watchlist,
                    private=True,
                    score=hit.score,
                    decision=hit.decision,
                    explanation=[c.to_dict() for c in hit.explanation],
                    data={
                        **base,
                        "check": "person",
                        "notice": hit.notice,
                        "watchlist": hit.collection,
                    },
                )
            )
        for doc in document_hits.get(item.record_id, []):
            related = f"document:{doc.issuing_country}:{doc.document_number}"
            rests.update(document_lists)
            out.append(
                Finding(
                    kind="screening_hit",
                    key=f"{subject}:{related}",
                    subject_id=subject,
                    related_id=related,
                    sources=document_lists,
                    private=True,
                    score=_STRENGTH_SCORE[doc.strength],
                    decision="match",
                    explanation=[r.to_dict() for r in doc.reasons],
                    data={**base, "check": "document", "document": doc.to_dict()},
                )
            )
    for indicator in found:
        sources = set(behind.get(indicator.record.record_id, set()))
        persona_collection = indicator.evidence.get("collection_id")
        if isinstance(persona_collection, int):
            sources.add(persona_collection)
        out.append(
            Finding(
                kind="victim_indicator",
                key=f"{indicator.traveller_id}:{indicator.indicator}",
                subject_id=indicator.traveller_id,
                sources=tuple(sorted(sources)),
                private=True,
                score=indicator.weight,
                decision="refer",
                explanation=[indicator.contribution()],
                data={
                    "record_id": indicator.record.record_id,
                    "flight": indicator.record.flight,
                    "booking_ref": indicator.record.booking_ref,
                    "indicator": indicator.indicator,
                    "referral": indicator.referral,
                },
            )
        )
    return out


def _result(
    item: TravelRecord,
    person_hits: Mapping[str, list[ScreeningHit]],
    document_hits: Mapping[str, list[DocumentHit]],
    found: Sequence[indicators.VictimIndicator],
    shield: VictimShield,
) -> dict[str, Any]:
    mine = [i.referral for i in found if i.record.record_id == item.record_id]
    return present_row(
        item,
        person_hits.get(item.record_id, []),
        document_hits.get(item.record_id, []),
        mine,
        shield,
    )

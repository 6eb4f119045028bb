"""Tracing runs: match every missing-person report against every sighting the actor may see.

Leads are findings of kind ``trace_lead`` (subject: the report, related: the
sighting; explanation: the evidence list). A lead that did not exist before a
run raises an alert for the agency that owns the report: a finding of kind
``alert`` whose ``data`` names that agency and country, so the owner's
dashboard or API client can pick it up. Tracing is a person query: it needs a
purpose and every run and read is audited.

Leads are read through the victim shield (:mod:`threadline.governance.shield`): a
report or a sighting that is a recorded victim is a protected person, and for
an actor who may not see that identity it is shown by pseudonym, without its
entity id, its place or the compared values in the evidence. A hidden report
is referred to by its pseudonym (``show_report`` accepts one).

A person sighting is scored two ways. The linkage model (Splink) weighs every
field of the two records against how often strangers agree on it. The screening
name matcher compares the names across scripts, transliterations, part order and
spelling slips, with the birth date, sex and nationality, as a border check
compares a traveller with a notice; it finds a report whose names were written
quite differently by another country (a German and an English romanisation of
one Russian name, a name in Arabic script), which the linkage model's
population-wide weights leave below the floor. A lead's score is the higher of
the two, and its evidence holds each that reached the floor.

A person sighting whose full birth dates and the report's differ by more than a
typing slip (:func:`threadline.primitives.dates.dates_apart`, the rule that keeps
such a screening hit at ``possible``), or whose birth years are decades apart where one
side knows only the year (:func:`birth_date_cap`), is two people, whatever the names: the pair is
not a lead but a finding of kind ``trace_possible``, with a ``decision_cap`` in its
evidence saying how far apart the dates are. It raises no alert and is shown only
with its report (``show_report``'s ``possible``), after the leads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from threadline.alerts import Candidate, raise_alerts
from threadline.exc import NotFound
from threadline.governance import Actor, require_purpose
from threadline.governance.access import Access, producer
from threadline.governance.audit import record
from threadline.governance.shield import NO_SHIELD, WITHHELD, VictimShield, victim_shield
from threadline.linkage.scoring import score_between
from threadline.primitives.dates import (
    PartialDate,
    compare_dates,
    dates_apart,
    parse_partial_date,
    typing_slip,
)
from threadline.screening.matching import POSSIBLE_THRESHOLD
from threadline.screening.watchlist import WatchlistIndex
from threadline.store import Store
from threadline.store.findings import (
    Finding,
    finish_run,
    replace_findings,
    start_run,
)
from threadline.tracing.evidence import AdIndex, ad_evidence, combined
from threadline.tracing.sources import Sighting, load

LEAD = "trace_lead"
# A report and a sighting whose full birth dates say they are two people: not a lead.
POSSIBLE = "trace_possible"
CAP_FEATURE = "decision_cap"
_CAP_WITHHELD = "at most a possible lead: full birth dates more than a typing slip apart"
RUN_KIND = "tracing"
PSEUDONYM = re.compile(r"^V-[0-9A-Z]{4}-[0-9A-Z]{4}$", re.IGNORECASE)
# Evidence that repeats the person's own values (name parts, an age from the birth date).
_VALUE_EVIDENCE = frozenset({"name_mentioned", "name_part_mentioned", "stated_age_fits"})
# What a comparison step keeps when its compared values are withheld: the linkage
# waterfall's level and weights, the name matcher's feature and points.
_COMPARISON_KEYS = ("comparison", "level", "gamma", "log2_weight", "bayes_factor",
                    "tf_adjustment_log2_weight",
                    "feature", "weight", "value", "points")  # fmt: skip
# How many screening hits are kept per report (a lead list is read top first).
SCREENED_PER_REPORT = 10
# Reports are few and each is worth a wide search: far more candidates per report than a
# border check reads, and name keys shared by many more people still read.
SCREENING_CANDIDATES = 1000
SCREENING_MAX_POSTING = 20_000


@dataclass
class TraceRunResult:
    run_id: int
    reports: int
    sightings: int
    leads: int
    alerts: int
    alerts_raised: int = 0  # alerts new in the agencies' inboxes (threadline.alerts)
    alerts_reopened: int = 0  # dismissed alerts whose evidence changed
    possible: int = 0  # pairs held back from the leads: full birth dates too far apart

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _lead(
    report_id: str,
    report_coll: Any,
    sighting: Sighting,
    score: float,
    evidence: list[dict[str, Any]],
    kind: str = LEAD,
) -> Finding:
    when = sighting.when
    return Finding(
        kind=kind,
        key=f"{report_id}|{sighting.entity.id}",
        subject_id=report_id,
        related_id=sighting.entity.id,
        collection_id=report_coll.id,
        sources=(sighting.collection.id,) if sighting.collection.id is not None else (),
        score=round(score, 4),
        explanation=evidence,
        data={
            "sighting_kind": sighting.kind,
            "sighting_collection": sighting.collection.name,
            "report_collection": report_coll.name,
            "owner_agency": report_coll.owner_agency,
            "owner_country": report_coll.owner_country,
            "when": str(when) if when else None,
            "place": sighting.place,
            "country": sighting.country,
            "flights": [leg.to_dict() for leg in sighting.legs],
            "caption": sighting.entity.caption,
        },
    )


def run_tracing(store: Store, actor: Actor, *, min_score: float = 0.5) -> TraceRunResult:
    """Find leads for every report the actor may see, among sightings the actor may see."""
    require_purpose(actor)
    with store.connect() as conn:
        access = Access(conn, actor)
        visible = access.collection_ids
        data = load(conn, list(access.collections.values()))
        report_ids = {r.id for r, _ in data.reports if r.id}
        people = {s.entity.id: s for s in data.sightings if s.kind != "ad" and s.entity.id}
        scored = score_between(conn, visible, report_ids, set(people), floor=min_score)
        before = {f.key for f in access.findings(LEAD)}
    leads: list[Finding] = []
    held: list[Finding] = []  # kind POSSIBLE
    by_id = {r.id: c for r, c in data.reports}
    report_of = {r.id: r for r, _ in data.reports}
    evidence_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for pair in scored:
        report_id, other = (pair["left"], pair["right"])
        if report_id not in report_ids:
            report_id, other = other, report_id
        if other in people:
            evidence_of.setdefault((report_id, other), []).append(
                {
                    "feature": "record_match",
                    "weight": pair["probability"],
                    "evidence": pair["contributions"],
                }
            )
    for (report_id, other), items in _screened(data.reports, people.values(), min_score).items():
        evidence_of.setdefault((report_id, other), []).extend(items)
    for (report_id, other), evidence in evidence_of.items():
        score = max(float(e["weight"]) for e in evidence)
        sighting = people[other].entity
        cap = birth_date_cap(report_of[report_id].get("birthDate"), sighting.get("birthDate"))
        if cap is None:
            leads.append(_lead(report_id, by_id[report_id], people[other], score, evidence))
            continue
        evidence = [*evidence, {"feature": CAP_FEATURE, "weight": 0.0, "evidence": cap}]
        held.append(_lead(report_id, by_id[report_id], people[other], score, evidence, POSSIBLE))
    ads = [s for s in data.sightings if s.kind == "ad"]
    index = AdIndex([ad.entity for ad in ads], [ad.phashes for ad in ads])
    for report, coll in data.reports:
        mine = data.report_phashes.get(report.id or "", [])
        for number in index.candidates(report, mine):
            ad = ads[number]
            evidence = ad_evidence(report, ad.entity, ad.phashes, mine, index.texts[number])
            if evidence and combined(evidence) >= min_score:
                leads.append(_lead(report.id or "", coll, ad, combined(evidence), evidence))
    new_leads = sum(1 for lead in leads if lead.key not in before)
    with store.begin() as conn:
        run_id = start_run(
            conn, RUN_KIND, scope={"min_score": min_score}, user=actor.user, **producer(actor)
        )
        replace_findings(conn, run_id, [LEAD, POSSIBLE], [*leads, *held])
        raised = raise_alerts(conn, _candidates(leads, run_id, actor))
        counts = {
            "reports": len(data.reports),
            "sightings": len(data.sightings),
            "leads": len(leads),
            "alerts": new_leads,
            "alerts_raised": raised.new,
            "alerts_reopened": raised.reopened,
            "possible": len(held),
        }
        finish_run(conn, run_id, counts=counts)
        record(
            conn, actor, "trace.run", component="tracing", result_count=len(leads), detail=counts
        )
    return TraceRunResult(
        run_id, len(data.reports), len(data.sightings), len(leads), new_leads,
        raised.new, raised.reopened, len(held),
    )  # fmt: skip


def birth_date_cap(report_dates: Sequence[str], sighting_dates: Sequence[str]) -> str | None:
    """Why a report and a person sighting are two people by their birth dates, or None.

    The screening rule (:func:`threadline.primitives.dates.dates_apart`): both know a
    full birth date, no pair of them is equal or one typing slip apart (one digit, two
    adjacent digits transposed, day and month swapped), and no pair of dates at any
    precision agrees. Then, where one side knows only a year or a month (a report written
    from memory, a record of an estimated age), the years: every pair at least
    ``YEARS_APART`` apart and none a slip of one digit or two transposed digits of the
    other. Years closer than that never hold a lead back: a year may be an estimate.
    Screening keeps year-only dates out of its cap (a slip in the year cannot be told from
    another year when a notice knows only the year; benchmarks/RESULTS.md, "Namesakes");
    tracing holds back only pairs decades apart.
    """
    report, sighting = _dates(report_dates), _dates(sighting_dates)
    apart = dates_apart(report, sighting)
    if apart is not None:
        reason = compare_dates(*apart).reason
        return f"at most a possible lead: {reason}, more than a typing slip apart"
    return _years_apart(report, sighting)


YEARS_APART = 10  # birth years at least this far apart are two people (no slip explains them)


def _years_apart(left: Sequence[PartialDate], right: Sequence[PartialDate]) -> str | None:
    if not left or not right:
        return None
    if all(d.day is not None for d in left) and all(d.day is not None for d in right):
        return None  # full dates on both sides: the screening rule has spoken
    pairs = [(a.year, b.year) for a in left for b in right]
    if any(abs(a - b) < YEARS_APART or _year_slip(a, b) for a, b in pairs):
        return None
    a, b = min(pairs, key=lambda pair: abs(pair[0] - pair[1]))
    return (
        f"at most a possible lead: birth years {a} and {b} are {abs(a - b)} years apart, "
        "more than a typing slip or an estimate"
    )


def _year_slip(left: int, right: int) -> bool:
    """One digit of the year differs, or two adjacent digits are transposed (the typing
    slips of a full date, on the year alone)."""
    return typing_slip(PartialDate(left, 1, 1), PartialDate(right, 1, 1)) is not None


def _dates(values: Sequence[str]) -> list[PartialDate]:
    return [d for d in map(parse_partial_date, values) if d is not None]


def _screened(
    reports: Sequence[tuple[Any, Any]], people: Iterable[Sighting], min_score: float
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Person sightings the screening name matcher finds for each report (see the module
    notes), at least ``min_score`` and the possible-match threshold, best first."""
    index = WatchlistIndex(candidates=SCREENING_CANDIDATES, max_posting=SCREENING_MAX_POSTING)
    for sighting in people:
        index.add(sighting.entity, collection=sighting.collection.name)
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if not len(index):
        return found
    floor = max(min_score, POSSIBLE_THRESHOLD)
    for report, _ in reports:
        if not report.id:
            continue
        for hit in index.screen(report, limit=SCREENED_PER_REPORT, min_score=floor):
            if hit.entity_id == report.id:
                continue
            found[(report.id, hit.entity_id)] = [
                {
                    "feature": "name_and_birth_date_match",
                    "weight": round(hit.score, 4),
                    "evidence": [c.to_dict() for c in hit.explanation],
                }
            ]
    return found


def _candidates(leads: Sequence[Finding], run_id: int, actor: Actor) -> Iterator[Candidate]:
    """The alerts leads raise (threadline.alerts): for the agency that owns the report, and
    for the agency that ran the tracing when it is another (it asked, and works the case)."""
    for lead in leads:
        owner = (lead.data["owner_agency"], lead.data["owner_country"])
        yield _candidate(lead, run_id, *owner)
        if not actor.system and (actor.agency, actor.country) != owner:
            yield _candidate(lead, run_id, actor.agency, actor.country)


def _candidate(lead: Finding, run_id: int, agency: str, country: str) -> Candidate:
    """The alert a lead raises for one agency."""
    return Candidate(
        agency=agency,
        country=country,
        kind="trace_lead",
        key=lead.key,
        subject_id=lead.subject_id,
        related_id=lead.related_id,
        score=lead.score,
        decision="lead",
        explanation=lead.explanation,
        detail={
            "message": f"new lead for missing-person report {lead.subject_id}: a "
            f"{lead.data.get('sighting_kind', 'record').replace('_', ' ')} sighting",
            "caption": lead.data.get("caption"),
            "when": lead.data.get("when"),
            "place": lead.data.get("place"),
            "run": run_id,
        },
    )


def _visible_leads(store: Store, actor: Actor, report_id: str | None = None) -> list[Finding]:
    with store.connect() as conn:
        return visible_leads(conn, actor, report_id)


def visible_leads(
    conn: Any, actor: Actor, report_id: str | None = None, kind: str = LEAD
) -> list[Finding]:
    """Leads (or, with ``kind=POSSIBLE``, the pairs held back from them) whose report and
    sighting are both in collections the actor may see (of the actor's agency, else of the
    platform)."""
    return Access(conn, actor).findings(kind, subject_ids=[report_id] if report_id else None)


def lead_shield(conn: Any, actor: Actor, leads: Sequence[Finding]) -> VictimShield:
    """The victim shield over the reports and sightings of these leads."""
    return victim_shield(conn, actor, {i for f in leads for i in (f.subject_id, f.related_id)})


def list_leads(store: Store, actor: Actor) -> list[dict[str, Any]]:
    """Every lead the actor may see, best first (audited person query)."""
    require_purpose(actor)
    with store.begin() as conn:
        leads = visible_leads(conn, actor)
        shield = lead_shield(conn, actor, leads)
        record(
            conn,
            actor,
            "trace.leads",
            component="tracing",
            result_count=len(leads),
            detail={"pseudonymised": shield.hidden_count},
        )
    return [lead_view(f, shield) for f in leads]


def report_ref(report_id: str | None, shield: VictimShield) -> str | None:
    """How a report is referred to: its pseudonym when it is a hidden victim."""
    found = shield.get(report_id)
    return found.pseudonym if found is not None and shield.hides(report_id) else report_id


def _evidence(evidence: list[dict[str, Any]], withhold: bool) -> list[dict[str, Any]]:
    if not withhold:
        return evidence
    out = []
    for item in evidence:
        value = item.get("evidence")
        if item.get("feature") in _VALUE_EVIDENCE:
            value = WITHHELD
        elif item.get("feature") == CAP_FEATURE:
            value = _CAP_WITHHELD  # the reason without the birth dates
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{k: c[k] for k in _COMPARISON_KEYS if k in c} for c in value]
        out.append({**item, "evidence": value})
    return out


def lead_view(lead: Finding, shield: VictimShield = NO_SHIELD) -> dict[str, Any]:
    """One lead (or a pair held back from the leads, ``decision`` ``possible``) as the actor
    may see it (see the module notes on recorded victims)."""
    report, sighting = lead.subject_id, lead.related_id
    hidden = shield.hides(sighting)
    view = {
        "report_id": report_ref(report, shield),
        "sighting_id": shield.shown_id(sighting),
        "sighting_kind": lead.data.get("sighting_kind"),
        "decision": "possible" if lead.kind == POSSIBLE else "lead",
        "score": lead.score,
        "evidence": _evidence(lead.explanation, shield.hides(report) or hidden),
        "when": lead.data.get("when"),
        "place": WITHHELD if hidden and lead.data.get("place") else lead.data.get("place"),
        "country": WITHHELD if hidden and lead.data.get("country") else lead.data.get("country"),
        "flights": [] if hidden else lead.data.get("flights", []),
        "sighting_collection": lead.data.get("sighting_collection"),
        "caption": None if hidden else lead.data.get("caption"),
    }
    for side, entity_id in (("report", report), ("sighting", sighting)):
        protected = shield.about(entity_id)
        if protected is not None:
            view[f"{side}_protected"] = protected
    shown: dict[str, Any] = shield.redact(view)
    return shown


def _report_leads(conn: Any, actor: Actor, ref: str, kind: str = LEAD) -> list[Finding]:
    """The leads (or findings of ``kind``) of a report named by its entity id, or by its
    pseudonym when it is a victim."""
    if not PSEUDONYM.match(ref.strip()):
        return visible_leads(conn, actor, ref, kind)
    wanted = ref.strip().upper()
    leads = visible_leads(conn, actor, kind=kind)
    shield = victim_shield(conn, actor, {f.subject_id for f in leads})
    named = {i for i, p in shield.protected.items() if p.pseudonym == wanted}
    return [f for f in leads if f.subject_id in named]


def show_report(store: Store, actor: Actor, report_id: str) -> dict[str, Any]:
    """A report's leads and its trail: sightings in time order with places (audited).

    ``report_id`` is the report's entity id, or the pseudonym of the victim record
    the report is linked to (how a hidden report is shown). ``possible`` lists the
    sightings held back from the leads (full birth dates too far apart), not on the trail.
    """
    require_purpose(actor)
    with store.begin() as conn:
        leads = _report_leads(conn, actor, report_id)
        held = _report_leads(conn, actor, report_id, POSSIBLE)
        shield = lead_shield(conn, actor, [*leads, *held])
        record(
            conn,
            actor,
            "trace.show",
            component="tracing",
            target_type="entity",
            target_id=report_id,
            result_count=len(leads),
            detail={"pseudonymised": shield.hidden_count, "possible": len(held)},
        )
    if not leads and not held:
        raise NotFound(
            f"no leads you may see for report {report_id!r} (run 'threadline trace run')"
        )
    views = [lead_view(f, shield) for f in leads]
    dated = sorted((v for v in views if v["when"]), key=lambda v: str(v["when"]))
    trail = [
        {
            "when": v["when"],
            "place": v["place"],
            "country": v["country"],
            "flights": v["flights"],
            "sighting_id": v["sighting_id"],
            "sighting_kind": v["sighting_kind"],
            "score": v["score"],
            "caption": v["caption"],
            **({"protected": v["sighting_protected"]} if "sighting_protected" in v else {}),
        }
        for v in dated
    ]
    first = (leads or held)[0].subject_id
    return {
        "report_id": report_ref(first, shield),
        **({"report_protected": shield.about(first)} if shield.get(first) else {}),
        "leads": views,
        "trail": trail,
        "undated": len(views) - len(trail),  # leads that cannot be placed in time
        "last_seen": trail[-1] if trail else None,
        "possible": [lead_view(f, shield) for f in held],
    }

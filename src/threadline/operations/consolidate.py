"""Consolidating per-country figures and screening counts into an operation's results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from threadline.operations.geography import continents
from threadline.operations.metrics import AMOUNTS, COUNTS, KEYED, LISTS
from threadline.operations.records import (
    CONFIRMED,
    Operation,
    OutcomeRevision,
    all_revisions,
    current_outcomes,
    get_operation,
)
from threadline.primitives.countries import clean_country, country_name
from threadline.victims.records import count_by_operation

NOT_SUBMITTED = "not submitted"


@dataclass(frozen=True)
class ScreeningTally:
    """Database checks and hits counted from screening runs tagged with the operation."""

    checks: int = 0
    hits: int = 0
    runs: int = 0

    def add(self, checks: int, hits: int) -> ScreeningTally:
        return ScreeningTally(self.checks + checks, self.hits + hits, self.runs + 1)

    def to_dict(self) -> dict[str, int]:
        return {"checks": self.checks, "hits": self.hits, "runs": self.runs}


@dataclass(frozen=True)
class CountryResult:
    country: str
    name: str
    contact_agency: str
    status: str  # preliminary | confirmed | not submitted
    revision: int | None
    changed_at: datetime | None
    figures: dict[str, Any]
    screening: ScreeningTally

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "name": self.name,
            "contact_agency": self.contact_agency,
            "status": self.status,
            "revision": self.revision,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "figures": self.figures,
            "screening": self.screening.to_dict(),
        }


@dataclass(frozen=True)
class Consolidated:
    """An operation's results as a coordinating body publishes them (counts only)."""

    operation: Operation
    countries: list[CountryResult]
    totals: dict[str, Any]
    screening_total: ScreeningTally
    screening_unattributed: ScreeningTally
    continents: list[str]
    status: str  # preliminary | confirmed
    headline: str
    status_line: str
    revisions: list[OutcomeRevision] = field(default_factory=list)
    victim_records: dict[str, int] = field(default_factory=dict)  # counts only, per country
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation.to_dict(),
            "status": self.status,
            "status_line": self.status_line,
            "headline": self.headline,
            "continents": self.continents,
            "totals": self.totals,
            "screening": {
                "total": self.screening_total.to_dict(),
                "unattributed": self.screening_unattributed.to_dict(),
            },
            "countries": [c.to_dict() for c in self.countries],
            "victim_records": self.victim_records,
            "generated_at": self.generated_at.isoformat(),
        }


def screening_tallies(
    conn: Connection, code: str
) -> tuple[dict[str, ScreeningTally], ScreeningTally, ScreeningTally]:
    """Checks and hits of completed screening runs tagged with the operation.

    Returns (per country, not attributed to a country, total). A run counts for a
    country when its scope names one ("country": "FR").
    """
    from threadline.store.findings import list_runs

    per: dict[str, ScreeningTally] = {}
    rest = total = ScreeningTally()
    for run in list_runs(conn, kind="screening", operation=code):
        if run.status != "completed":
            continue
        checks, hits = _int(run.counts.get("checks")), _int(run.counts.get("hits"))
        total = total.add(checks, hits)
        country = clean_country(str(run.scope.get("country") or "")) or None
        if country:
            per[country] = per.get(country, ScreeningTally()).add(checks, hits)
        else:
            rest = rest.add(checks, hits)
    return per, rest, total


def _int(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def _sum_figures(items: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {name: 0 for name in COUNTS}
    totals.update({name: 0.0 for name in AMOUNTS})
    for name in KEYED:
        totals[name] = {}
    for name in LISTS:
        totals[name] = []
    for figures in items:
        for name, value in figures.items():
            if name in COUNTS or name in AMOUNTS:
                totals[name] += value
            elif name in KEYED:
                for key, count in value.items():
                    totals[name][key] = totals[name].get(key, 0) + count
            elif name in LISTS:
                totals[name] += [v for v in value if v not in totals[name]]
    totals["arrests_total"] = sum(
        totals[k] for k in ("arrests_trafficking", "arrests_smuggling", "arrests_other")
    )
    for name in KEYED:
        totals[name] = dict(sorted(totals[name].items(), key=lambda kv: (-kv[1], kv[0])))
    return totals


def consolidate(conn: Connection, code: str) -> Consolidated:
    """Every participating country's newest figures, the totals, and the headline."""
    op = get_operation(conn, code)
    current = current_outcomes(conn, op)
    per_country, unattributed, total = screening_tallies(conn, code)
    rows = []
    for p in op.participants:
        rev = current.get(p.country)
        rows.append(
            CountryResult(
                country=p.country,
                name=country_name(p.country),
                contact_agency=p.contact_agency,
                status=rev.status if rev else NOT_SUBMITTED,
                revision=rev.revision if rev else None,
                changed_at=rev.changed_at if rev else None,
                figures=rev.figures if rev else {},
                screening=per_country.get(p.country, ScreeningTally()),
            )
        )
    totals = _sum_figures([r.figures for r in rows])
    places = continents(op.countries)
    confirmed = sum(1 for r in rows if r.status == CONFIRMED)
    status = CONFIRMED if confirmed == len(rows) else "preliminary"
    return Consolidated(
        operation=op,
        countries=rows,
        totals=totals,
        screening_total=total,
        screening_unattributed=unattributed,
        continents=places,
        status=status,
        headline=headline(op, totals, places, total),
        status_line=status_line(rows),
        revisions=all_revisions(conn, op),
        victim_records=count_by_operation(conn, code),
    )


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _plural(count: int, word: str) -> str:
    return f"{_n(count)} {word}" + ("" if count == 1 else "s")


def headline(
    op: Operation, totals: dict[str, Any], places: list[str], screening: ScreeningTally
) -> str:
    """The published-results sentence, written from the figures."""
    count = len(op.participants)
    where = f"{_n(count)} {'country' if count == 1 else 'countries'}"
    if places:
        word = NUMBER_WORDS[len(places)] if len(places) < len(NUMBER_WORDS) else str(len(places))
        where += (
            f" across {word} continent{'s' if len(places) != 1 else ''}"
            if count > 1
            else f" in {places[0]}"
        )
    parts = [where]
    rescued, identified = totals["victims_rescued"], totals["victims_identified"]
    victims, verb = (rescued, "rescued") if rescued else (identified, "identified")
    if victims:
        minors = totals["victims_minors"]
        extra = f" (including {_plural(minors, 'minor')})" if minors else ""
        parts.append(f"{_plural(victims, 'victim')} {verb}{extra}")
    if totals["arrests_total"]:
        split = []
        if totals["arrests_trafficking"]:
            split.append(f"{_n(totals['arrests_trafficking'])} for trafficking")
        if totals["arrests_smuggling"]:
            split.append(f"{_n(totals['arrests_smuggling'])} for smuggling")
        detail = ", ".join(s for s in split if s)
        parts.append(
            _plural(totals["arrests_total"], "arrest") + (f" ({detail})" if detail else "")
        )
    if totals["migrants_identified"]:
        parts.append(f"{_n(totals['migrants_identified'])} irregular migrants identified")
    if totals["investigations_opened"]:
        parts.append(f"{_n(totals['investigations_opened'])} investigations opened")
    if screening.checks:
        parts.append(
            f"{_n(screening.checks)} database checks with {_plural(screening.hits, 'hit')}"
        )
    title = f"Operation {op.name}" + (f" ({op.edition})" if op.edition else "")
    return f"{title}: " + "; ".join(parts) + "."


def status_line(rows: list[CountryResult]) -> str:
    """Whether the figures are preliminary, said plainly."""
    confirmed = sum(1 for r in rows if r.status == CONFIRMED)
    missing = sum(1 for r in rows if r.status == NOT_SUBMITTED)
    if confirmed == len(rows):
        if len(rows) == 1:
            return "CONFIRMED figures: the participating country has confirmed."
        return f"CONFIRMED figures: all {len(rows)} participating countries have confirmed."
    text = f"PRELIMINARY figures: {confirmed} of {len(rows)} "
    text += ("country" if len(rows) == 1 else "countries") + " confirmed"
    if missing:
        text += f", {missing} not yet reported"
    return text + "; totals may change."

"""The rows every report format shares, so HTML, PDF and CSV say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from threadline.operations.consolidate import Consolidated, CountryResult
from threadline.operations.metrics import AMOUNTS, COUNTS, KEYED, KEYED_LABELS, LISTS

COUNTRY_COLUMNS = [
    ("arrests", "Arrests"),
    ("victims_rescued", "Victims rescued"),
    ("victims_identified", "Victims identified"),
    ("victims_minors", "Minors"),
    ("migrants_identified", "Irregular migrants"),
    ("investigations_opened", "Investigations"),
    ("checks", "DB checks (submitted / counted)"),
    ("hits", "DB hits (submitted / counted)"),
]


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def country_cells(row: CountryResult) -> list[str]:
    """One table row per country; screening counts beside the submitted figures."""
    f = row.figures
    if not f:
        arrests: Any = None
    else:
        arrests = sum(
            f.get(k, 0) for k in ("arrests_trafficking", "arrests_smuggling", "arrests_other")
        )
    cells = [
        _fmt(arrests),
        _fmt(f.get("victims_rescued")),
        _fmt(f.get("victims_identified")),
        _fmt(f.get("victims_minors")),
        _fmt(f.get("migrants_identified")),
        _fmt(f.get("investigations_opened")),
        f"{_fmt(f.get('database_checks'))} / {_fmt(row.screening.checks)}",
        f"{_fmt(f.get('database_hits'))} / {_fmt(row.screening.hits)}",
    ]
    return cells


@dataclass(frozen=True)
class TotalLine:
    metric: str
    label: str
    value: str


def total_lines(report: Consolidated) -> list[TotalLine]:
    """Every total, labelled, in catalogue order (keyed metrics spelled out per key)."""
    t = report.totals
    lines = [TotalLine("arrests_total", "arrests (all)", _fmt(t["arrests_total"]))]
    lines += [TotalLine(k, label, _fmt(t[k])) for k, label in COUNTS.items()]
    lines += [TotalLine(k, label, _fmt(t[k])) for k, label in AMOUNTS.items()]
    lines.append(
        TotalLine(
            "screening_checks",
            "database checks (counted from screening runs)",
            _fmt(report.screening_total.checks),
        )
    )
    lines.append(
        TotalLine(
            "screening_hits",
            "database hits (counted from screening runs)",
            _fmt(report.screening_total.hits),
        )
    )
    lines.append(
        TotalLine(
            "victim_records",
            "victim records opened for care (counted)",
            _fmt(sum(report.victim_records.values())),
        )
    )
    for name in KEYED:
        for key, count in t[name].items():
            lines.append(TotalLine(f"{name}.{key}", f"{KEYED_LABELS[name]}: {key}", _fmt(count)))
    for name in LISTS:
        value = ", ".join(v.replace("_", " ") for v in t[name]) or "–"
        lines.append(TotalLine(name, "forms of exploitation found", value))
    return lines


def csv_rows(report: Consolidated) -> list[list[str]]:
    """Long-format rows: one value per country, metric and key, then the totals."""
    header = ["operation", "country", "status", "revision", "metric", "key", "value"]
    code = report.operation.code
    rows = [header]
    for row in report.countries:
        base = [code, row.country, row.status, str(row.revision or "")]
        for name, value in row.figures.items():
            if isinstance(value, dict):
                rows += [[*base, name, k, str(v)] for k, v in value.items()]
            elif isinstance(value, list):
                rows.append([*base, name, "", ";".join(value)])
            else:
                rows.append([*base, name, "", str(value)])
        rows.append([*base, "screening_checks", "", str(row.screening.checks)])
        rows.append([*base, "screening_hits", "", str(row.screening.hits)])
    for name, value in report.totals.items():
        base = [code, "ALL", report.status, ""]
        if isinstance(value, dict):
            rows += [[*base, name, k, str(v)] for k, v in value.items()]
        elif isinstance(value, list):
            rows.append([*base, name, "", ";".join(value)])
        else:
            rows.append([*base, name, "", str(value)])
    base = [code, "ALL", report.status, ""]
    rows.append([*base, "screening_checks", "", str(report.screening_total.checks)])
    rows.append([*base, "screening_hits", "", str(report.screening_total.hits)])
    rows.append([*base, "victim_records", "", str(sum(report.victim_records.values()))])
    return rows

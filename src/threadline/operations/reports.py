"""Writing an operation's consolidated report as HTML, PDF or CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import Connection

from threadline.exc import InputError
from threadline.governance import Actor
from threadline.governance.audit import record
from threadline.operations.consolidate import Consolidated, consolidate

FORMATS = ("html", "pdf", "csv")


def render(report: Consolidated, fmt: str) -> bytes:
    """The report in one format, as bytes."""
    if fmt == "html":
        from threadline.operations.report_html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from threadline.operations.report_pdf import render_pdf

        return render_pdf(report)
    if fmt == "csv":
        from threadline.operations.tabulate import csv_rows

        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(csv_rows(report))
        return text.getvalue().encode("utf-8")
    raise InputError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")


def build_report(
    conn: Connection, actor: Actor, code: str, fmt: str, *, component: str = "cli"
) -> tuple[Consolidated, bytes]:
    """Consolidate the operation and render its report; the export is audited."""
    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    report = consolidate(conn, code)
    content = render(report, fmt)
    record(
        conn,
        actor,
        "operation.report",
        component=component,
        target_type="operation",
        target_id=report.operation.code,
        result_count=len(report.countries),
        detail={"format": fmt, "status": report.status},
    )
    return report, content


def write_report(
    conn: Connection, actor: Actor, code: str, fmt: str, out: Path, *, component: str = "cli"
) -> Consolidated:
    """Consolidate the operation and write its report to ``out``."""
    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
    if not out.parent.exists():
        raise InputError(f"cannot write {out}: folder {out.parent} does not exist")
    report, content = build_report(conn, actor, code, fmt, component=component)
    out.write_bytes(content)
    return report

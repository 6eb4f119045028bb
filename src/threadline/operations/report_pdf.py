"""The consolidated report as PDF (reportlab), with bars, a map and a timeline."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from threadline.operations.charts import country_bars, participation_map, timeline
from threadline.operations.consolidate import Consolidated
from threadline.operations.tabulate import COUNTRY_COLUMNS, country_cells, total_lines


def _table(data: list[list[Any]], widths: list[float] | None = None, font: float = 7.5) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), font),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_pdf(report: Consolidated) -> bytes:
    """The PDF bytes of the report (counts only)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    op = report.operation
    styles = getSampleStyleSheet()
    banner = ParagraphStyle(
        "status",
        parent=styles["Normal"],
        backColor=colors.HexColor("#e2f5e6" if report.status == "confirmed" else "#fff4d6"),
        borderPadding=6,
        fontName="Helvetica-Bold",
    )
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10)
    meta = f"Code {op.code} · {op.start.isoformat()} to {op.end.isoformat()}"
    if op.coordinators:
        meta += f" · coordinated by {', '.join(op.coordinators)}"
    if op.focus:
        meta += f" · focus: {', '.join(f.replace('_', ' ') for f in op.focus)}"
    story: list[Any] = [
        Paragraph(
            f"Operation {op.name}" + (f" ({op.edition})" if op.edition else ""), styles["Title"]
        ),
        Paragraph(meta, small),
        Spacer(1, 4 * mm),
        Paragraph(report.status_line, banner),
        Spacer(1, 4 * mm),
        Paragraph(report.headline, styles["Heading3"]),
        Paragraph("Participating countries", styles["Heading2"]),
        participation_map(report),
        Paragraph(", ".join(report.continents), small),
        Paragraph("Results by country", styles["Heading2"]),
        country_bars(report),
    ]
    header = ["Country", "Status", *[label for _k, label in COUNTRY_COLUMNS]]
    body = [
        [f"{c.country}", c.status + (f" r{c.revision}" if c.revision else ""), *country_cells(c)]
        for c in report.countries
    ]
    head = [Paragraph(h, small) for h in header]
    story += [
        _table([head, *body], widths=[12 * mm, 24 * mm] + [16 * mm] * 6 + [24 * mm] * 2),
        Paragraph(
            "Database checks and hits: submitted by the country / counted from screening runs "
            "tagged with the operation.",
            small,
        ),
        Paragraph("Totals", styles["Heading2"]),
        _table(
            [["Metric", "Total"], *[[t.label, t.value] for t in total_lines(report)]],
            widths=[110 * mm, 50 * mm],
        ),
        Paragraph("Timeline", styles["Heading2"]),
        timeline(report),
        _table(
            [["When (UTC)", "Country", "Revision", "Status", "By"]]
            + [
                [
                    f"{r.changed_at:%Y-%m-%d %H:%M}",
                    r.country,
                    str(r.revision),
                    r.status,
                    r.changed_by,
                ]
                for r in report.revisions
            ]
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Generated {report.generated_at:%Y-%m-%d %H:%M} UTC. Counts only: no personal data "
            "of victims appear in this report.",
            small,
        ),
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        title=f"Operation {op.name}: consolidated results",
        author=", ".join(op.coordinators) or "Threadline",
    )
    doc.build(story)
    return buffer.getvalue()

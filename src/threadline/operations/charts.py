"""Charts for the PDF report, drawn with reportlab graphics (no network, no images)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from threadline.operations.consolidate import Consolidated
from threadline.operations.geography import country_places

STATUS_COLOURS = {"confirmed": "#2e8540", "preliminary": "#d9a400", "not submitted": "#999999"}


def country_bars(report: Consolidated, width: float = 480, height: float = 220) -> Any:
    """Victims rescued (or identified) and arrests per country, side by side."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    rows = report.countries
    victims = [
        r.figures.get("victims_rescued") or r.figures.get("victims_identified", 0) for r in rows
    ]
    arrests = [
        sum(
            r.figures.get(k, 0)
            for k in ("arrests_trafficking", "arrests_smuggling", "arrests_other")
        )
        for r in rows
    ]
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 40, width - 60, height - 70
    chart.data = [victims or [0], arrests or [0]]
    chart.categoryAxis.categoryNames = [r.country for r in rows] or [""]
    chart.categoryAxis.labels.fontSize = 7 if len(rows) > 20 else 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = colors.HexColor("#1f6fb2")
    chart.bars[1].fillColor = colors.HexColor("#c0504d")
    chart.barSpacing = 1
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 45, height - 12
    legend.fontSize = 8
    legend.columnMaximum = 1
    legend.deltax = 120
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor("#1f6fb2"), "victims rescued"),
        (colors.HexColor("#c0504d"), "arrests"),
    ]
    drawing.add(legend)
    return drawing


def participation_map(report: Consolidated, width: float = 480) -> Any:
    """Participating countries marked on an equirectangular world frame."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
    from reportlab.lib import colors

    height = width / 2
    drawing = Drawing(width, height)
    drawing.add(
        Rect(
            0,
            0,
            width,
            height,
            fillColor=colors.HexColor("#eef3f8"),
            strokeColor=colors.HexColor("#99aabb"),
        )
    )
    for lon in range(-150, 180, 30):
        x = (lon + 180) / 360 * width
        drawing.add(Line(x, 0, x, height, strokeColor=colors.HexColor("#cdd8e3"), strokeWidth=0.4))
    for lat in range(-60, 90, 30):
        y = (lat + 90) / 180 * height
        drawing.add(Line(0, y, width, y, strokeColor=colors.HexColor("#cdd8e3"), strokeWidth=0.4))
    places = country_places()
    for known in places.values():  # every known country, faint, so the continents show
        x, y = (known.lon + 180) / 360 * width, (known.lat + 90) / 180 * height
        drawing.add(Circle(x, y, 1.2, fillColor=colors.HexColor("#b8c4d0"), strokeWidth=0))
    for row in report.countries:
        place = places.get(row.country)
        if place is None:
            continue
        x, y = (place.lon + 180) / 360 * width, (place.lat + 90) / 180 * height
        colour = colors.HexColor(STATUS_COLOURS.get(row.status, "#999999"))
        drawing.add(Circle(x, y, 3.5, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
        drawing.add(String(x + 4, y + 3, row.country, fontSize=6))
    return drawing


def _day(value: date | datetime) -> float:
    return float((value.date() if isinstance(value, datetime) else value).toordinal())


def timeline(report: Consolidated, width: float = 480, height: float = 90) -> Any:
    """The operation's period and every submission and confirmation on one axis."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, String
    from reportlab.lib import colors

    op = report.operation
    days = [_day(op.start), _day(op.end)] + [_day(r.changed_at) for r in report.revisions]
    first, last = min(days), max(days)
    span = max(last - first, 1.0)
    left, right = 20.0, width - 20.0

    def x(value: float) -> float:
        return left + (value - first) / span * (right - left)

    drawing = Drawing(width, height)
    axis = 40.0
    drawing.add(Line(left, axis, right, axis, strokeColor=colors.grey))
    drawing.add(
        Line(
            x(_day(op.start)),
            axis,
            x(_day(op.end)),
            axis,
            strokeColor=colors.HexColor("#1f6fb2"),
            strokeWidth=5,
        )
    )
    drawing.add(String(x(_day(op.start)), axis - 14, f"start {op.start.isoformat()}", fontSize=7))
    drawing.add(
        String(
            x(_day(op.end)), axis - 24, f"end {op.end.isoformat()}", fontSize=7, textAnchor="middle"
        )
    )
    stacked: dict[float, int] = {}
    for rev in report.revisions:
        pos = x(_day(rev.changed_at))
        level = stacked.get(pos, 0)
        stacked[pos] = level + 1
        colour = colors.HexColor(STATUS_COLOURS.get(rev.status, "#999999"))
        y = axis + 10 + level * 9
        drawing.add(Circle(pos, y, 3, fillColor=colour, strokeWidth=0))
        drawing.add(String(pos + 5, y - 2, f"{rev.country} r{rev.revision}", fontSize=6))
    return drawing

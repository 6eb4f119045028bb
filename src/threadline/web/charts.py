"""Time axes and bar charts as inline SVG (no script): the pictures beside the tables.

Every chart is drawn from the same rows the page lists in its table, so the table is
its text alternative; each mark carries a ``<title>`` (a tooltip, and what a screen
reader announces) and ``data-`` attributes with its value. Presentation attributes,
not inline styles: the Content-Security-Policy forbids ``style``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

WIDTH = 720
NOTHING = "Nothing to show"
MARK, AXIS, INK = "#1f4e79", "#4a5563", "#1b1f24"
SERIES_COLOURS = ("#1f5f99", "#a33a36", "#2e8540", "#8a5a00")


def parse_day(value: object) -> tuple[date, bool] | None:
    """The day a date value names and whether it is exact: ``2025-03-02`` (or a time on
    that day) is exact; ``2025-03`` and ``2025`` are placed on their first day, marked
    approximate. Anything else is None (the table still lists it)."""
    text = str(value or "").strip()
    try:
        if len(text) >= 10:
            return date.fromisoformat(text[:10]), True
        if len(text) == 7:
            return date.fromisoformat(f"{text}-01"), False
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1), False
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class Chart:
    """A drawn chart and the entries it could not draw (named for the caption)."""

    svg: Markup
    unplaced: list[str] = field(default_factory=list)


def _frame(chart_id: str, label: str, height: int, body: str) -> Markup:
    return Markup(  # noqa: S704 - every interpolated value is escaped or generated here
        f'<svg id="{escape(chart_id)}" class="chart" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMid meet">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _nothing(chart_id: str, label: str) -> Markup:
    body = (
        f'<text x="{WIDTH / 2}" y="30" text-anchor="middle" font-size="14" fill="{INK}" '
        f'class="chart-message">{NOTHING}</text>'
    )
    return _frame(chart_id, f"{label}: {NOTHING.lower()}", 50, body)


def _ticks(first: date, last: date, count: int = 6) -> list[date]:
    span = (last - first).days
    if span == 0:
        return [first]
    step = max(1, round(span / (count - 1)))
    ticks = [first + timedelta(days=n) for n in range(0, span, step)]
    if (last - ticks[-1]).days < step / 2 and len(ticks) > 1:
        ticks.pop()
    return [*ticks, last]


def timeline(
    events: Sequence[tuple[object, str]], *, chart_id: str = "timeline", label: str = "Timeline"
) -> Chart:
    """A horizontal time axis with a mark per dated event (``(date, label)`` pairs);
    events on the same day stack upwards. Undated or unreadable dates are not drawn and
    come back in ``unplaced``."""
    placed: list[tuple[date, bool, str, str]] = []
    unplaced = []
    for when, text in events:
        parsed = parse_day(when)
        if parsed is None:
            unplaced.append(f"{when or 'undated'}: {text}")
        else:
            placed.append((parsed[0], parsed[1], str(when), text))
    if not placed:
        return Chart(_nothing(chart_id, label), unplaced)
    placed.sort(key=lambda p: p[0])
    first, last = placed[0][0], placed[-1][0]
    span = max((last - first).days, 1)
    left, right = 40, WIDTH - 40

    def x_of(day: date) -> float:
        if first == last:
            return WIDTH / 2
        return left + (day - first).days / span * (right - left)

    stacks: dict[int, int] = {}
    levels = []  # events close together (within 8 units) stack upwards
    for day, *_rest in placed:
        column = round(x_of(day) / 8)
        levels.append(stacks.get(column, 0))
        stacks[column] = levels[-1] + 1
    axis_y = 20 + max(stacks.values()) * 12
    marks = []
    for (day, exact, when, text), level in zip(placed, levels, strict=True):
        approximate = "" if exact else " (date approximate)"
        marks.append(
            f'<circle class="mark" data-date="{escape(when)}" cx="{x_of(day):.1f}" '
            f'cy="{axis_y - 10 - 12 * level}" r="5" fill="{MARK if exact else "#ffffff"}" '
            f'stroke="{MARK}" stroke-width="1.5"><title>{escape(when)}: {escape(text)}'
            f"{approximate}</title></circle>"
        )
    ticks = "".join(
        f'<line x1="{x_of(t):.1f}" y1="{axis_y}" x2="{x_of(t):.1f}" y2="{axis_y + 5}" '
        f'stroke="{AXIS}"/><text x="{x_of(t):.1f}" y="{axis_y + 18}" text-anchor="middle" '
        f'font-size="11" fill="{INK}">{t.isoformat()}</text>'
        for t in _ticks(first, last)
    )
    body = (
        f'<line x1="{left - 10}" y1="{axis_y}" x2="{right + 10}" y2="{axis_y}" '
        f'stroke="{AXIS}"/>{ticks}{"".join(marks)}'
    )
    title = f"{label}: {len(placed)} dated events from {first.isoformat()} to {last.isoformat()}"
    return Chart(_frame(chart_id, title, axis_y + 26, body), unplaced)


@dataclass(frozen=True)
class Series:
    """One set of bars: its name (the legend and tooltips say it) and a value per category."""

    name: str
    values: Sequence[int | float]


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    label: str,
    every: int = 1,
) -> Markup:
    """Grouped vertical bars, one group per category, one bar per series (``every``: label
    only every n-th category, for long runs of days). All zero or empty: a clear message."""
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("every series needs one value per category")
    top = max([0, *(v for s in series for v in s.values)])
    if not categories or not series or top <= 0:
        return _nothing(chart_id, label)
    left, bottom, height = 44, 150, 120
    group = (WIDTH - left - 10) / len(categories)
    bar = max(1.0, (group - 4) / len(series))
    bars, names = [], []
    for index, category in enumerate(categories):
        x0 = left + index * group + 2
        for number, item in enumerate(series):
            value = item.values[index]
            h = value / top * height
            bars.append(
                f'<rect class="bar" data-series="{escape(item.name)}" '
                f'data-category="{escape(category)}" data-value="{value}" '
                f'x="{x0 + number * bar:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{SERIES_COLOURS[number % len(SERIES_COLOURS)]}">'
                f"<title>{escape(category)}: {value:g} {escape(item.name)}</title></rect>"
            )
        if index % every == 0 or index == len(categories) - 1:
            names.append(
                f'<text x="{x0 + group / 2 - 2:.1f}" y="{bottom + 14}" text-anchor="middle" '
                f'font-size="10" fill="{INK}">{escape(category)}</text>'
            )
    legend = "".join(
        f'<rect x="{left + n * 170}" y="4" width="10" height="10" '
        f'fill="{SERIES_COLOURS[n % len(SERIES_COLOURS)]}"/>'
        f'<text x="{left + n * 170 + 14}" y="13" font-size="11" fill="{INK}">'
        f"{escape(s.name)}</text>"
        for n, s in enumerate(series)
    )
    axis = (
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="{AXIS}"/>'
        f'<line x1="{left}" y1="{bottom - height}" x2="{WIDTH - 10}" y2="{bottom - height}" '
        f'stroke="#dde3ea"/><text x="{left - 6}" y="{bottom - height + 4}" text-anchor="end" '
        f'font-size="10" fill="{INK}">{top:g}</text><text x="{left - 6}" y="{bottom + 4}" '
        f'text-anchor="end" font-size="10" fill="{INK}">0</text>'
    )
    return _frame(chart_id, label, bottom + 22, legend + axis + "".join(bars) + "".join(names))

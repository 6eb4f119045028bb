"""The dashboard's charts in a real browser: screening per day and operation outcomes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from support import dashboard as world
from threadline.store import Store

from .conftest import shot, sign_in

COLUMNS = ("victims_identified", "victims_rescued", "arrests", "operations")


@pytest.fixture(scope="module", autouse=True)
def charted(live_store: Store) -> None:
    world.record_screening(live_store)
    world.record_outcomes(live_store)


def _bar(chart: Any, series: str, category: str) -> str:
    bar = chart.locator(f'rect.bar[data-series="{series}"][data-category="{category}"]')
    assert bar.count() == 1, (series, category)
    return str(bar.get_attribute("data-value"))


def test_dashboard_charts_count_what_their_tables_list(page: Any) -> None:
    sign_in(page, "analyst")
    today = datetime.now(UTC).date()
    screening = page.get_by_role("img", name="Screening hits and safeguarding referrals per day")
    assert screening.is_visible()
    assert screening.locator("rect.bar").count() == 60  # 30 days, two series
    label = today.strftime("%d %b")
    assert _bar(screening, "screening hits", label) == str(world.TODAY["hits"])
    assert _bar(screening, "safeguarding referrals", label) == str(world.TODAY["referrals"])
    days = page.get_by_role("table", name="Screening hits and safeguarding referrals by day")
    row = days.get_by_role("row").filter(has_text=today.isoformat())
    assert row.inner_text().split("\t")[1:] == ["3", "2"]
    assert days.locator("tbody tr").count() == 2  # today and three days ago

    outcomes = page.get_by_role("img", name="Operation outcomes per country")
    table = page.get_by_role("table", name="Operation outcomes by country")
    for code, expected in world.OUTCOMES.items():
        assert _bar(outcomes, "victims identified", code) == str(expected["victims_identified"])
        assert _bar(outcomes, "victims rescued", code) == str(expected["victims_rescued"])
        assert _bar(outcomes, "arrests", code) == str(expected["arrests"])
        cells = table.get_by_role("row").filter(has_text=f"({code})").inner_text().split("\t")
        assert cells[1:] == [str(expected[k]) for k in COLUMNS]
    shot(page, "dashboard-charts")

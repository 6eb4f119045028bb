"""The counts behind the dashboard charts, read through governance, and the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from support import dashboard as world
from support.web import sign_in
from threadline.api.app import create_app
from threadline.exc import InputError
from threadline.governance import Actor, Role
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.services.dashboard import outcomes_by_country, screening_activity
from threadline.store import Store

ANALYST = Actor("analyst-1", "test-unit", "SE", frozenset({Role.ANALYST}))
PASSWORD = "a long enough password"


@pytest.fixture
def charted(store: Store) -> Store:
    world.record_screening(store)
    world.record_outcomes(store)
    return store


def test_screening_per_day_counts_hits_and_referred_travellers_the_actor_may_see(
    charted: Store,
) -> None:
    days = screening_activity(charted, ANALYST)
    today = datetime.now(UTC).date()
    assert len(days) == 30 and days[-1].day == today and days[0].day == today - timedelta(29)
    by_day = {d.day: (d.hits, d.referrals) for d in days}
    assert by_day[today] == (world.TODAY["hits"], world.TODAY["referrals"])
    assert by_day[today - timedelta(3)] == (1, 0)
    # Forty days ago is outside; the other agency's private hit is never counted.
    assert sum(d.hits for d in days) == 4 and sum(d.referrals for d in days) == 2


def test_the_other_agency_sees_only_its_own_screening(charted: Store) -> None:
    other = Actor("analyst-2", "nb-unit", "NO", frozenset({Role.ANALYST}))
    days = screening_activity(charted, other)
    assert (days[-1].hits, days[-1].referrals) == (1, 1)
    assert sum(d.hits for d in days) == 1


def test_a_window_of_no_days_is_refused(charted: Store) -> None:
    with pytest.raises(InputError, match="days must be 1 or more"):
        screening_activity(charted, ANALYST, days=0)


def test_outcomes_sum_each_country_newest_figures_over_operations(charted: Store) -> None:
    rows = {r.country: r for r in outcomes_by_country(charted, ANALYST)}
    assert set(rows) == {"SE", "NO"}
    for code, expected in world.OUTCOMES.items():
        row = rows[code]
        got = {k: getattr(row, k) for k in expected}
        assert got == expected, code
    assert rows["SE"].name == "Sweden"
    assert [r.country for r in outcomes_by_country(charted, ANALYST)] == ["SE", "NO"]


@pytest.fixture
def web(charted: Store) -> Iterator[TestClient]:
    with charted.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        create_user(conn, "analyst-1", "test-unit", parse_roles(["analyst"]), PASSWORD)
    with TestClient(create_app(charted)) as client:
        yield client


def test_dashboard_draws_both_charts_beside_their_tables(web: TestClient) -> None:
    page = sign_in(web, "analyst-1", PASSWORD)
    today = datetime.now(UTC).date()
    label = today.strftime("%d %b")
    assert f'data-series="screening hits" data-category="{label}" data-value="3"' in page
    assert f'data-series="safeguarding referrals" data-category="{label}" data-value="2"' in page
    assert 'data-series="arrests" data-category="SE" data-value="5"' in page
    table = page[page.index('id="screening-days"') :]
    assert re.search(rf"<td>{today}</td><td>3</td><td>2</td>", table)
    assert "<td>Sweden (SE)</td><td>17</td><td>9</td><td>5</td><td>2</td>" in page
    assert 'aria-label="Operation outcomes per country"' in page

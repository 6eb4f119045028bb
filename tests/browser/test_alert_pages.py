"""The alerts inbox in the browser: counts per state, a dismissal that needs a reason and
stays dismissed, and another agency's alerts nowhere."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.alerts import Candidate, raise_alerts
from threadline.store import Store

from .conftest import shot, sign_in


def _referral(key: str, agency: str = "test-unit") -> Candidate:
    return Candidate(
        agency=agency, country="SE", kind="safeguarding", key=f"traveller-{key}|minor_alone",
        subject_id=f"traveller-{key}", related_id=None, score=0.8, decision="referral",
        explanation=[{"indicator": "minor_without_guardian", "weight": 0.8}],
        detail={"message": f"consider a safeguarding interview: a 14-year-old alone ({key})",
                "caption": f"TRAVELLER {key.upper()}"},
    )  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def raised(live_store: Store) -> None:
    with live_store.begin() as conn:
        raise_alerts(conn, [_referral("a"), _referral("b"), _referral("z", agency="elsewhere")])


def test_an_officer_dismisses_a_referral_with_a_reason(page: Any, live_store: Store) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Alerts").click()
    page.get_by_label("Purpose").select_option("border_check")
    page.get_by_role("button", name="Show alerts").click()
    counts = page.get_by_role("list", name="Alerts by state")
    assert "2 new" in " ".join(counts.inner_text().split())
    table = page.get_by_role("table")
    assert "TRAVELLER A" in table.inner_text() and "TRAVELLER Z" not in page.content()
    assert "safeguarding referral" in table.inner_text()
    shot(page, "alerts-inbox")
    row = table.locator("tr", has_text="TRAVELLER A")
    alert_id = row.locator("td").first.inner_text().strip()
    page.get_by_label(f"Move alert {alert_id} to").select_option("dismissed")
    page.get_by_role("form", name=f"Triage alert {alert_id}").get_by_role("button").click()
    assert "needs a reason" in page.get_by_role("alert").inner_text()
    page.get_by_label(f"Move alert {alert_id} to").select_option("dismissed")
    page.get_by_label(f"Reason for alert {alert_id}").fill("travelling with her aunt, checked")
    page.get_by_role("form", name=f"Triage alert {alert_id}").get_by_role("button").click()
    assert f"Alert {alert_id} is now dismissed." in page.get_by_role("status").inner_text()
    with live_store.begin() as conn:  # the same referral found again: it stays dismissed
        assert raise_alerts(conn, [_referral("a")]).unchanged == 1
    page.goto("/alerts?purpose=border_check")
    assert "1 dismissed" in " ".join(
        page.get_by_role("list", name="Alerts by state").inner_text().split()
    )

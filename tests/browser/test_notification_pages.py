"""Notifications in the browser: from the dashboard panel to acknowledging on the list."""

from __future__ import annotations

from typing import Any

from support.notified import NAME, REPORT, notify
from threadline.store import Store

from .conftest import shot, sign_in


def test_the_reporting_agency_acknowledges_a_notification(page: Any, live_store: Store) -> None:
    pseudonym, note_id = notify(live_store, "test-unit")
    sign_in(page, "analyst")
    panel = page.get_by_role("region", name="Notifications for your agency")
    assert "1 awaiting acknowledgement" in panel.inner_text()
    assert NAME.split()[0] not in page.content()
    panel.get_by_role("link", name="Read and acknowledge").click()
    page.wait_for_url("**/notifications?status=pending")
    row = page.get_by_role("row").filter(has_text=REPORT)
    assert pseudonym in row.inner_text() and "NCB Manila (PH)" in row.inner_text()
    shot(page, "notifications")
    page.get_by_role("button", name=f"Acknowledge notification {note_id}").click()
    page.wait_for_url(f"**/notifications?acknowledged={note_id}")
    assert f"Notification {note_id} acknowledged." in page.get_by_role("status").inner_text()
    assert "acknowledged by analyst" in page.get_by_role("row").filter(has_text=REPORT).inner_text()
    page.get_by_role("link", name="Dashboard").click()
    assert "Nothing awaits acknowledgement" in page.content()
    page.get_by_role("link", name="Notifications", exact=True).click()
    page.wait_for_url("**/notifications")
    shot(page, "notifications-acknowledged")

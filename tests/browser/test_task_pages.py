"""The work queue in the browser: a manifest sent by a system shows as queued, then done
with its counts once a worker screened it; another agency's tasks are nowhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from threadline.governance import Actor, Role
from threadline.governance.accounts import get_user
from threadline.governance.actors import Channel
from threadline.services.worker import Worker, submit_manifest
from threadline.store import Store

from .conftest import shot, sign_in

BORDER = Path(__file__).parent.parent / "fixtures" / "border"


def test_a_sent_manifest_shows_queued_then_done(page: Any, live_store: Store) -> None:
    with live_store.connect() as conn:
        analyst = get_user(conn, "analyst").actor(Channel.API).for_purpose("border_check")
    content = (BORDER / "manifest.csv").read_bytes()
    submit_manifest(live_store, analyst, "ZZ100-0301.csv", content, country="SE")
    elsewhere = Actor("officer-x", "elsewhere", "SE", frozenset({Role.BORDER_OFFICER}))
    submit_manifest(live_store, elsewhere.for_purpose("border_check"), "OTHER-AGENCY.csv", content)
    sign_in(page, "analyst")
    page.get_by_role("link", name="Work queue").click()
    counts = page.get_by_role("list", name="Tasks by state")
    assert "1 queued" in " ".join(counts.inner_text().split())
    table = page.get_by_role("table")
    row = table.locator("tr", has_text="ZZ100-0301.csv")
    assert "screen a manifest" in row.inner_text() and "queued" in row.inner_text()
    assert "OTHER-AGENCY" not in page.content()
    Worker(live_store, kinds=("screen_manifest",)).drain(max_tasks=1)
    page.reload()
    row = page.get_by_role("table").locator("tr", has_text="ZZ100-0301.csv")
    text = " ".join(row.inner_text().split())
    assert "done" in text and "travellers 9" in text and "alerts raised" in text, text
    shot(page, "work-queue")

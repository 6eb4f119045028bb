"""The notifications page and the dashboard panel: the addressed agency reads and acknowledges."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from support.notified import NAME, REPORT, notify
from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.store import Store

PASSWORD = "a long enough password"


@pytest.fixture
def web(store: Store) -> Iterator[tuple[TestClient, str, int]]:
    with store.begin() as conn:
        create_agency(conn, "NCB Stockholm", "SE")
        create_agency(conn, "NCB Oslo", "NO")
        for name, agency, roles in (
            ("sv-analyst", "NCB Stockholm", ["analyst"]),
            ("sv-auditor", "NCB Stockholm", ["auditor"]),
            ("no-analyst", "NCB Oslo", ["analyst"]),
        ):
            create_user(conn, name, agency, parse_roles(roles), PASSWORD)
    pseudonym, note_id = notify(store, "NCB Stockholm")
    with TestClient(create_app(store)) as client:
        yield client, pseudonym, note_id


def _sign_in(client: TestClient, user: str) -> str:
    page = client.post("/login", data={"username": user, "password": PASSWORD})
    assert page.status_code == 200, page.text
    return page.text


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_dashboard_panel_list_and_acknowledge(web: tuple[TestClient, str, int]) -> None:
    client, pseudonym, note_id = web
    dashboard = _sign_in(client, "sv-analyst")
    assert (
        "Notifications for your agency" in dashboard and "1 awaiting acknowledgement" in dashboard
    )
    assert pseudonym in dashboard and NAME.split()[0] not in dashboard
    listing = client.get("/notifications")
    assert listing.status_code == 200
    assert (
        REPORT in listing.text and f'action="/notifications/{note_id}/acknowledge"' in listing.text
    )
    done = client.post(
        f"/notifications/{note_id}/acknowledge", data={"csrf_token": _csrf(listing.text)}
    )
    assert done.status_code == 200  # followed the redirect back to the list
    assert f"Notification {note_id} acknowledged." in done.text
    assert "acknowledged by sv-analyst" in done.text
    assert "Nothing awaits acknowledgement" in client.get("/").text
    again = client.post(
        f"/notifications/{note_id}/acknowledge", data={"csrf_token": _csrf(done.text)}
    )
    assert again.status_code == 422 and "already acknowledged" in again.text


def test_others_neither_see_nor_acknowledge(web: tuple[TestClient, str, int]) -> None:
    client, pseudonym, note_id = web
    _sign_in(client, "no-analyst")
    listing = client.get("/notifications")
    assert "No notifications for your agency." in listing.text and pseudonym not in listing.text
    hidden = client.post(
        f"/notifications/{note_id}/acknowledge", data={"csrf_token": _csrf(listing.text)}
    )
    assert hidden.status_code == 404
    client.cookies.clear()
    _sign_in(client, "sv-auditor")
    page = client.get("/notifications")
    assert pseudonym in page.text and "Acknowledge notification" not in page.text
    refused = client.post(
        f"/notifications/{note_id}/acknowledge", data={"csrf_token": _csrf(page.text)}
    )
    assert refused.status_code == 403


def test_acknowledging_needs_the_csrf_token(web: tuple[TestClient, str, int]) -> None:
    client, _pseudonym, note_id = web
    _sign_in(client, "sv-analyst")
    response = client.post(f"/notifications/{note_id}/acknowledge", data={"csrf_token": "x"})
    assert response.status_code == 403
    assert "awaiting acknowledgement" in client.get("/notifications?status=pending").text

"""The victim record page: its status, and the liaison officer's close and reopen forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from threadline.api.app import create_app
from threadline.governance import Actor, Role
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.store import Store
from threadline.victims import build_intake, create_victim

PASSWORD = "a long enough password"
LIAISON = Actor("sv-liaison", "NCB Stockholm", "SE", frozenset({Role.VICTIM_LIAISON}))


@pytest.fixture
def web(store: Store) -> Iterator[tuple[TestClient, str]]:
    """Stockholm's liaison officer and analyst, and one record the officer opened."""
    with store.begin() as conn:
        create_agency(conn, "NCB Stockholm", "SE")
        for name, roles in (("sv-liaison", ["victim_liaison"]), ("sv-analyst", ["analyst"])):
            create_user(conn, name, "NCB Stockholm", parse_roles(roles), PASSWORD)
        intake = build_intake(
            identified_on="2026-04-01", identified_how="hotline", identified_country="SE"
        )
        pseudonym = create_victim(conn, LIAISON, intake).pseudonym
    with TestClient(create_app(store)) as client:
        yield client, pseudonym


def _sign_in(client: TestClient, user: str) -> None:
    page = client.post("/login", data={"username": user, "password": PASSWORD})
    assert page.status_code == 200, page.text


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_liaison_closes_and_reopens(web: tuple[TestClient, str]) -> None:
    client, pseudonym = web
    _sign_in(client, "sv-liaison")
    page = client.get(f"/victims/{pseudonym}").text
    assert "Status: open" in page and "Close record" in page
    blank = client.post(
        f"/victims/{pseudonym}/close", data={"csrf_token": _csrf(page), "reason": " "}
    )
    assert blank.status_code == 422 and "reason: say why the record is closed" in blank.text
    closed = client.post(
        f"/victims/{pseudonym}/close", data={"csrf_token": _csrf(page), "reason": "care completed"}
    )
    assert closed.status_code == 200 and "Record closed." in closed.text
    assert "Status: closed" in closed.text and "care completed" in closed.text
    assert "Reopen record" in closed.text and "Record consent" not in closed.text
    assert client.get("/victims").text.count(pseudonym) == 0  # open records by default
    assert pseudonym in client.get("/victims?status=closed").text
    reopened = client.post(
        f"/victims/{pseudonym}/reopen", data={"csrf_token": _csrf(page), "reason": "new need"}
    )
    assert "Record reopened." in reopened.text and "Record consent" in reopened.text


def test_forms_need_the_csrf_token_and_the_role(web: tuple[TestClient, str]) -> None:
    client, pseudonym = web
    _sign_in(client, "sv-liaison")
    forged = client.post(f"/victims/{pseudonym}/close", data={"csrf_token": "x", "reason": "r"})
    assert forged.status_code == 403
    client.post("/logout", data={"csrf_token": _csrf(client.get("/").text)})
    _sign_in(client, "sv-analyst")
    page = client.get(f"/victims/{pseudonym}").text
    assert "Status: open" in page and "Close record" not in page
    refused = client.post(
        f"/victims/{pseudonym}/close", data={"csrf_token": _csrf(page), "reason": "r"}
    )
    assert refused.status_code == 403
    _sign_in(client, "sv-liaison")
    assert "Status: open" in client.get(f"/victims/{pseudonym}").text

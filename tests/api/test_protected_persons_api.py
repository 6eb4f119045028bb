"""Screening and tracing over the API: a person with a victim record is a protected person.

The bureau's border officer and analyst get the pseudonym and none of her values;
the bureau's victim liaison officer gets her identity. World: ``support.protected``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from support.protected import (
    QUERY,
    REPORT,
    SCREENING_SECRETS,
    SIGHTED,
    TRACING_SECRETS,
    USERS,
    WATCHED,
    Protected,
    build,
)
from threadline.api.app import create_app
from threadline.governance.identity import issue_token
from threadline.store import Store

World = tuple[TestClient, dict[str, dict[str, str]], Protected]
SCREEN = {"purpose": "border_check"}
TRACE = {"purpose": "victim_identification"}
BODY = {"names": [QUERY["name"]], "dob": QUERY["dob"], "nationality": QUERY["nationality"]}


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    protected = build(store)
    with store.begin() as conn:
        headers = {
            user: {"Authorization": f"Bearer {issue_token(conn, user, 'tests')}"} for user in USERS
        }
    with TestClient(create_app(store), raise_server_exceptions=True) as client:
        yield client, headers, protected


def _screen(world: World, user: str) -> tuple[str, dict[str, object]]:
    client, headers, _ = world
    response = client.post(
        "/api/v1/screening/person", json=BODY, params=SCREEN, headers=headers[user]
    )
    assert response.status_code == 200, response.text
    return response.text, response.json()["candidates"][0]


@pytest.mark.parametrize("user", ["sv-officer", "sv-analyst"])
def test_screening_hit_on_a_victim_is_pseudonymised(world: World, user: str) -> None:
    body, hit = _screen(world, user)
    assert hit["protected"]["pseudonym"] == world[2].watched  # type: ignore[index]
    assert hit["entity_id"] is None and hit["notice"] is None
    assert '"decision":"protected_person"' in body
    for secret in SCREENING_SECRETS:
        assert secret not in body, secret


def test_screening_hit_shows_identity_to_the_owning_liaison(world: World) -> None:
    body, hit = _screen(world, "sv-liaison")
    assert hit["entity_id"] == WATCHED
    assert hit["protected"]["identity_visible"] is True  # type: ignore[index]
    assert "Daniela Ortega Vasquez" in body


def test_tracing_lead_on_a_victim_is_pseudonymised(world: World) -> None:
    client, headers, protected = world
    leads = client.get("/api/v1/tracing/leads", params=TRACE, headers=headers["sv-analyst"])
    assert leads.status_code == 200, leads.text
    report = client.get(
        f"/api/v1/tracing/reports/{protected.sighted}", params=TRACE, headers=headers["sv-analyst"]
    )
    assert report.status_code == 200, report.text
    items = leads.json()["items"]
    assert {lead["report_id"] for lead in items} == {protected.sighted}
    assert None in {lead["sighting_id"] for lead in items}
    for body in (leads.text, report.text):
        assert protected.sighted in body
        for secret in TRACING_SECRETS:
            assert secret not in body, secret
    only = client.get(
        "/api/v1/tracing/leads",
        params={**TRACE, "report": protected.sighted},
        headers=headers["sv-analyst"],
    )
    assert len(only.json()["items"]) == len(items)


def test_tracing_lead_shows_identity_to_the_owning_liaison(world: World) -> None:
    client, headers, _ = world
    leads = client.get("/api/v1/tracing/leads", params=TRACE, headers=headers["sv-liaison"])
    report = client.get(
        f"/api/v1/tracing/reports/{REPORT}", params=TRACE, headers=headers["sv-liaison"]
    )
    assert report.status_code == 200, report.text
    assert SIGHTED in leads.text and "Reeperbahn" in report.text

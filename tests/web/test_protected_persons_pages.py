"""Screening and tracing pages: a person with a victim record is a protected person.

An officer and an analyst of the bureau see the pseudonym, no entity link and none of
her values; the bureau's victim liaison officer sees her. World: ``support.protected``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from support.protected import (
    PASSWORD,
    QUERY,
    REPORT,
    SCREENING_SECRETS,
    SIGHTED,
    TRACING_SECRETS,
    WATCHED,
    Protected,
    build,
)
from threadline.api.app import create_app
from threadline.store import Store

TRACE = "purpose=victim_identification"


@pytest.fixture
def world(store: Store) -> Iterator[tuple[TestClient, Protected]]:
    protected = build(store)
    with TestClient(create_app(store)) as client:
        yield client, protected


def _sign_in(client: TestClient, user: str) -> str:
    page = client.post("/login", data={"username": user, "password": PASSWORD})
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/screening").text)
    return found.group(1) if found else ""


def _screen(client: TestClient, user: str) -> str:
    csrf = _sign_in(client, user)
    form = {"csrf_token": csrf, "purpose": "border_check", **QUERY}
    response = client.post("/screening/person", data=form)
    assert response.status_code == 200, response.text
    return response.text


def test_officer_sees_a_protected_person_not_a_wanted_one(
    world: tuple[TestClient, Protected],
) -> None:
    client, protected = world
    page = _screen(client, "sv-officer")
    assert protected.watched in page and "protected person (possible victim)" in page
    assert "not a suspect" in page and "red notice" not in page
    assert "/entities/" not in page.split('id="screening-results"')[1].split("</section>")[0]
    for secret in SCREENING_SECRETS:
        assert secret not in page, secret


def test_liaison_sees_her_on_the_screening_page(world: tuple[TestClient, Protected]) -> None:
    client, _protected = world
    page = _screen(client, "sv-liaison")
    assert f'href="/entities/{WATCHED}"' in page and "Daniela Ortega Vasquez" in page
    assert "red notice on record" in page and "not a suspect" in page


def test_analyst_sees_tracing_leads_by_pseudonym(world: tuple[TestClient, Protected]) -> None:
    client, protected = world
    _sign_in(client, "sv-analyst")
    listing = client.get(f"/tracing?{TRACE}")
    report = client.get(f"/tracing/reports/{protected.sighted}?{TRACE}")
    dashboard = client.get("/")
    assert listing.status_code == report.status_code == 200
    assert f'href="/tracing/reports/{protected.sighted}?' in listing.text
    assert "protected person (possible victim)" in report.text
    for page in (listing.text, report.text, dashboard.text):
        assert protected.sighted in page
        for secret in TRACING_SECRETS:
            assert secret not in page, secret


def test_liaison_sees_the_tracing_identity(world: tuple[TestClient, Protected]) -> None:
    client, _protected = world
    _sign_in(client, "sv-liaison")
    report = client.get(f"/tracing/reports/{REPORT}?{TRACE}")
    assert report.status_code == 200
    assert f'href="/entities/{SIGHTED}"' in report.text and "Reeperbahn" in report.text

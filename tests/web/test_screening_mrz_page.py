"""The screening console's MRZ result: every check digit, warnings, specimens, suggestions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from support.mrz import replace_at, td3, visa
from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.store import Store

PASSWORD = "a long enough password"


@pytest.fixture
def console(store: Store) -> Iterator[TestClient]:
    with store.begin() as conn:
        create_agency(conn, "border-unit", "SE")
        create_user(conn, "officer", "border-unit", parse_roles(["border_officer"]), PASSWORD)
    with TestClient(create_app(store)) as client:
        response = client.post("/login", data={"username": "officer", "password": PASSWORD})
        assert response.status_code == 200, response.text
        yield client


def _check(client: TestClient, lines: list[str]) -> str:
    page = client.get("/screening")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/screening/mrz",
        data={"csrf_token": token, "lines": "\n".join(lines), "purpose": "border_check"},
    )
    assert response.status_code == 200, response.text
    return response.text


def test_specimen_is_flagged_and_every_check_digit_shown(console: TestClient) -> None:
    text = _check(console, td3())
    assert "Specimen: not a real travel document" in text
    assert "issuing state UTO is Utopia" in text
    assert "<caption>Check digits</caption>" in text
    assert "L898902C3" in text and "line 2, position 10" in text
    assert "1974-08-12, not 2074-08-12" in text


def test_unconfirmed_ocr_reading_is_a_suggestion(console: TestClient) -> None:
    lines = replace_at(visa(width=36, state="D", number="IK4M7AC3X"), 2, 1, "1")
    text = _check(console, lines)
    assert "check digits INVALID" in text
    assert "Suggested readings (not applied)" in text
    assert "IK4M7AC3X" in text and "no composite check digit" in text

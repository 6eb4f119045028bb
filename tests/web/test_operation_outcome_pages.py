"""The outcomes form of an operation page: blank fields keep the country's current figures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from support.web import csrf, sign_in
from threadline.api.app import create_app
from threadline.governance import SYSTEM
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.operations import build_spec, create_operation, outcome_history
from threadline.store import Store

PASSWORD = "a long enough password"


@pytest.fixture
def web(store: Store) -> Iterator[TestClient]:
    with store.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        create_user(conn, "coord", "test-unit", parse_roles(["operation_coordinator"]), PASSWORD)
        spec = build_spec(
            "NORD-1", name="Nord", start="2026-10-01", end="2026-10-07", countries="SE"
        )
        create_operation(conn, spec, SYSTEM)
    with TestClient(create_app(store)) as client:
        sign_in(client, "coord", PASSWORD, purpose=None)
        yield client


def _submit(web: TestClient, **figures: str) -> str:
    page = web.get("/operations/NORD-1")
    assert "a field left blank keeps the country" in page.text
    form = {"csrf_token": csrf(page.text), "country": "SE", **figures}
    answer = web.post("/operations/NORD-1/outcomes", data=form)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_form_with_one_field_keeps_the_other_figures(web: TestClient, store: Store) -> None:
    _submit(web, arrests_trafficking="7", victims_rescued="19", flights_checked="40")
    page = _submit(web, victims_rescued="21", note="recount")
    assert "SE: revision 2 saved (preliminary)" in page
    with store.connect() as conn:
        latest = outcome_history(conn, "NORD-1", "SE")[-1]
    assert latest.figures == {
        "arrests_trafficking": 7,
        "victims_rescued": 21,
        "flights_checked": 40,
    }
    assert [c.to_dict() for c in latest.changes] == [
        {"metric": "victims_rescued", "old": 19, "new": 21}
    ]
    assert latest.note == "recount"

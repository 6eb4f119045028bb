"""Wrong fields are answered 422 with problem+json, and nothing is stored or audited."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from threadline.exc import InputError
from threadline.governance.audit import iter_events
from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.primitives.inputs import full_date, partial_date
from threadline.store import Store
from threadline.store.findings import list_runs
from threadline.victims.tables import support_service, victim

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
PASSWORD = "a long enough password"
CHECK = {"purpose": "border_check"}
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
Headers = dict[str, dict[str, str]]
Api = tuple[TestClient, dict[str, str]]
# The client and store fixtures are shared by the examples on purpose.
FEW = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@pytest.fixture
def users(api: Api, store: Store) -> tuple[TestClient, Headers]:
    """Stockholm's border officer and victim liaison officer."""
    client, tokens = api
    with store.begin() as conn:
        for name, role in (("sv-officer", "border_officer"), ("sv-liaison", "victim_liaison")):
            create_user(conn, name, "NCB Stockholm", parse_roles([role]), PASSWORD)
            tokens[name] = issue_token(conn, name, "tests")
    return client, {name: {"Authorization": f"Bearer {t}"} for name, t in tokens.items()}


def _refused(response: Any, detail: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"] and "\n" not in response.json()["detail"]


def _count(store: Store, table: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _screenings(store: Store) -> int:
    with store.connect() as conn:
        return sum(e.action == "screening.person" for e in iter_events(conn))


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"dob": "1993-13-45"}, "dob: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"dob": TOMORROW}, f"dob: {TOMORROW} is in the future"),
        ({"sex": "Q"}, "sex: unknown sex 'Q'"),
        ({"nationality": "Atlantis"}, "nationality: unknown country 'Atlantis'"),
    ],
)
def test_person_screening_refuses_wrong_fields(
    users: tuple[TestClient, Headers], store: Store, fields: dict[str, str], detail: str
) -> None:
    client, headers = users
    body = {"names": ["Ivan Petrov"], **fields}
    response = client.post(
        "/api/v1/screening/person", json=body, params=CHECK, headers=headers["sv-officer"]
    )
    _refused(response, detail)
    assert _screenings(store) == 0


@FEW
@given(dob=TEXT, sex=st.sampled_from(["", "M", "f", "x", "U", "Q", "male", "Mars"]), nat=TEXT)
def test_person_screening_answers_200_or_422(
    users: tuple[TestClient, Headers], dob: str, sex: str, nat: str
) -> None:
    client, headers = users
    body = {"names": ["Ivan Petrov"], "dob": dob, "sex": sex, "nationality": nat}
    response = client.post(
        "/api/v1/screening/person", json=body, params=CHECK, headers=headers["sv-officer"]
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.headers["content-type"] == "application/problem+json"
    elif dob.strip():
        assert response.json()["query"]["birth_date"] == str(partial_date("dob", dob))


RECORD = {"identified_on": "2026-04-01", "identified_how": "raid"}


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"personal": {"date_of_birth": "2009-20"}}, "date_of_birth: not a date in the form"),
        ({"personal": {"date_of_birth": TOMORROW}}, f"date_of_birth: {TOMORROW} is in the future"),
        ({"identified_on": TOMORROW}, f"identified_on: {TOMORROW} is in the future"),
        ({"identified_on": "2026-04"}, "identified_on: not a full date"),
        ({"operation": "NOPE-1"}, "operation: unknown operation 'NOPE-1'"),
        ({"nationality": "Atlantis"}, "nationality: unknown country 'Atlantis'"),
        ({"language": "klingon"}, "language: unknown language 'klingon'"),
        ({"sex": "Q"}, "sex: unknown sex 'Q'"),
    ],
)
def test_victim_records_refuse_wrong_fields(
    users: tuple[TestClient, Headers], store: Store, fields: dict[str, Any], detail: str
) -> None:
    client, headers = users
    response = client.post(
        "/api/v1/victims", json={**RECORD, **fields}, headers=headers["sv-liaison"]
    )
    _refused(response, detail)
    assert _count(store, victim) == 0


@FEW
@given(
    dob=st.one_of(TEXT, st.dates(max_value=date.today()).map(str)),
    on=st.one_of(TEXT, st.dates(max_value=date.today() + timedelta(days=3)).map(str)),
)
def test_victim_records_answer_201_or_422(
    users: tuple[TestClient, Headers], store: Store, dob: str, on: str
) -> None:
    client, headers = users
    before = _count(store, victim)
    body = {**RECORD, "identified_on": on, "personal": {"date_of_birth": dob}}
    response = client.post("/api/v1/victims", json=body, headers=headers["sv-liaison"])
    try:
        full_date("identified_on", on, past=True)
        accepted = not dob.strip() or bool(partial_date("date_of_birth", dob, past=True))
    except InputError:
        accepted = False
    assert response.status_code == (201 if accepted else 422), response.text
    assert _count(store, victim) == before + accepted


def test_support_services_refuse_an_unknown_language(
    users: tuple[TestClient, Headers], store: Store
) -> None:
    client, headers = users
    body = {"country": "SE", "kind": "shelter", "name": "Safe House", "languages": ["klingon"]}
    response = client.post("/api/v1/victim-services", json=body, headers=headers["sv-liaison"])
    _refused(response, "languages: unknown language 'klingon'")
    assert _count(store, support_service) == 0


def test_manifest_screening_refuses_an_unknown_operation(
    users: tuple[TestClient, Headers], store: Store
) -> None:
    client, headers = users
    with (BORDER / "manifest.csv").open("rb") as handle:
        response = client.post(
            "/api/v1/screening/manifests",
            params=CHECK,
            files={"file": ("manifest.csv", handle, "text/csv")},
            data={"operation": "NOPE-1", "country": "SE"},
            headers=headers["sv-officer"],
        )
    _refused(response, "operation: unknown operation 'NOPE-1'")
    with store.connect() as conn:
        assert list_runs(conn, kind="screening") == []

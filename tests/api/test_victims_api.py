"""Victim care over the API: the liaison officer's workflow; others see pseudonyms only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support.holdings import hold, person
from threadline.governance.audit import iter_events
from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.store import Store

PASSWORD = "a long enough password"

Api = tuple[TestClient, dict[str, str]]
SECRETS = ["Nguyen Van Example", "1990-07-15", "C9876543", "+44 7700 900456", "se-case-p1"]
RECORD = {
    "identified_on": "2026-04-01",
    "identified_how": "hotline",
    "sex": "M",
    "minor": False,
    "nationality": "VN",
    "forms": ["forced_labour"],
    "needs": ["shelter", "interpretation"],
    "language": "vi",
    "personal": {
        "name": SECRETS[0],
        "date_of_birth": SECRETS[1],
        "documents": [SECRETS[2]],
        "phones": [SECRETS[3]],
    },
    "entity_ids": [SECRETS[4]],
    "compelled_offences": ["cannabis cultivation"],
}


@pytest.fixture
def care(api: Api, store: Store) -> tuple[TestClient, dict[str, dict[str, str]]]:
    """The client and auth headers per user, with liaison officers in Stockholm and Paris."""
    client, tokens = api
    with store.begin() as conn:
        for name, agency in (("sv-liaison", "NCB Stockholm"), ("fr-liaison", "NCB Paris")):
            create_user(conn, name, agency, parse_roles(["victim_liaison"]), PASSWORD)
            tokens[name] = issue_token(conn, name, "tests")
    # What Stockholm's bureau holds: the case-file person and an ad persona the record
    # links to, and the missing-person report it is reunited under.
    hold(
        store,
        "se-cases",
        [person("se-case-p1", "Nguyen Van Example"), person("ad-persona-3", "Minh")],
    )
    hold(
        store,
        "se-missing",
        [person("yellow-2025-77", "Nguyen Van Example")],
        kind="missing-persons",
    )
    return client, {name: {"Authorization": f"Bearer {t}"} for name, t in tokens.items()}


def _create(client: TestClient, headers: dict[str, str]) -> str:
    response = client.post("/api/v1/victims", json=RECORD, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["identified_country"] == "SE"  # the officer's country by default
    return str(response.json()["pseudonym"])


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


def test_liaison_workflow(care: tuple[TestClient, dict[str, dict[str, str]]], store: Store) -> None:
    client, h = care
    me = h["sv-liaison"]
    pseudonym = _create(client, me)
    base = f"/api/v1/victims/{pseudonym}"
    _ok(client.post(f"{base}/consents", json={"scope": "referral"}, headers=me), 201)
    service = _ok(
        client.post(
            "/api/v1/victim-services",
            json={"country": "SE", "kind": "shelter", "name": "Safe Harbour"},
            headers=me,
        ),
        201,
    )
    listed = _ok(client.get("/api/v1/victim-services?country=SE", headers=h["sv-analyst"]))
    assert [s["name"] for s in listed["items"]] == ["Safe Harbour"]
    made = _ok(
        client.post(
            f"{base}/referrals", json={"kind": "shelter", "service_id": service["id"]}, headers=me
        ),
        201,
    )
    referral = made["referral_id"]
    for status in ("accepted", "in_progress", "completed"):
        _ok(client.post(f"{base}/referrals/{referral}/status", json={"status": status}, headers=me))
    _ok(client.post(f"{base}/entities", json={"entity_ids": ["ad-persona-3"]}, headers=me))
    linked = {"report_id": "yellow-2025-77", "country": "VN"}
    _ok(client.post(f"{base}/missing-report", json=linked, headers=me))
    note = _ok(client.post(f"{base}/notifications", json={}, headers=me), 201)
    assert note["victim"]["notifications"][0]["country"] == "VN"
    reunion = {"date": "2026-05-10", "relationship": "sister", "with_whom": "Nguyen Thi Example"}
    _ok(client.post(f"{base}/reunifications", json=reunion, headers=me), 201)
    _ok(client.post(f"{base}/consents/referral/withdraw", headers=me))
    shown = _ok(client.get(base, headers=me))
    assert shown["personal"]["name"] == SECRETS[0]
    assert shown["entity_ids"] == ["se-case-p1", "ad-persona-3"]
    assert [e["status"] for e in shown["referrals"][0]["timeline"]] == [
        "requested",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert shown["consents"][0]["active"] is False
    assert shown["reunifications"][0]["with_whom"] == "Nguyen Thi Example"
    with store.connect() as conn:
        events = [e for e in iter_events(conn) if e.action.startswith("victim.")]
    assert [e.action for e in events] == [
        "victim.create",
        "victim.consent",
        "victim.refer",
        *["victim.referral_update"] * 3,
        "victim.link_entity",
        "victim.link_missing",
        "victim.notify",
        "victim.reunite",
        "victim.consent_withdraw",
        "victim.read",
    ]
    assert {e.component for e in events} == {"api"}
    trail = json.dumps([e.to_dict() for e in events], default=str)
    for secret in [*SECRETS, "Nguyen Thi", "yellow-2025-77"]:
        assert secret not in trail


@pytest.mark.parametrize("user", ["sv-analyst", "fr-liaison", "fr-analyst"])
def test_others_see_pseudonyms_only(
    care: tuple[TestClient, dict[str, dict[str, str]]], user: str
) -> None:
    client, h = care
    pseudonym = _create(client, h["sv-liaison"])
    shown = client.get(f"/api/v1/victims/{pseudonym}", headers=h[user])
    listed = client.get("/api/v1/victims?limit=1", headers=h[user])
    assert shown.json()["identity_visible"] is False
    assert listed.json()["items"][0]["pseudonym"] == pseudonym
    assert listed.json()["total"] == 1
    for secret in SECRETS:
        assert secret not in shown.text and secret not in listed.text


@pytest.mark.parametrize(
    ("user", "path", "body", "status", "detail"),
    [
        ("sv-analyst", "/victims", RECORD, 403, "this needs the victim_liaison role"),
        ("fr-liaison", "/victims/@/consents", {"scope": "referral"}, 403, "only the owning agency"),
        ("sv-liaison", "/victims/@/consents", {"scope": "gossip"}, 422, "unknown value 'gossip'"),
        ("sv-liaison", "/victims/V-AAAA-AAAA/consents", {"scope": "referral"}, 404, "no victim"),
        ("sv-liaison", "/victims/@/referrals/9/status", {"status": "accepted"}, 404, "referral 9"),
        ("sv-liaison", "/victims/@/notifications", {}, 422, "not linked to a missing-person"),
        (
            "sv-liaison",
            "/victims/@/reunifications",
            {"date": "2026-01-01", "relationship": "aunt"},
            422,
            "before the person was identified",
        ),
        ("sv-liaison", "/victims/@/entities", {"entity_ids": []}, 422, "entity_ids"),
    ],
)
def test_errors_are_problem_documents(
    care: tuple[TestClient, dict[str, dict[str, str]]],
    user: str,
    path: str,
    body: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    client, h = care
    pseudonym = _create(client, h["sv-liaison"])
    response = client.post(f"/api/v1{path.replace('@', pseudonym)}", json=body, headers=h[user])
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


def test_close_and_reopen(care: tuple[TestClient, dict[str, dict[str, str]]], store: Store) -> None:
    client, h = care
    me = h["sv-liaison"]
    pseudonym = _create(client, me)
    base = f"/api/v1/victims/{pseudonym}"
    closed = _ok(client.post(f"{base}/close", json={"reason": "care completed"}, headers=me))
    assert closed["status"] == "closed" and closed["closed_by"] == "sv-liaison"
    assert closed["closed_reason"] == "care completed"
    refused = client.post(f"{base}/consents", json={"scope": "referral"}, headers=me)
    assert refused.status_code == 422
    assert f"{pseudonym} is closed" in refused.json()["detail"]
    assert _ok(client.get("/api/v1/victims", headers=me))["total"] == 0  # open ones by default
    listed = _ok(client.get("/api/v1/victims?status=closed", headers=me))
    assert [v["status"] for v in listed["items"]] == ["closed"]
    assert _ok(client.get("/api/v1/victims?status=all", headers=me))["total"] == 1
    reopened = _ok(client.post(f"{base}/reopen", json={"reason": "new need"}, headers=me))
    assert reopened["status"] == "open" and reopened["closed_at"] is None
    shown = _ok(client.get(base, headers=h["sv-analyst"]))
    assert [s["status"] for s in shown["status_timeline"]] == ["closed", "open"]
    assert "care completed" not in json.dumps(shown) and "new need" not in json.dumps(shown)
    with store.connect() as conn:
        events = [e for e in iter_events(conn) if e.action in ("victim.close", "victim.reopen")]
    assert [(e.action, e.component, e.detail) for e in events] == [
        ("victim.close", "api", {"reason_length": len("care completed")}),
        ("victim.reopen", "api", {"reason_length": len("new need")}),
    ]


@pytest.mark.parametrize(
    ("user", "path", "body", "status", "detail"),
    [
        ("sv-analyst", "/victims/@/close", {"reason": "x"}, 403, "victim_liaison role"),
        ("fr-liaison", "/victims/@/close", {"reason": "x"}, 403, "only the owning agency"),
        ("sv-liaison", "/victims/@/close", {"reason": " "}, 422, "reason: say why"),
        ("sv-liaison", "/victims/@/close", {}, 422, "reason"),
        ("sv-liaison", "/victims/@/reopen", {"reason": "x"}, 422, "is open already"),
        ("sv-liaison", "/victims/V-AAAA-AAAA/close", {"reason": "x"}, 404, "no victim"),
    ],
)
def test_close_errors_are_problem_documents(
    care: tuple[TestClient, dict[str, dict[str, str]]],
    user: str,
    path: str,
    body: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    client, h = care
    pseudonym = _create(client, h["sv-liaison"])
    response = client.post(f"/api/v1{path.replace('@', pseudonym)}", json=body, headers=h[user])
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


def test_list_refuses_an_unknown_status(care: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, h = care
    response = client.get("/api/v1/victims?status=gone", headers=h["sv-liaison"])
    assert response.status_code == 422
    assert "status: unknown value 'gone'" in response.json()["detail"]

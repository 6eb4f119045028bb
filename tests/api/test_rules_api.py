"""Screening rules over the API: write, back-test, activate; roles, agencies, alerts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.store import Store

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
PASSWORD = "a long enough password"
Api = tuple[TestClient, dict[str, str]]
CHECK = {"purpose": "border_check"}
RULE = {
    "name": "child-alone",
    "expression": "minor and booking_adults == 0",
    "action": "referral",
    "description": "a child with no adult on the booking",
}


@pytest.fixture
def rules_api(api: Api, store: Store) -> Api:
    client, tokens = api
    with store.begin() as conn:
        create_user(conn, "sv-officer", "NCB Stockholm", parse_roles(["border_officer"]), PASSWORD)
        tokens["sv-officer"] = issue_token(conn, "sv-officer", "tests")
    return client, tokens


def _as(tokens: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


def _upload(client: TestClient, tokens: dict[str, str], user: str = "sv-officer") -> dict:
    with (BORDER / "manifest.csv").open("rb") as handle:
        response = client.post(
            "/api/v1/screening/manifests",
            files={"file": ("manifest.csv", handle, "text/csv")},
            params=CHECK,
            headers=_as(tokens, user),
        )
    assert response.status_code == 200, response.text
    return response.json()


def test_write_backtest_activate_and_the_alert_it_raises(rules_api: Api) -> None:
    client, tokens = rules_api
    analyst = _as(tokens, "sv-analyst")
    _upload(client, tokens)  # archived for the back-test

    created = client.post("/api/v1/rules", json=RULE, headers=analyst)
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "draft" and created.json()["version"] == 1

    refused = client.post("/api/v1/rules/child-alone/activate", json={}, headers=analyst)
    assert refused.status_code == 422 and "has not been back-tested" in refused.json()["detail"]

    tested = client.post(
        "/api/v1/rules/child-alone/test", json={}, params=CHECK, headers=analyst
    ).json()
    assert (tested["manifests"], tested["travellers"], tested["flagged"]) == (1, 9, 1)
    assert tested["examples"][0]["record_id"] == "R003"
    active = client.post("/api/v1/rules/child-alone/activate", json={"version": 1}, headers=analyst)
    assert active.status_code == 200 and active.json()["state"] == "active"

    result = _upload(client, tokens)
    assert [f["record_id"] for f in result["rule_flags"]] == ["R003"]
    alerts = client.get(
        "/api/v1/alerts", params={**CHECK, "kind": "rule"}, headers=_as(tokens, "sv-officer")
    ).json()
    (alert,) = alerts["items"]
    assert alert["decision"] == "referral"
    assert alert["explanation"][0]["expression"] == RULE["expression"]
    assert alert["explanation"][0]["fields"] == {"minor": True, "booking_adults": 0}
    assert _upload(client, tokens)["rule_flags"]  # the same manifest again ...
    again = client.get("/api/v1/alerts", params={**CHECK, "kind": "rule"}, headers=analyst)
    assert again.json()["total"] == 1  # ... raises no second alert

    shown = client.get("/api/v1/rules/child-alone", params=CHECK, headers=analyst).json()
    assert shown["active_version"] == 1 and shown["versions"][0]["backtest"]["flagged"] == 1
    retired = client.post(
        "/api/v1/rules/child-alone/retire", json={"reason": "replaced"}, headers=analyst
    )
    assert retired.status_code == 200 and retired.json()["state"] == "retired"


def test_bad_expressions_are_422_with_the_reason(rules_api: Api) -> None:
    client, tokens = rules_api
    bad = client.post(
        "/api/v1/rules", json={**RULE, "expression": "agee < 18"}, headers=_as(tokens, "sv-analyst")
    )
    assert bad.status_code == 422
    assert "unknown field 'agee' (did you mean age?)" in bad.json()["detail"]
    fields = client.get("/api/v1/rules/fields", headers=_as(tokens, "sv-analyst")).json()
    assert {"name": "minor", "group": "traveller", "type": "yes/no"}.items() <= (
        fields["items"][1].items()
    )


def test_roles_and_agencies(rules_api: Api) -> None:
    client, tokens = rules_api
    denied = client.post("/api/v1/rules", json=RULE, headers=_as(tokens, "sv-officer"))
    assert denied.status_code == 403
    assert client.post("/api/v1/rules", json=RULE, headers=_as(tokens, "sv-analyst")).is_success
    listed = client.get("/api/v1/rules", headers=_as(tokens, "sv-officer")).json()["items"]
    assert [r["name"] for r in listed] == ["child-alone"]
    assert client.get("/api/v1/rules", headers=_as(tokens, "sv-auditor")).status_code == 403
    other = _as(tokens, "fr-analyst")
    assert client.get("/api/v1/rules", headers=other).json()["items"] == []
    missing = client.get("/api/v1/rules/child-alone", params=CHECK, headers=other)
    assert missing.status_code == 404
    assert "no screening rule 'child-alone' for your agency" in missing.json()["detail"]
    for action in ("test", "activate", "retire"):
        answer = client.post(
            f"/api/v1/rules/child-alone/{action}", json={}, params=CHECK, headers=other
        )
        assert answer.status_code == 404, action
    no_purpose = client.get("/api/v1/rules/child-alone", headers=_as(tokens, "sv-analyst"))
    assert no_purpose.status_code == 403  # its back-test names travellers: a person query
    assert "a person query needs a purpose" in no_purpose.json()["detail"]

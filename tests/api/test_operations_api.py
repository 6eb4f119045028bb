"""Operations over the API: a coordinator defines and confirms, countries submit their own."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from threadline.governance.audit import iter_events
from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.store import Store

PASSWORD = "a long enough password"

Api = tuple[TestClient, dict[str, str]]
Headers = dict[str, dict[str, str]]
OPERATION = {
    "code": "LIBRA-2026",
    "name": "Libra",
    "edition": "2026",
    "start": "2026-09-01",
    "end": "2026-09-10",
    "countries": [{"country": "SE", "contact_agency": "NCB Stockholm"}, {"country": "FR"}],
    "focus": ["forced_labour"],
    "coordinators": ["INTERPOL"],
}
SE_FIGURES = {"arrests_trafficking": 9, "victims_rescued": 33, "notices": {"red": 1}}


@pytest.fixture
def ops(api: Api, store: Store) -> tuple[TestClient, Headers]:
    client, tokens = api
    with store.begin() as conn:
        create_user(
            conn, "coordinator", "NCB Stockholm", parse_roles(["operation_coordinator"]), PASSWORD
        )
        tokens["coordinator"] = issue_token(conn, "coordinator", "tests")
    headers = {name: {"Authorization": f"Bearer {t}"} for name, t in tokens.items()}
    response = client.post("/api/v1/operations", json=OPERATION, headers=headers["coordinator"])
    assert response.status_code == 201, response.text
    return client, headers


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_submit_confirm_report(ops: tuple[TestClient, Headers], store: Store) -> None:
    client, h = ops
    base = "/api/v1/operations/LIBRA-2026"
    rev = _ok(
        client.post(f"{base}/outcomes/SE", json={"figures": SE_FIGURES}, headers=h["sv-analyst"]),
        201,
    )
    assert (rev["revision"], rev["status"], rev["changed_by"]) == (1, "preliminary", "sv-analyst")
    fr = {"figures": {"arrests_smuggling": 4}, "note": "first count"}
    _ok(client.post(f"{base}/outcomes/FR", json=fr, headers=h["fr-analyst"]), 201)
    confirmed = _ok(client.post(f"{base}/outcomes/SE/confirm", headers=h["coordinator"]), 201)
    assert confirmed["status"] == "confirmed"
    history = _ok(client.get(f"{base}/outcomes/SE?limit=1", headers=h["fr-analyst"]))
    assert history["total"] == 2 and history["next_offset"] == 1
    shown = _ok(client.get(base, headers=h["fr-analyst"]))
    assert shown["totals"]["arrests_total"] == 13
    assert shown["status"] == "preliminary"
    listed = _ok(client.get("/api/v1/operations", headers=h["sv-auditor"]))
    assert [o["code"] for o in listed["items"]] == ["LIBRA-2026"]
    for fmt, media, marker in (
        ("html", "text/html", b"PRELIMINARY figures"),
        ("pdf", "application/pdf", b"%PDF"),
        ("csv", "text/csv", b"operation,country,status"),
    ):
        response = client.get(f"{base}/report?format={fmt}", headers=h["sv-analyst"])
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        assert f'filename="LIBRA-2026-report.{fmt}"' in response.headers["content-disposition"]
        assert marker in response.content
    with store.connect() as conn:
        events = [e for e in iter_events(conn) if e.target_type == "operation"]
    assert [(e.action, e.user, e.component) for e in events][:4] == [
        ("operation.create", "coordinator", "api"),
        ("operation.submit", "sv-analyst", "api"),
        ("operation.submit", "fr-analyst", "api"),
        ("operation.confirm", "coordinator", "api"),
    ]
    assert [e.detail["format"] for e in events[4:]] == ["html", "pdf", "csv"]


@pytest.mark.parametrize(
    ("user", "method", "path", "body", "status", "detail"),
    [
        ("sv-analyst", "post", "", {**OPERATION, "code": "X-1"}, 403, "only operation coord"),
        ("coordinator", "post", "", OPERATION, 422, "already exists"),
        ("fr-analyst", "post", "/LIBRA-2026/outcomes/SE", {"figures": {}}, 403, "agency of SE"),
        (
            "sv-analyst",
            "post",
            "/LIBRA-2026/outcomes/SE",
            {"figures": {"victim_rescued": 3}},
            422,
            "unknown metric 'victim_rescued'",
        ),
        (
            "sv-analyst",
            "post",
            "/LIBRA-2026/outcomes/SE",
            {"figures": {}, "confirm": True},
            403,
            "only operation coordinators may confirm",
        ),
        ("coordinator", "post", "/LIBRA-2026/outcomes/DE", {"figures": {}}, 422, "DE is not"),
        ("sv-analyst", "post", "/LIBRA-2026/outcomes/SE/confirm", None, 403, "coordinators"),
        ("coordinator", "post", "/LIBRA-2026/outcomes/FR/confirm", None, 422, "no figures"),
        ("sv-analyst", "get", "/NOPE", None, 404, "no operation with code 'NOPE'"),
        ("sv-analyst", "get", "/LIBRA-2026/report?format=docx", None, 422, "format"),
    ],
)
def test_errors(
    ops: tuple[TestClient, Headers],
    user: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
    detail: str,
) -> None:
    client, h = ops
    url = f"/api/v1/operations{path}"
    kwargs: dict[str, Any] = {"headers": h[user]}
    if body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


def test_a_partial_resubmission_keeps_the_rest(ops: tuple[TestClient, Headers]) -> None:
    """Resending one figure over the API changes it alone; history shows old → new."""
    client, h = ops
    base = "/api/v1/operations/LIBRA-2026/outcomes/SE"
    _ok(client.post(base, json={"figures": SE_FIGURES}, headers=h["sv-analyst"]), 201)
    fix = {"figures": {"victims_rescued": 35, "notices": {"yellow": 2}}, "note": "recount"}
    rev = _ok(client.post(base, json=fix, headers=h["sv-analyst"]), 201)
    assert rev["figures"] == {
        "arrests_trafficking": 9,
        "victims_rescued": 35,
        "notices": {"red": 1, "yellow": 2},
    }
    assert rev["changes"] == [
        {"metric": "notices.yellow", "old": None, "new": 2},
        {"metric": "victims_rescued", "old": 33, "new": 35},
    ]
    history = _ok(client.get(f"{base}?offset=1", headers=h["fr-analyst"]))
    (entry,) = history["items"]
    assert entry == rev
    assert (entry["changed_by"], entry["note"]) == ("sv-analyst", "recount")
    shown = _ok(client.get("/api/v1/operations/LIBRA-2026", headers=h["fr-analyst"]))
    assert shown["totals"]["arrests_total"] == 9

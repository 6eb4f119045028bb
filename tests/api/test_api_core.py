from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

FIXTURES = Path(__file__).parent.parent / "fixtures"
Api = tuple[TestClient, dict[str, str]]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _upload(client: TestClient, token: str, name: str = "cases") -> dict[str, object]:
    with (FIXTURES / "broken.ftm.jsonl").open("rb") as handle:
        response = client.post(
            f"/api/v1/collections/{name}/files",
            headers=auth(token),
            files={"file": ("broken.ftm.jsonl", handle)},
        )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_errors_are_problem_documents(api: Api) -> None:
    client, _ = api
    response = client.get("/api/v1/collections")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "sign in, or send an API token"
    response = client.get("/api/v1/collections", headers=auth("tl_wrong"))
    assert response.json()["detail"] == "invalid or revoked API token"


def test_upload_gives_a_job_with_its_rejection_report(api: Api) -> None:
    client, tokens = api
    job = _upload(client, tokens["sv-analyst"])
    assert (job["read"], job["stored"], job["rejected"]) == (10, 5, 5)
    page = client.get(f"/api/v1/jobs/{job['id']}?limit=5", headers=auth(tokens["sv-analyst"]))
    rejections = page.json()["rejections"]
    assert [r["position"] for r in rejections["items"]] == [2, 3, 5, 6, 7]
    assert rejections["next_offset"] == 5 and rejections["total"] == 7
    collection = client.get("/api/v1/collections/cases", headers=auth(tokens["sv-analyst"]))
    assert collection.json()["owner_agency"] == "NCB Stockholm"


def test_a_paxlst_upload_gives_its_warnings_page(api: Api) -> None:
    client, tokens = api
    sv, fr = auth(tokens["sv-analyst"]), auth(tokens["fr-analyst"])
    with (FIXTURES / "border" / "paxlst" / "text_places.edi").open("rb") as handle:
        response = client.post(
            "/api/v1/collections/api/files", headers=sv, files={"file": ("a.edi", handle)}
        )
    job = response.json()
    assert (job["stored"], job["rejected"], job["warnings"]) == (2, 0, 2)
    page = client.get(f"/api/v1/jobs/{job['id']}/warnings?limit=1", headers=sv).json()
    assert [(w["position"], w["source_id"]) for w in page["items"]] == [(26, "TP0001")]
    assert page["total"] == 2 and page["next_offset"] == 1
    assert client.get(f"/api/v1/jobs/{job['id']}/warnings", headers=fr).status_code == 404


def test_other_agencies_see_nothing_until_shared(api: Api) -> None:
    client, tokens = api
    _upload(client, tokens["sv-analyst"])
    fr = auth(tokens["fr-analyst"])
    assert (
        client.get(
            "/api/v1/entities/b1?purpose=investigation&reference=CASE-T", headers=fr
        ).status_code
        == 404
    )
    assert client.get("/api/v1/collections/cases", headers=fr).status_code == 404
    assert client.get("/api/v1/collections", headers=fr).json()["total"] == 0
    search = client.get("/api/v1/search?q=good&purpose=border_check", headers=fr)
    assert search.json()["items"] == []
    entity = client.get(
        "/api/v1/entities/b1?purpose=investigation&reference=CASE-T",
        headers=auth(tokens["sv-analyst"]),
    ).json()
    assert entity["values"][0]["collection"] == "cases"


def test_search_needs_a_purpose(api: Api) -> None:
    client, tokens = api
    _upload(client, tokens["sv-analyst"])
    sv = auth(tokens["sv-analyst"])
    refused = client.get("/api/v1/search?q=good", headers=sv)
    assert refused.status_code == 403
    assert "needs a purpose" in refused.json()["detail"]
    found = client.get("/api/v1/search?q=good&purpose=border_check", headers=sv).json()
    assert sorted(r["caption"] for r in found["items"]) == ["Good One", "Good Two"]


def test_audit_is_for_auditors(api: Api) -> None:
    client, tokens = api
    _upload(client, tokens["sv-analyst"])
    client.get(
        "/api/v1/entities/b1?purpose=investigation&reference=CASE-T",
        headers=auth(tokens["sv-analyst"]),
    )
    assert client.get("/api/v1/audit/events", headers=auth(tokens["sv-analyst"])).status_code == 403
    events = client.get("/api/v1/audit/events", headers=auth(tokens["sv-auditor"])).json()
    assert ("sv-analyst", "entity.read") in {(e["user"], e["action"]) for e in events["items"]}
    assert client.get("/api/v1/audit/verify", headers=auth(tokens["sv-auditor"])).json()["ok"]


def test_validation_errors_name_the_field(api: Api) -> None:
    client, tokens = api
    response = client.get("/api/v1/jobs?limit=0", headers=auth(tokens["sv-analyst"]))
    assert response.status_code == 422
    assert "limit" in response.json()["detail"]
    response = client.post(
        "/api/v1/collections", json={"name": "Bad Name"}, headers=auth(tokens["sv-analyst"])
    )
    assert response.status_code == 422
    assert "invalid collection name" in response.json()["detail"]


def test_refusals_are_audited(api: Api) -> None:
    client, tokens = api
    refused = client.get("/api/v1/audit/events", headers=auth(tokens["sv-analyst"]))
    assert refused.status_code == 403
    events = client.get("/api/v1/audit/events", headers=auth(tokens["sv-auditor"])).json()
    denied = [e for e in events["items"] if e["action"] == "access.denied"]
    assert denied and denied[0]["user"] == "sv-analyst"
    assert denied[0]["outcome"] == "denied"
    assert denied[0]["target_id"] == "GET /api/v1/audit/events"

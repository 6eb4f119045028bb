"""SQL, path and template injection attempts on text inputs are inert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, issue_token, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "amber kettle under the bridge"  # meets the password policy
HOSTILE = "{{7*7}}<script>alert(1)</script>' OR '1'='1"
WHY = {"purpose": "investigation", "reference": "CASE-1"}


@pytest.fixture
def client(store: Store, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with store.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        create_user(conn, "ana", "test-unit", parse_roles(["analyst"]), PASSWORD)
        token = issue_token(conn, "ana", "t")
    hostile = tmp_path / "hostile.ftm.jsonl"
    row = {"id": "evil-1", "schema": "Person", "properties": {"name": [HOSTILE]}}
    hostile.write_bytes(orjson.dumps(row) + b"\n")
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    ingest_file(store, hostile, "cases")
    with TestClient(create_app(store)) as test_client:
        yield test_client, {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "query",
    ["' OR '1'='1", "'; DROP TABLE statement; --", "%%", "__", "\\\\", "a%' UNION SELECT 1 --"],
)
def test_search_treats_sql_as_text(client: tuple[TestClient, dict[str, str]], query: str) -> None:
    http, auth = client
    response = http.get("/api/v1/search", params={"q": query, **WHY}, headers=auth)
    assert response.status_code == 200
    captions = [item["caption"] for item in response.json()["items"]]
    assert all(query.lower() in c.lower() for c in captions)
    still_there = http.get("/api/v1/entities/se-case-p1", params=WHY, headers=auth)
    assert still_there.status_code == 200


@pytest.mark.parametrize("entity_id", ["../../etc/passwd", "..%2F..%2Fetc", "x' OR '1'='1", "%00"])
def test_odd_ids_are_just_not_found(
    client: tuple[TestClient, dict[str, str]], entity_id: str
) -> None:
    http, auth = client
    response = http.get(f"/api/v1/entities/{entity_id}", params=WHY, headers=auth)
    assert response.status_code == 404


def test_hostile_text_is_escaped_in_pages(client: tuple[TestClient, dict[str, str]]) -> None:
    http, auth = client
    data = http.get("/api/v1/entities/evil-1", params=WHY, headers=auth).json()
    assert data["properties"]["name"] == [HOSTILE]
    http.post("/login", data={"username": "ana", "password": PASSWORD})
    page = http.get("/entities/evil-1", params=WHY).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "{{7*7}}" in page and ">49<" not in page


def test_upload_file_name_cannot_escape(client: tuple[TestClient, dict[str, str]]) -> None:
    http, auth = client
    content = (FIXTURES / "cases.ftm.jsonl").read_bytes()
    response = http.post(
        "/api/v1/collections/uploads/files",
        headers=auth,
        files={"file": ("../../../../tmp/evil.ftm.jsonl", content)},
    )
    assert response.status_code == 201
    assert response.json()["source"].endswith("/evil.ftm.jsonl")
    assert "/../" not in response.json()["source"]

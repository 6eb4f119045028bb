"""The web pages through HTTP: sign-in, sessions, CSRF, what each role sees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from support.web import sign_in
from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "a long enough password"


@pytest.fixture
def web(store: Store) -> Iterator[TestClient]:
    with store.begin() as conn:
        create_agency(conn, "test-unit", "SE")
        create_user(conn, "astrid", "test-unit", parse_roles(["analyst", "auditor"]), PASSWORD)
        create_user(conn, "bo", "test-unit", parse_roles(["analyst"]), PASSWORD)
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    with TestClient(create_app(store)) as client:
        yield client


def _sign_in(
    client: TestClient, user: str = "astrid", purpose: str | None = "investigation"
) -> None:
    page = sign_in(client, user, PASSWORD, purpose=purpose)  # and choose the working purpose
    assert "Dashboard" in page


def test_pages_need_sign_in(web: TestClient) -> None:
    response = web.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    bad = web.post("/login", data={"username": "astrid", "password": "nope nope nope"})
    assert bad.status_code == 401
    assert "wrong username or password" in bad.text


def test_search_entity_and_provenance(web: TestClient) -> None:
    _sign_in(web, purpose=None)
    no_purpose = web.get("/search?q=eriksson")
    assert "a person query needs a purpose" in no_purpose.text
    assert "Anna Maria Eriksson" not in web.get("/entities/se-case-p1").text
    found = web.get("/search?q=eriksson&purpose=investigation&reference=CASE-1")
    assert 'href="/entities/se-case-p1"' in found.text
    # The purpose stated with the search is the session's working purpose from then on.
    page = web.get("/entities/se-case-p1")
    assert "Anna Maria Eriksson" in page.text
    assert "se-case-p1" in page.text and "cases" in page.text
    missing = web.get("/entities/nope")
    assert missing.status_code == 404 and "no entity with id" in missing.text


def test_a_refused_purpose_is_not_remembered(web: TestClient) -> None:
    _sign_in(web, "bo", purpose=None)  # an analyst, not an auditor
    refused = web.get("/search?q=eriksson&purpose=audit&reference=AUD-1")
    assert "purpose &#39;audit&#39; is for auditors" in refused.text
    assert "threadline_purpose" not in refused.headers.get("set-cookie", "")
    assert "a person query needs a purpose" in web.get("/entities/se-case-p1").text


def test_job_page_lists_rejections_and_warnings(web: TestClient, store: Store) -> None:
    job = ingest_file(store, FIXTURES / "border" / "paxlst" / "count_disagreements.edi", "cases")
    _sign_in(web)
    page = web.get(f"/jobs/{job.job.id}").text
    assert "rejected 1; 4 warnings" in page
    assert "traveller without a surname" in page
    assert "<td>28</td><td>CD0001</td><td>segment 28 (CNT+42:12&#39;): CNT+42 declares" in page


def test_audit_page_only_for_auditors(web: TestClient) -> None:
    _sign_in(web, "bo")
    assert web.get("/audit").status_code == 403
    web.cookies.clear()
    _sign_in(web, "astrid")
    page = web.get("/audit")
    assert "Chain intact" in page.text
    assert "auth.login" in page.text


def test_logout_needs_the_csrf_token(web: TestClient) -> None:
    _sign_in(web)
    refused = web.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    page = web.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = web.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert web.get("/", follow_redirects=False).status_code == 303


def test_dashboard_words_a_missing_person_hit_as_safeguarding(
    web: TestClient, store: Store
) -> None:
    from threadline.store.collections import get_collection
    from threadline.store.findings import Finding, add_findings, start_run

    with store.begin() as conn:
        cases = get_collection(conn, "cases")
        run = start_run(conn, "screening", scope={}, user="test")
        add_findings(
            conn,
            run,
            [
                Finding(
                    kind="screening_hit",
                    key="k1",
                    subject_id="se-case-p2",
                    related_id="se-case-p1",
                    collection_id=cases.id,
                    score=0.97,
                    decision="match",
                    data={"notice": "yellow", "flight": "YY1234"},
                )
            ],
        )
    _sign_in(web)
    page = web.get("/").text
    assert "may be reported missing (yellow notice): consider a safeguarding interview" in page
    assert 'href="/entities/se-case-p1">Anna Maria Eriksson</a>' in page
    assert "(flight YY1234)" in page

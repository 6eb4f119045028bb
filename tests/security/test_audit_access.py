"""Who reads the audit log, what it says about the way in, and who may query for audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from threadline.api.app import API_PREFIX, create_app
from threadline.cli.main import main
from threadline.governance import Actor, Purpose, Role, require_purpose
from threadline.governance.audit import iter_events
from threadline.governance.identity import create_agency, create_user, issue_token, parse_roles
from threadline.governance.policy import AccessDenied
from threadline.ingest.runner import ingest_file
from threadline.settings import configure
from threadline.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "amber kettle under the bridge"
USERS = {
    "se-analyst": ("NCB Stockholm", "SE", ["analyst"]),
    "se-auditor": ("NCB Stockholm", "SE", ["auditor"]),
    "fr-analyst": ("NCB Paris", "FR", ["analyst"]),
    "fr-auditor": ("NCB Paris", "FR", ["auditor"]),
    "eu-auditor": ("Coordination Office", "NL", ["auditor"]),
}


@pytest.fixture
def api(store: Store) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    configure(default_agency="NCB Stockholm", default_country="SE")
    auth: dict[str, dict[str, str]] = {}
    with store.begin() as conn:
        for agency, country in {(a, c) for a, c, _ in USERS.values()}:
            create_agency(conn, agency, country)
        for name, (agency, _country, roles) in USERS.items():
            create_user(conn, name, agency, parse_roles(roles), PASSWORD)
            auth[name] = {"Authorization": f"Bearer {issue_token(conn, name, 'tests')}"}
    ingest_file(store, FIXTURES / "cases.ftm.jsonl", "cases")
    with TestClient(create_app(store)) as client:
        yield client, auth


def _search(client: TestClient, headers: dict[str, str], **purpose: str) -> int:
    params = {"q": "eriksson", **purpose}
    return client.get(f"{API_PREFIX}/search", params=params, headers=headers).status_code


def _audited_users(client: TestClient, headers: dict[str, str]) -> set[str]:
    response = client.get(f"{API_PREFIX}/audit/events", params={"limit": 500}, headers=headers)
    assert response.status_code == 200
    return {event["user"] for event in response.json()["items"]}


def test_each_agency_s_auditors_read_only_their_agency_s_events(
    api: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, auth = api
    # A French person query naming someone Sweden may hold as a possible victim.
    assert _search(client, auth["fr-analyst"], purpose="investigation", reference="FR-42") == 200
    assert _search(client, auth["se-analyst"], purpose="investigation", reference="SE-7") == 200
    assert _audited_users(client, auth["se-auditor"]) == {"se-analyst", "se-auditor"}
    assert _audited_users(client, auth["fr-auditor"]) == {"fr-analyst", "fr-auditor"}
    assert "fr-analyst" not in _audited_users(client, auth["eu-auditor"])


def test_auditors_of_a_coordinating_agency_read_every_agency_s_events(
    api: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, auth = api
    configure(audit_all_agencies="Coordination Office, Another Body")
    _search(client, auth["fr-analyst"], purpose="investigation", reference="FR-42")
    assert "fr-analyst" not in _audited_users(client, auth["se-auditor"])
    assert {"fr-analyst", "se-auditor", "eu-auditor"} <= _audited_users(client, auth["eu-auditor"])


def _sign_in(client: TestClient, user: str) -> None:
    client.cookies.clear()
    response = client.post("/login", data={"username": user, "password": PASSWORD})
    assert response.status_code == 200


def test_the_audit_page_shows_only_the_agency_s_events(
    api: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, auth = api
    _search(client, auth["fr-analyst"], purpose="investigation", reference="FR-42")
    _sign_in(client, "se-auditor")
    page = client.get("/audit").text
    assert "se-auditor (NCB Stockholm, SE)" in page
    assert "fr-analyst" not in page and "NCB Paris" not in page
    assert "Events of NCB Stockholm (SE) only" in page


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_audit_export_by_a_named_user_is_for_auditors_and_their_agency(
    api: tuple[TestClient, dict[str, dict[str, str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    client, auth = api
    _search(client, auth["fr-analyst"], purpose="investigation", reference="FR-42")
    code, _out, err = _run(capsys, "--user", "se-analyst", "audit", "export")
    assert code == 2 and "the audit log is for auditors" in err
    code, out, _err = _run(capsys, "--user", "se-auditor", "audit", "export")
    users = {orjson.loads(line)["user"] for line in out.splitlines()}
    assert code == 0 and "fr-analyst" not in users and "se-auditor" in users
    code, out, _err = _run(capsys, "audit", "export")  # the console operator holds the database
    assert "fr-analyst" in {orjson.loads(line)["user"] for line in out.splitlines()}


def test_every_event_records_the_channel_it_came_through(
    api: tuple[TestClient, dict[str, dict[str, str]]],
    store: Store,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client, auth = api
    why = "purpose=investigation&reference=SE-7"
    client.get(f"{API_PREFIX}/entities/se-case-p1?{why}", headers=auth["se-analyst"])
    _sign_in(client, "se-analyst")
    client.get(f"/entities/se-case-p1?{why}")
    _run(
        capsys,
        *("--user", "se-analyst", "--purpose", "investigation", "--reference", "SE-7"),
        *("entities", "show", "se-case-p1"),
    )
    with store.connect() as conn:
        reads = [(e.channel, e.component) for e in iter_events(conn) if e.action == "entity.read"]
    assert [channel for channel, _ in reads] == ["api", "web", "cli"]
    assert reads[0][1] == "api" and reads[2][1] == "cli"


@pytest.mark.parametrize(
    ("user", "purpose", "status"),
    [
        ("se-analyst", {"purpose": "audit", "reference": "AUD-2026-1"}, 403),
        ("se-auditor", {"purpose": "audit"}, 403),
        ("se-auditor", {"purpose": "audit", "reference": "AUD-2026-1"}, 200),
        ("se-analyst", {"purpose": "investigation", "reference": "SE-7"}, 200),
    ],
)
def test_the_audit_purpose_is_for_auditors_with_a_reference(
    api: tuple[TestClient, dict[str, dict[str, str]]],
    user: str,
    purpose: dict[str, str],
    status: int,
) -> None:
    client, auth = api
    assert _search(client, auth[user], **purpose) == status


def test_the_audit_purpose_decision_carries_its_reason() -> None:
    analyst = Actor("a", "NCB Lisbon", "PT", frozenset({Role.ANALYST}))
    auditor = Actor("b", "NCB Lisbon", "PT", frozenset({Role.AUDITOR}))
    with pytest.raises(AccessDenied, match="purpose 'audit' is for auditors"):
        require_purpose(analyst.for_purpose(Purpose.AUDIT, "AUD-1"))
    with pytest.raises(AccessDenied, match="needs a case or operation reference"):
        require_purpose(auditor.for_purpose(Purpose.AUDIT))
    assert require_purpose(auditor.for_purpose(Purpose.AUDIT, "AUD-1")) is Purpose.AUDIT

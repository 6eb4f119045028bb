"""Credentials an attacker could steal or abuse: token scopes, roles and lifetime, reset
codes, sessions that must end, and the headers that keep pages from being framed or kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text

from threadline.api.app import API_PREFIX, create_app
from threadline.cli.main import main
from threadline.exc import InputError
from threadline.governance import SYSTEM, Actor, Role
from threadline.governance.identity import (
    AuthenticationFailed,
    create_agency,
    create_user,
    issue_reset_code,
    issue_token,
    parse_roles,
    reset_password,
)
from threadline.governance.policy import AccessDenied
from threadline.settings import configure
from threadline.store import Store

PASSWORD = "amber kettle under the bridge"
NEW_PASSWORD = "seven quiet lanterns by the harbour"


@pytest.fixture
def web(store: Store) -> Iterator[TestClient]:
    with store.begin() as conn:
        create_agency(conn, "NCB Lisbon", "PT")
        create_user(conn, "ana", "NCB Lisbon", parse_roles(["analyst", "auditor"]), PASSWORD)
        create_user(conn, "rui", "NCB Lisbon", parse_roles(["administrator"]), PASSWORD)
    with TestClient(create_app(store)) as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _writes() -> list[tuple[str, str]]:
    """Every API operation that changes something (method other than GET), with a sample path."""
    from threadline.store import open_store

    app = create_app(open_store(":memory:"))
    found = []
    for context in iter_route_contexts(app.router.routes):
        if isinstance(context.route, APIRoute) and context.path.startswith(API_PREFIX):
            for method in sorted(set(context.methods or ()) - {"GET", "HEAD", "OPTIONS"}):
                found.append((method, re.sub(r"\{[^}]+\}", "x", context.path)))
    return found


def test_a_read_only_token_is_refused_on_every_route_that_writes(
    web: TestClient, store: Store
) -> None:
    with store.begin() as conn:
        token = issue_token(conn, "ana", "dashboard", scopes=["read"])
    assert web.get(f"{API_PREFIX}/collections", headers=_bearer(token)).status_code == 200
    writes = _writes()
    assert len(writes) > 10
    for method, path in writes:
        response = web.request(method, path, headers=_bearer(token), json={})
        assert response.status_code == 403, (method, path, response.status_code)
        assert "read-only" in response.json()["detail"]


def test_a_token_acts_only_with_the_roles_it_was_issued_for(web: TestClient, store: Store) -> None:
    with store.begin() as conn:
        narrow = issue_token(conn, "ana", "analysis", roles=frozenset({Role.ANALYST}))
        full = issue_token(conn, "ana", "audit")
        with pytest.raises(InputError, match="does not have the role"):
            issue_token(conn, "ana", "more", roles=frozenset({Role.ADMINISTRATOR}))
    assert web.get(f"{API_PREFIX}/audit/events", headers=_bearer(narrow)).status_code == 403
    assert web.get(f"{API_PREFIX}/audit/events", headers=_bearer(full)).status_code == 200


@pytest.mark.parametrize(
    ("days", "ok"), [(0, False), (-3, False), (1, True), (365, True), (366, False)]
)
def test_every_token_expires_within_the_longest_lifetime(store: Store, days: int, ok: bool) -> None:
    with store.begin() as conn:
        create_agency(conn, "NCB Lisbon", "PT")
        create_user(conn, "ana", "NCB Lisbon", parse_roles(["analyst"]), PASSWORD)
    if ok:
        with store.begin() as conn:
            assert issue_token(conn, "ana", "t", days).startswith("tl_")
    else:
        with pytest.raises(InputError, match="a token lives 1 to 365 days"), store.begin() as c:
            issue_token(c, "ana", "t", days)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_tokens_on_the_command_line(
    web: TestClient, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _run(capsys, "tokens", "issue", "ana", "--name", "forever", "--days", "0")
    assert code == 2 and err.count("\n") == 1 and "a token lives 1 to 365 days" in err
    configure(token_max_days=30)
    code, _out, err = _run(capsys, "tokens", "issue", "ana", "--name", "long", "--days", "31")
    assert code == 2 and "1 to 30 days" in err
    code, token, _ = _run(
        capsys, "tokens", "issue", "ana", "--name", "border", "--days", "7", "--scopes", "read"
    )
    assert code == 0 and token.startswith("tl_")
    web.get(f"{API_PREFIX}/collections", headers=_bearer(token.strip()))
    code, out, _ = _run(capsys, "tokens", "list", "ana", "--json")
    [listed] = orjson.loads(out)
    assert listed["name"] == "border" and listed["scopes"] == ["read"]
    assert listed["last_used_at"] and listed["revoked_at"] is None
    assert datetime.fromisoformat(listed["expires_at"]) - datetime.fromisoformat(
        listed["created_at"]
    ) == timedelta(days=7)
    code, out, _ = _run(capsys, "tokens", "list")
    assert "ana / border: read; all roles" in out and token.strip() not in out
    with store.connect() as conn:
        stored = str(conn.execute(text("SELECT * FROM api_token")).all())
    assert token.strip() not in stored
    assert _run(capsys, "tokens", "revoke", "ana", "--name", "border")[0] == 0
    assert web.get(f"{API_PREFIX}/collections", headers=_bearer(token.strip())).status_code == 401


def _sign_in(client: TestClient, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"username": "ana", "password": password})
    assert response.status_code == 200, response.text


def test_a_reset_code_sets_a_new_password_once_and_ends_every_session(
    web: TestClient, store: Store
) -> None:
    _sign_in(web)
    with store.begin() as conn:
        token = issue_token(conn, "ana", "api")
        code, _expires = issue_reset_code(conn, SYSTEM, "ana")
    other = TestClient(web.app)
    form = {"username": "ANA", "code": code.lower(), "password": NEW_PASSWORD}
    weak = other.post("/reset-password", data=form | {"password": "x" * 14, "confirm": "x" * 14})
    assert weak.status_code == 400 and "too few characters" in weak.text  # code not spent
    done = other.post("/reset-password", data=form | {"confirm": NEW_PASSWORD})
    assert done.status_code == 200 and "every session of yours has ended" in done.text
    assert web.get("/", follow_redirects=False).status_code == 303  # the old session ended
    assert web.get(f"{API_PREFIX}/collections", headers=_bearer(token)).status_code == 200
    again = other.post("/reset-password", data=form | {"confirm": NEW_PASSWORD})
    assert again.status_code == 401 and "wrong, used or expired" in again.text
    refused = web.post("/login", data={"username": "ana", "password": PASSWORD})
    assert refused.status_code == 401
    _sign_in(web, NEW_PASSWORD)


def test_reset_codes_expire_are_for_administrators_and_can_revoke_tokens(
    web: TestClient, store: Store
) -> None:
    analyst = Actor("ana", "NCB Lisbon", "PT", frozenset({Role.ANALYST}))
    admin = Actor("rui", "NCB Lisbon", "PT", frozenset({Role.ADMINISTRATOR}))
    with pytest.raises(AccessDenied, match="only administrators"), store.begin() as conn:
        issue_reset_code(conn, analyst, "ana")
    with store.begin() as conn:
        token = issue_token(conn, "ana", "api")
        old, _ = issue_reset_code(conn, admin, "ana")
        code, _ = issue_reset_code(conn, admin, "ana")  # cancels the first
        conn.execute(text("UPDATE password_reset SET expires_at = :t WHERE used_at IS NULL"),
                     {"t": datetime.now(UTC) - timedelta(seconds=1)})  # fmt: skip
    with pytest.raises(AuthenticationFailed, match="expired"), store.begin() as conn:
        reset_password(conn, "ana", code, NEW_PASSWORD)
    with pytest.raises(AuthenticationFailed, match="expired"), store.begin() as conn:
        reset_password(conn, "ana", old, NEW_PASSWORD)
    with store.begin() as conn:
        fresh, _ = issue_reset_code(conn, admin, "ana")
        done = reset_password(conn, "ana", fresh, NEW_PASSWORD, revoke_api_tokens=True)
    assert done.tokens == 1
    assert web.get(f"{API_PREFIX}/collections", headers=_bearer(token)).status_code == 401


def test_signing_a_user_out_everywhere(
    web: TestClient, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    _sign_in(web)
    with store.begin() as conn:
        token = issue_token(conn, "ana", "api")
    code, out, _ = _run(capsys, "users", "sign-out", "ana")
    assert code == 0 and "Ended 1 session(s); revoked 0 token(s)." in out
    assert web.get("/", follow_redirects=False).status_code == 303
    assert web.get(f"{API_PREFIX}/collections", headers=_bearer(token)).status_code == 200
    _sign_in(web)
    code, out, _ = _run(capsys, "users", "sign-out", "ana", "--tokens")
    assert "Ended 1 session(s); revoked 1 token(s)." in out
    assert web.get(f"{API_PREFIX}/collections", headers=_bearer(token)).status_code == 401
    code, out, _ = _run(capsys, "users", "reset-code", "ana")
    assert code == 0 and re.fullmatch(r"([A-Z2-9]{4}-){4}[A-Z2-9]{4}\n", out)


HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/",
        "/search",
        "/audit",
        "/reset-password",
        "/api/v1/health",
        "/api/v1/collections",
    ],
)
def test_security_headers_on_pages_and_api_answers(web: TestClient, path: str) -> None:
    _sign_in(web)
    response = web.get(path)
    assert response.status_code == 200
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached_and_pages_carry_no_inline_style(web: TestClient) -> None:
    response = web.get("/static/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get(
        "cache-control", ""
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    _sign_in(web)
    for path in ("/", "/search", "/audit", "/collections", "/operations", "/networks", "/rules"):
        page = web.get(path).text
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page), path


@pytest.mark.parametrize(
    ("base_url", "setting", "secure"),
    [
        ("http://testserver", False, False),
        ("https://testserver", False, True),
        ("http://testserver", True, True),
    ],
)
def test_the_session_cookie_is_secure_over_https(
    store: Store, base_url: str, setting: bool, secure: bool
) -> None:
    configure(secure_cookies=setting)
    with store.begin() as conn:
        create_agency(conn, "NCB Lisbon", "PT")
        create_user(conn, "ana", "NCB Lisbon", parse_roles(["analyst"]), PASSWORD)
    with TestClient(create_app(store), base_url=base_url) as client:
        response = client.post(
            "/login", data={"username": "ana", "password": PASSWORD}, follow_redirects=False
        )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert ("; secure" in cookie) is secure

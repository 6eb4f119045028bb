"""Attacks on signing in: parallel guessing, address spraying, disabled accounts, weak
passwords, look-alike user names, and answers that tell one refusal from another."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from threadline.api.app import create_app
from threadline.cli.main import main
from threadline.exc import InputError
from threadline.governance.audit import iter_events
from threadline.governance.identity import (
    MAX_FAILURES,
    AuthenticationFailed,
    authenticate,
    create_agency,
    create_user,
    issue_token,
    parse_roles,
    set_disabled,
)
from threadline.settings import configure
from threadline.store import Store

PASSWORD = "amber kettle under the bridge"
WRONG = "wrong horse battery staple"


@pytest.fixture
def accounts(store: Store) -> Store:
    with store.begin() as conn:
        create_agency(conn, "NCB Lisbon", "PT")
        for name in ("ana", "bruno", "carla"):
            create_user(conn, name, "NCB Lisbon", parse_roles(["analyst"]), PASSWORD)
    return store


class CheckCounter:
    """Counts the Argon2 verifications made, and those made against one stored hash."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.total = 0
        self.by_hash: dict[str, int] = {}
        self._lock = threading.Lock()
        original = PasswordHasher.verify

        def counting(hasher: PasswordHasher, hash: str | bytes, password: str | bytes) -> Any:
            with self._lock:
                self.total += 1
                key = hash.decode() if isinstance(hash, bytes) else hash
                self.by_hash[key] = self.by_hash.get(key, 0) + 1
            return original(hasher, hash, password)

        monkeypatch.setattr(PasswordHasher, "verify", counting)

    def against(self, store: Store, username: str) -> int:
        from sqlalchemy import text

        with store.connect() as conn:
            stored = conn.execute(
                text("SELECT password_hash FROM user_account WHERE username = :u"), {"u": username}
            ).scalar_one()
        return self.by_hash.get(stored, 0)


def _attempt(store: Store, username: str, password: str, source: str | None = None) -> bool:
    try:
        if source is None:
            authenticate(store, username, password)
        else:
            authenticate(store, username, password, source=source)
    except AuthenticationFailed:
        return False
    return True


@pytest.mark.parametrize("guesses", [40])
def test_parallel_wrong_passwords_never_get_more_checks_than_the_lockout_allows(
    accounts: Store, monkeypatch: pytest.MonkeyPatch, guesses: int
) -> None:
    counter = CheckCounter(monkeypatch)
    start = threading.Barrier(guesses)

    def guess(i: int) -> bool:
        start.wait()
        return _attempt(accounts, "ana", f"{WRONG} {i}")

    with ThreadPoolExecutor(guesses) as pool:
        results = list(pool.map(guess, range(guesses)))
    assert not any(results)
    assert counter.against(accounts, "ana") <= MAX_FAILURES
    # Locked now: the right password is refused without being checked against the account.
    before = counter.against(accounts, "ana")
    assert not _attempt(accounts, "ana", PASSWORD)
    assert counter.against(accounts, "ana") == before
    with accounts.connect() as conn:
        failures = [e for e in iter_events(conn) if e.action == "auth.login"]
    assert len(failures) == guesses + 1  # every attempt is audited, checked or not


def test_a_parallel_right_password_among_wrong_ones_is_checked_at_most_once(
    accounts: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = CheckCounter(monkeypatch)
    start = threading.Barrier(12)

    def guess(i: int) -> bool:
        start.wait()
        return _attempt(accounts, "ana", PASSWORD if i == 11 else f"{WRONG} {i}")

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(guess, range(12)))
    assert sum(results) <= 1
    assert counter.against(accounts, "ana") <= MAX_FAILURES


def test_one_address_spraying_many_accounts_is_stopped(accounts: Store) -> None:
    configure(sign_in_source_limit=4)
    attacker, colleague = "198.51.100.23", "192.0.2.10"
    for username in ("ana", "bruno", "carla", "nobody"):
        assert not _attempt(accounts, username, WRONG, attacker)
    # The address used its window: even a right password from it is refused ...
    assert not _attempt(accounts, "bruno", PASSWORD, attacker)
    # ... while the accounts themselves are not locked for people elsewhere.
    assert _attempt(accounts, "bruno", PASSWORD, colleague)
    with accounts.connect() as conn:
        reasons = [e.detail.get("reason") for e in iter_events(conn) if e.action == "auth.login"]
    assert reasons[4] == "too many failed sign-ins from this address"


def test_right_passwords_do_not_use_up_an_address(accounts: Store) -> None:
    configure(sign_in_source_limit=2)
    office = "192.0.2.44"
    for _ in range(6):  # many colleagues behind one address sign in all day
        assert _attempt(accounts, "ana", PASSWORD, office)
    assert not _attempt(accounts, "ana", WRONG, office)
    assert _attempt(accounts, "bruno", PASSWORD, office)


def test_the_web_sign_in_counts_failures_per_client_address(accounts: Store) -> None:
    configure(sign_in_source_limit=3)
    with TestClient(create_app(accounts)) as web:
        for username in ("ana", "bruno", "carla"):
            web.post("/login", data={"username": username, "password": WRONG})
        refused = web.post("/login", data={"username": "ana", "password": PASSWORD})
    assert refused.status_code == 401
    with accounts.connect() as conn:
        last = [e for e in iter_events(conn) if e.action == "auth.login"][-1]
    assert last.detail == {
        "source": "testclient",
        "reason": "too many failed sign-ins from this address",
    }


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_a_disabled_user_is_refused_on_the_web_the_api_and_the_cli(
    accounts: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    with accounts.begin() as conn:
        token = issue_token(conn, "ana", "border-system")
    with TestClient(create_app(accounts)) as web:
        web.post("/login", data={"username": "ana", "password": PASSWORD})
        assert web.get("/", follow_redirects=False).status_code == 200
        with accounts.begin() as conn:
            set_disabled(conn, "ana", True)
        assert web.get("/", follow_redirects=False).status_code == 303  # session refused
        web.cookies.clear()
        again = web.post("/login", data={"username": "ana", "password": PASSWORD})
        assert again.status_code == 401
        api = web.get("/api/v1/collections", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 401
    code, _out, err = _run(capsys, "--user", "ana", "collections", "list")
    assert code == 2
    assert err.count("\n") == 1 and "disabled" in err
    code, _out, err = _run(capsys, "--user", "ANA", "collections", "list")
    assert code == 2 and "disabled" in err


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (" " * 12, "at least 12 characters"),
        ("   short pw   ", "at least 12 characters"),
        ("\t" * 20, "at least 12 characters"),
        ("x" * 16, "too few characters"),
        ("abababababababab", "too few characters"),
        ("password1234", "most common"),
        ("qwertyuiop123!", "most common"),
        ("1q2w3e4r5t6y", "most common"),
        ("  Iloveyou2024  ", "most common"),
        ("bruno-the-great-1", "must not contain the user name"),
    ],
)
def test_weak_passwords_are_refused(store: Store, password: str, message: str) -> None:
    with store.begin() as conn:
        create_agency(conn, "NCB Lisbon", "PT")
    with pytest.raises(InputError, match=message), store.begin() as conn:
        create_user(conn, "bruno", "NCB Lisbon", parse_roles(["analyst"]), password)


def test_weak_passwords_are_refused_on_the_command_line_in_one_line(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(capsys, "agencies", "create", "NCB Lisbon", "--country", "PT")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(" " * 14 + "\n"))
    code, _out, err = _run(
        capsys, "users", "create", "ana", "--agency", "NCB Lisbon", "--roles", "analyst",
        "--password-stdin",
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "at least 12 characters" in err


@pytest.mark.parametrize("other", ["ANA", "Ana", " ana ", "ａｎａ"])
def test_user_names_differing_only_in_case_are_one_user(accounts: Store, other: str) -> None:
    with pytest.raises(InputError, match="already exists"), accounts.begin() as conn:
        create_user(conn, other, "NCB Lisbon", parse_roles(["auditor"]), PASSWORD)
    assert authenticate(accounts, other, PASSWORD).username == "ana"


@pytest.fixture
def web(accounts: Store) -> Iterator[TestClient]:
    with accounts.begin() as conn:
        set_disabled(conn, "carla", True)
    with TestClient(create_app(accounts)) as client:
        for _ in range(MAX_FAILURES):  # lock bruno
            client.post("/login", data={"username": "bruno", "password": WRONG})
        yield client


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("nobody", PASSWORD),  # unknown user
        ("ana", WRONG),  # wrong password
        ("bruno", PASSWORD),  # locked, right password
        ("carla", PASSWORD),  # disabled, right password
    ],
)
def test_every_refusal_gets_the_same_answer_and_the_same_work(
    web: TestClient,
    accounts: Store,
    monkeypatch: pytest.MonkeyPatch,
    username: str,
    password: str,
) -> None:
    counter = CheckCounter(monkeypatch)
    response = web.post("/login", data={"username": username, "password": password})
    assert response.status_code == 401
    error = response.text.split('role="alert">')[1].split("<")[0]
    assert error == "wrong username or password, or the account cannot sign in now"
    # One Argon2 verification whatever the reason: the time taken says nothing either.
    assert counter.total == 1
    with accounts.connect() as conn:
        last = [e for e in iter_events(conn) if e.action == "auth.login"][-1]
    assert last.outcome == "failure" and last.detail["reason"] in {
        "no such user",
        "wrong password",
        "account locked after repeated failures",
        "account disabled",
    }

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from threadline.exc import InputError
from threadline.governance import Actor, Purpose, Role, may_see_collection, require_purpose
from threadline.governance.audit import iter_events, verify
from threadline.governance.identity import (
    MAX_FAILURES,
    AuthenticationFailed,
    authenticate,
    close_session,
    create_agency,
    create_user,
    issue_token,
    open_session,
    parse_roles,
    revoke_tokens,
    session_user,
    user_for_token,
)
from threadline.governance.policy import AccessDenied, may_see_victim_identity
from threadline.model.collections import build_collection
from threadline.store import Store

PASSWORD = "correct horse battery staple"


def _setup(store: Store) -> None:
    with store.begin() as conn:
        create_agency(conn, "NCB Lisbon", "PT")
        create_user(conn, "ana", "NCB Lisbon", parse_roles(["analyst", "victim-liaison"]), PASSWORD)


def test_sign_in_and_lockout(store: Store) -> None:
    _setup(store)
    user = authenticate(store, "ana", PASSWORD)
    assert user.actor().roles == {Role.ANALYST, Role.VICTIM_LIAISON}
    assert user.country == "PT"
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthenticationFailed, match="wrong username or password"):
            authenticate(store, "ana", "wrong password!!")
    with pytest.raises(AuthenticationFailed, match="wrong username or password"):
        authenticate(store, "ana", PASSWORD)  # even the right password, while locked
    with pytest.raises(AuthenticationFailed, match="wrong username or password"):
        authenticate(store, "nobody", PASSWORD)
    with store.connect() as conn:
        events = list(iter_events(conn))
    outcomes = [(e.action, e.outcome) for e in events]
    assert outcomes == [("auth.login", "success")] + [("auth.login", "failure")] * 7
    reasons = [e.detail.get("reason") for e in events]
    assert reasons[-2:] == ["account locked after repeated failures", "no such user"]
    with store.connect() as conn:
        assert verify(conn).ok


def test_password_is_stored_hashed_with_argon2(store: Store) -> None:
    _setup(store)
    from sqlalchemy import text

    with store.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM user_account")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_tokens_and_sessions(store: Store) -> None:
    _setup(store)
    with store.begin() as conn:
        token = issue_token(conn, "ana", "border-system")
    with store.begin() as conn:
        assert user_for_token(conn, token).username == "ana"
        assert revoke_tokens(conn, "ana") == 1
    with pytest.raises(AuthenticationFailed, match="revoked"), store.begin() as conn:
        user_for_token(conn, token)
    user = authenticate(store, "ana", PASSWORD)
    with store.begin() as conn:
        secret, csrf = open_session(conn, user)
    with store.begin() as conn:
        same, same_csrf = session_user(conn, secret)
        assert (same.username, same_csrf) == ("ana", csrf)
        close_session(conn, secret)
    with pytest.raises(AuthenticationFailed, match="session expired"), store.begin() as conn:
        session_user(conn, secret)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: create_agency(c, "X", "Narnia"), "country: unknown country 'Narnia'"),
        (lambda c: create_user(c, "bob", "NCB Lisbon", frozenset({Role.ANALYST}), "short"), "12"),
        (lambda c: create_user(c, "bob", "Nowhere", frozenset({Role.ANALYST}), PASSWORD), "agency"),
    ],
)
def test_identity_errors(store: Store, call: object, message: str) -> None:
    _setup(store)
    with pytest.raises(Exception, match=message), store.begin() as conn:
        call(conn)  # type: ignore[operator]


def test_unknown_role() -> None:
    with pytest.raises(InputError, match="unknown role 'chief'"):
        parse_roles(["chief"])


FR = Actor("fr", "OCRTEH", "FR", frozenset({Role.ANALYST}))
ES = Actor("es", "Policia Nacional", "ES", frozenset({Role.ANALYST}))
OWNER = Actor("pt", "NCB Lisbon", "PT", frozenset({Role.ANALYST}))


@pytest.mark.parametrize(
    ("sharing", "countries", "actor", "allowed", "reason"),
    [
        ("owner", [], OWNER, True, "owning agency"),
        ("owner", [], FR, False, "not shared"),
        ("countries", ["FR"], FR, True, "shared with FR"),
        ("countries", ["FR"], ES, False, "not shared"),
        ("all", [], ES, True, "all members"),
    ],
)
def test_sharing_decisions_carry_reasons(
    sharing: str, countries: list[str], actor: Actor, allowed: bool, reason: str
) -> None:
    item = build_collection(
        "c",
        owner_agency="NCB Lisbon",
        owner_country="PT",
        sharing=sharing,
        shared_countries=countries,
    )
    decision = may_see_collection(actor, item)
    assert decision.allowed is allowed
    assert reason in decision.reason


def test_records_past_review_are_withdrawn_from_others_but_not_the_owner() -> None:
    created = datetime.now(UTC) - timedelta(days=6 * 365)
    item = build_collection(
        "old", owner_agency="NCB Lisbon", owner_country="PT", sharing="all", created_at=created
    )
    assert not may_see_collection(ES, item)
    assert "review date" in may_see_collection(ES, item).reason
    assert may_see_collection(OWNER, item)


def test_victim_identity_only_for_liaison_of_the_owner() -> None:
    liaison = Actor("v", "NCB Lisbon", "PT", frozenset({Role.VICTIM_LIAISON}))
    other_liaison = Actor("w", "OCRTEH", "FR", frozenset({Role.VICTIM_LIAISON}))
    assert may_see_victim_identity(liaison, "NCB Lisbon", "PT")
    assert not may_see_victim_identity(OWNER, "NCB Lisbon", "PT")
    assert not may_see_victim_identity(other_liaison, "NCB Lisbon", "PT")


def test_person_queries_need_a_purpose_and_reference() -> None:
    with pytest.raises(AccessDenied, match="needs a purpose"):
        require_purpose(OWNER)
    with pytest.raises(AccessDenied, match="needs a case or operation reference"):
        require_purpose(OWNER.for_purpose("investigation"))
    assert require_purpose(OWNER.for_purpose("border_check")) is Purpose.BORDER_CHECK

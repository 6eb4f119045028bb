"""Closing a victim record when care ends (or it was opened by mistake), and reopening it.

A record is never deleted: closing keeps everything, stops changes until it is reopened,
and both steps stay in the record's status timeline and in the audit log (both backends).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection

from support.holdings import hold, person
from threadline.exc import InputError
from threadline.governance import AccessDenied, Actor, Role
from threadline.governance.audit import iter_events
from threadline.store import Store
from threadline.victims import (
    add_consent,
    build_intake,
    close_victim,
    create_victim,
    get_victim,
    link_entities,
    link_missing_report,
    list_victims,
    notify_reporting_country,
    record_reunification,
    refer,
    reopen_victim,
    update_referral,
    withdraw_consent,
)

OWNER = Actor("liaison-1", "NCB Manila", "PH", frozenset({Role.VICTIM_LIAISON}))
NAME = "Dalisay Example Reyes"
CLOSE_REASON = "care completed: returned home to Dalisay's family in Cebu"
REOPEN_REASON = "new shelter need reported by the social worker"


@pytest.fixture
def store(store: Store) -> Store:
    """Manila's bureau holds the case-file person and a missing-person report for her."""
    hold(
        store,
        "ph-cases",
        [person("case-person-3", NAME), person("case-person-4", NAME)],
        agency=OWNER.agency,
        country=OWNER.country,
    )
    hold(
        store,
        "ph-missing",
        [person("missing-ph-9", NAME)],
        agency=OWNER.agency,
        country=OWNER.country,
        kind="missing-persons",
    )
    return store


def _create(conn: Connection) -> str:
    intake = build_intake(
        identified_on="2026-03-14",
        identified_how="raid",
        identified_country="PH",
        sex="F",
        forms=["domestic_servitude"],
        needs=["shelter"],
        personal={"name": NAME},
        entity_ids=["case-person-3"],
    )
    return create_victim(conn, OWNER, intake).pseudonym


def test_close_and_reopen_keep_the_record_and_its_timeline(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        add_consent(conn, OWNER, pseudonym, "referral")
        opened = get_victim(conn, OWNER, pseudonym).to_dict()
        closed = close_victim(conn, OWNER, pseudonym, reason=f"  {CLOSE_REASON}  ").to_dict()
        reopened = reopen_victim(conn, OWNER, pseudonym, reason=REOPEN_REASON).to_dict()
    assert opened["status"] == "open" and opened["closed_at"] is None
    assert opened["status_timeline"] == []
    assert closed["status"] == "closed" and closed["closed_by"] == "liaison-1"
    assert closed["closed_at"] is not None and closed["closed_reason"] == CLOSE_REASON
    assert closed["consents"][0]["scope"] == "referral"  # nothing of the record is lost
    assert reopened["status"] == "open"
    assert reopened["closed_at"] is None and reopened["closed_by"] is None
    assert reopened["closed_reason"] is None
    steps = [(s["status"], s["by"], s["reason"]) for s in reopened["status_timeline"]]
    assert steps == [
        ("closed", "liaison-1", CLOSE_REASON),
        ("open", "liaison-1", REOPEN_REASON),
    ]
    assert all(s["at"] for s in reopened["status_timeline"])


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_reason_is_required(store: Store, reason: str) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        with pytest.raises(InputError, match="reason: say why the record is closed"):
            close_victim(conn, OWNER, pseudonym, reason=reason)
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        with pytest.raises(InputError, match="reason: say why the record is reopened"):
            reopen_victim(conn, OWNER, pseudonym, reason=reason)


def test_a_reason_has_a_length_limit(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        with pytest.raises(InputError, match="reason: 2001 characters, at most 2000"):
            close_victim(conn, OWNER, pseudonym, reason="x" * 2001)


def test_closing_a_closed_record_or_reopening_an_open_one_is_refused(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        with pytest.raises(InputError, match=f"{pseudonym} is open already"):
            reopen_victim(conn, OWNER, pseudonym, reason=REOPEN_REASON)
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        with pytest.raises(InputError, match=f"{pseudonym} is closed already"):
            close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)


CHANGES: list[tuple[str, Callable[[Connection, str], Any]]] = [
    ("consent", lambda c, p: add_consent(c, OWNER, p, "interview")),
    ("refer", lambda c, p: refer(c, OWNER, p, "medical")),
    ("referral", lambda c, p: update_referral(c, OWNER, p, 1, "accepted")),
    ("link-entity", lambda c, p: link_entities(c, OWNER, p, ["case-person-4"])),
    ("link-missing", lambda c, p: link_missing_report(c, OWNER, p, "missing-ph-9", "PH")),
    ("notify", lambda c, p: notify_reporting_country(c, OWNER, p, to_country="PH")),
    (
        "reunite",
        lambda c, p: record_reunification(c, OWNER, p, on="2026-04-01", relationship="aunt"),
    ),
]


@pytest.mark.parametrize("change", [c for _, c in CHANGES], ids=[n for n, _ in CHANGES])
def test_a_closed_record_refuses_changes(
    store: Store, change: Callable[[Connection, str], Any]
) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        refer(conn, OWNER, pseudonym, "shelter")  # referral 1, for the status change
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        before = get_victim(conn, OWNER, pseudonym).to_dict()
        with pytest.raises(InputError, match=f"{pseudonym} is closed") as refused:
            change(conn, pseudonym)
        after = get_victim(conn, OWNER, pseudonym).to_dict()
    assert f"threadline victims reopen {pseudonym}" in str(refused.value)
    assert after == before


def test_reopened_record_takes_changes_again(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        reopen_victim(conn, OWNER, pseudonym, reason=REOPEN_REASON)
        view, _ = refer(conn, OWNER, pseudonym, "shelter")
    assert [r["kind"] for r in view.to_dict()["referrals"]] == ["shelter"]


def test_consent_can_be_withdrawn_from_a_closed_record(store: Store) -> None:
    """The person's withdrawal is honoured whenever it comes, without reopening care."""
    with store.begin() as conn:
        pseudonym = _create(conn)
        add_consent(conn, OWNER, pseudonym, "information_sharing")
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        view = withdraw_consent(conn, OWNER, pseudonym, "information_sharing")
    data = view.to_dict()
    assert data["status"] == "closed" and data["consents"][0]["active"] is False


OTHERS = [
    (Actor("analyst-1", "NCB Manila", "PH", frozenset({Role.ANALYST})), "only victim liaison"),
    (Actor("liaison-2", "AFP", "AU", frozenset({Role.VICTIM_LIAISON})), "only the owning agency"),
]


@pytest.mark.parametrize(("actor", "reason"), OTHERS, ids=["analyst", "other-agency"])
def test_only_the_owners_liaison_closes_or_reopens(store: Store, actor: Actor, reason: str) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        with pytest.raises(AccessDenied, match=reason):
            close_victim(conn, actor, pseudonym, reason=CLOSE_REASON)
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        with pytest.raises(AccessDenied, match=reason):
            reopen_victim(conn, actor, pseudonym, reason=REOPEN_REASON)
        assert get_victim(conn, OWNER, pseudonym).to_dict()["status"] == "closed"


@pytest.mark.parametrize(("actor", "_reason"), OTHERS, ids=["analyst", "other-agency"])
def test_others_see_the_status_but_not_the_free_text(
    store: Store, actor: Actor, _reason: str
) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON)
        data = get_victim(conn, actor, pseudonym).to_dict()
    assert data["status"] == "closed" and data["closed_by"] == "liaison-1"
    assert "closed_reason" not in data
    assert [s["status"] for s in data["status_timeline"]] == ["closed"]
    assert "reason" not in data["status_timeline"][0]
    assert "Dalisay" not in json.dumps(data)


def test_steps_are_audited_without_the_reason_text(store: Store) -> None:
    with store.begin() as conn:
        pseudonym = _create(conn)
        close_victim(conn, OWNER, pseudonym, reason=CLOSE_REASON, component="api")
        reopen_victim(conn, OWNER, pseudonym, reason=REOPEN_REASON, component="api")
    with store.connect() as conn:
        events = [e for e in iter_events(conn) if e.action in ("victim.close", "victim.reopen")]
    assert [(e.action, e.user, e.target_id, e.component) for e in events] == [
        ("victim.close", "liaison-1", pseudonym, "api"),
        ("victim.reopen", "liaison-1", pseudonym, "api"),
    ]
    assert events[0].detail == {"reason_length": len(CLOSE_REASON)}
    assert events[1].detail == {"reason_length": len(REOPEN_REASON)}
    trail = json.dumps([e.to_dict() for e in events], default=str)
    assert "Dalisay" not in trail and "shelter need" not in trail


@pytest.mark.parametrize(
    ("status", "expected"),
    [(None, ["open"]), ("open", ["open"]), ("closed", ["closed"]), ("all", ["open", "closed"])],
)
def test_list_filters_by_status(store: Store, status: str | None, expected: list[str]) -> None:
    with store.begin() as conn:
        first, second = _create(conn), _create(conn)
        close_victim(conn, OWNER, second, reason=CLOSE_REASON)
        chosen = {} if status is None else {"status": status}
        views = list_victims(conn, OWNER, **chosen)
    assert [v.to_dict()["status"] for v in views] == expected
    wanted = {"open": first, "closed": second}
    assert [v.pseudonym for v in views] == [wanted[s] for s in expected]


def test_list_refuses_an_unknown_status(store: Store) -> None:
    with store.begin() as conn, pytest.raises(InputError, match="status: unknown value 'gone'"):
        list_victims(conn, OWNER, status="gone")

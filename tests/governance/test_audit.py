from __future__ import annotations

import pytest
from sqlalchemy import text

from threadline.governance import SYSTEM, Actor, Purpose, Role
from threadline.governance.audit import iter_events, record, verify
from threadline.store import Store

ANALYST = Actor("ana", "NCB Lisbon", "PT", frozenset({Role.ANALYST}))


def _fill(store: Store, n: int = 5) -> None:
    for i in range(n):
        with store.begin() as conn:
            record(
                conn,
                ANALYST.for_purpose(Purpose.INVESTIGATION, "CASE-2026-17"),
                "person.search",
                target_type="query",
                target_id=f"name={i}",
                result_count=i,
            )


def test_chain_verifies_and_keeps_who_why_and_what(store: Store) -> None:
    _fill(store)
    with store.begin() as conn:
        record(conn, SYSTEM, "ingest", outcome="failure", detail={"file": "x.jsonl"})
    with store.connect() as conn:
        events = list(iter_events(conn))
        result = verify(conn)
    assert result.ok and result.checked == 6
    first = events[0]
    assert (first.user, first.agency, first.country) == ("ana", "NCB Lisbon", "PT")
    assert (first.purpose, first.reference, first.result_count) == (
        "investigation",
        "CASE-2026-17",
        0,
    )
    assert first.at.tzinfo is not None
    assert events[-1].outcome == "failure"


@pytest.mark.parametrize(
    ("statement", "broken", "reason"),
    [
        ("UPDATE audit_event SET result_count = 99 WHERE id = 3", 3, "content was altered"),
        ("UPDATE audit_event SET \"user\" = 'someone' WHERE id = 2", 2, "content was altered"),
        ("DELETE FROM audit_event WHERE id = 3", 4, "events 3-3 before it were deleted"),
    ],
)
def test_a_row_edited_in_the_database_is_caught(
    store: Store, statement: str, broken: int, reason: str
) -> None:
    _fill(store)
    with store.begin() as conn:
        conn.execute(text(statement))
    with store.connect() as conn:
        result = verify(conn)
    assert not result.ok
    assert result.first_broken_id == broken
    assert reason in (result.reason or "")


def test_removing_the_newest_events_is_caught_with_the_recorded_head(store: Store) -> None:
    _fill(store)
    with store.connect() as conn:
        head = verify(conn).head
    with store.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id >= 4"))
    with store.connect() as conn:
        assert verify(conn).ok  # a shorter chain is consistent on its own
        result = verify(conn, expected_head=head)
    assert not result.ok
    assert "events were removed" in (result.reason or "")

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from threadline.exc import StoreError
from threadline.governance import SYSTEM, Actor, Purpose, Role
from threadline.governance.audit import append, iter_events, record, verify
from threadline.governance.tables import audit_event as t_audit
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
        result = verify(conn, expected_head=head)
    assert not result.ok
    assert "events 4-5 at the end were deleted" in (result.reason or "")


def _hammer(store: Store, write: Callable[[int], object], threads: int = 8, each: int = 25) -> None:
    """Many writers at once, as the worker threads of a server are."""
    start = threading.Barrier(threads)

    def run(t: int) -> None:
        start.wait()
        for i in range(each):
            write(t * each + i)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, range(threads)))


def test_concurrent_writers_in_their_own_transactions_keep_one_chain(store: Store) -> None:
    def write(i: int) -> None:
        with store.begin() as conn:
            conn.execute(select(t_audit.c.id).limit(1)).all()  # a read before, as services do
            record(conn, ANALYST, "entity.read", target_type="entity", target_id=f"e{i}")

    _hammer(store, write)
    with store.connect() as conn:
        result = verify(conn)
    assert result.ok, result.reason
    assert result.checked == 200


def test_appended_events_are_committed_once_each_and_chained(store: Store) -> None:
    digests: list[str] = []

    def write(i: int) -> None:
        digests.append(
            append(store, ANALYST, "entity.search", target_type="query", target_id=f"q{i}")
        )

    _hammer(store, write)
    with store.connect() as conn:
        result = verify(conn)
        events = list(iter_events(conn))
    assert result.ok, result.reason
    assert sorted(e.target_id or "" for e in events) == sorted(f"q{i}" for i in range(200))
    assert sorted(digests) == sorted(e.hash for e in events)


def test_append_and_record_interleave_on_one_chain(store: Store) -> None:
    def write(i: int) -> None:
        if i % 2:
            append(store, ANALYST, "entity.read", target_id=f"e{i}")
        else:
            with store.begin() as conn:
                record(conn, ANALYST, "entity.merge", target_id=f"m{i}")

    _hammer(store, write, threads=6, each=10)
    with store.connect() as conn:
        result = verify(conn)
    assert result.ok and result.checked == 60, result.reason


def test_an_event_that_cannot_be_written_fails_the_call_and_not_the_next(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(text("ALTER TABLE audit_event RENAME TO audit_event_away"))
    with pytest.raises(StoreError, match="the audit log could not be written"):
        append(store, ANALYST, "entity.read", target_id="e1")
    with store.begin() as conn:
        conn.execute(text("ALTER TABLE audit_event_away RENAME TO audit_event"))
    append(store, ANALYST, "entity.read", target_id="e2")
    with store.connect() as conn:
        events = list(iter_events(conn))
    assert [e.target_id for e in events] == ["e2"]

"""The task queue on both engines: one task to one worker, a dead worker's task run again,
content dropped once done, attempts bounded."""

from __future__ import annotations

import threading
import time

from threadline.store import Store, queue


def _add(store: Store, n: int, *, agency: str = "Border Police") -> list[int]:
    with store.begin() as conn:
        return [
            queue.enqueue(
                conn, "trace", agency=agency, country="SE", payload={"n": i}, content=b"x" * 10
            ).id
            for i in range(n)
        ]


def test_claimed_in_order_completed_and_content_dropped(store: Store) -> None:
    first, second = _add(store, 2)
    with store.begin() as conn:
        task = queue.claim(conn, "host:1")
    assert task is not None and task.id == first
    assert (task.state, task.attempts, task.content) == ("running", 1, b"x" * 10)
    with store.begin() as conn:
        assert queue.heartbeat(conn, first, "host:1")
        assert not queue.heartbeat(conn, first, "host:2")  # not that worker's task
        assert queue.complete(conn, first, "host:1", {"run_id": 7})
    with store.begin() as conn:
        done = queue.get_task(conn, first)
        assert (done.state, done.result, done.finished_at is not None) == (
            "done",
            {"run_id": 7},
            True,
        )
        assert (
            conn.execute(
                queue.task.select()
                .with_only_columns(queue.task.c.content)
                .where(queue.task.c.id == first)
            ).scalar_one()
            is None
        )
        assert queue.claim(conn, "host:1").id == second  # type: ignore[union-attr]
        assert queue.claim(conn, "host:1") is None
        assert queue.state_counts(conn) == {"queued": 0, "running": 1, "done": 1, "failed": 0}


def test_coalescing_reuses_a_waiting_task_only(store: Store) -> None:
    with store.begin() as conn:
        one = queue.enqueue(
            conn, "link", agency="A", country="SE", payload={}, key="link", coalesce=True
        )
        same = queue.enqueue(
            conn, "link", agency="A", country="SE", payload={}, key="link", coalesce=True
        )
        other_agency = queue.enqueue(
            conn, "link", agency="B", country="SE", payload={}, key="link", coalesce=True
        )
        assert same.id == one.id and other_agency.id != one.id
        queue.claim(conn, "host:1")  # now running: new data needs a new run
        later = queue.enqueue(
            conn, "link", agency="A", country="SE", payload={}, key="link", coalesce=True
        )
        assert later.id not in (one.id, other_agency.id)


def test_no_task_is_taken_twice_by_workers_racing(store: Store) -> None:
    ids = _add(store, 40)
    taken: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        mine = taken.setdefault(name, [])
        try:
            while True:
                with store.begin() as conn:
                    task = queue.claim(conn, name)
                    if task is None:
                        return
                    mine.append(task.id)
                    queue.complete(conn, task.id, name, {})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"host:{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    claimed = [i for ids_ in taken.values() for i in ids_]
    assert sorted(claimed) == ids  # every task once, none twice


def test_a_dead_workers_task_is_queued_again_then_fails_when_out_of_attempts(store: Store) -> None:
    (ident,) = _add(store, 1)
    for attempt in (1, 2, 3):
        with store.begin() as conn:
            task = queue.claim(conn, f"host:{attempt}")
            assert task is not None and task.attempts == attempt
        with store.begin() as conn:
            # alive and beating: left alone
            assert queue.recover(conn, lease_seconds=60, is_dead=lambda w: False) == []
            assert queue.recover(
                conn, lease_seconds=60, is_dead=lambda w: w == f"host:{attempt}"
            ) == [ident]
            state = queue.get_task(conn, ident)
        assert state.state == ("queued" if attempt < 3 else "failed")
        assert state.error == f"worker host:{attempt} stopped during attempt {attempt}"
        # the dead worker's late completion is refused: its attempt is void
        with store.begin() as conn:
            assert not queue.complete(conn, ident, f"host:{attempt}", {})


def test_a_silent_worker_loses_its_task_when_the_lease_passes(store: Store) -> None:
    (ident,) = _add(store, 1)
    with store.begin() as conn:
        queue.claim(conn, "far-host:1")
    time.sleep(1.1)
    with store.begin() as conn:
        assert queue.recover(conn, lease_seconds=60, is_dead=lambda w: False) == []
        assert queue.recover(conn, lease_seconds=1, is_dead=lambda w: False) == [ident]


def test_failures_retry_with_backoff_then_fail_for_good(store: Store) -> None:
    (ident,) = _add(store, 1)
    with store.begin() as conn:
        queue.claim(conn, "host:1")
        assert queue.fail(conn, ident, "host:1", "database away", retry=True, backoff=0) == "queued"
        queue.claim(conn, "host:1")
        assert queue.fail(conn, ident, "host:1", "bad file", retry=False, backoff=0) == "failed"
        failed = queue.get_task(conn, ident)
    assert (failed.state, failed.error, failed.attempts) == ("failed", "bad file", 2)
    with store.begin() as conn:
        assert queue.fail(conn, ident, "host:1", "again", retry=True, backoff=0) == "lost"
    (later,) = _add(store, 1)
    with store.begin() as conn:
        queue.claim(conn, "host:1")
        queue.fail(conn, later, "host:1", "database away", retry=True, backoff=3600)
        assert queue.claim(conn, "host:1") is None  # not due for an hour

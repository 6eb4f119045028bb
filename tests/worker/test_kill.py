"""A worker process killed in the middle of screening a manifest (SIGKILL: no clean-up of
any kind) and a new worker started: the alerts are exactly those of an uninterrupted run,
none lost and none twice; on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from threadline.alerts.tables import alert
from threadline.services.worker import Worker, submit_manifest
from threadline.settings import configure
from threadline.store import Store, open_store, queue
from threadline.store.tables import analysis_run as t_run

from .conftest import BORDER, officer

THREADLINE = str(Path(sys.executable).parent / "threadline")


def _big_manifest(path: Path, travellers: int) -> bytes:
    """The border fixture's flight with its eleven rows followed by many more travellers, so
    that screening it takes long enough to be killed half-way."""
    rows = list(csv.DictReader((BORDER / "manifest.csv").open(encoding="utf-8")))
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        for i in range(travellers):
            row = dict(rows[i % len(rows)])
            row["record_id"] = f"R{i:05d}"
            if i >= len(rows):
                row["surname"] = f"TRAVELLER{i}"
                row["document_number"] = f"X{i:08d}"
            out.writerow(row)
    return path.read_bytes()


def _alerts(store: Store) -> list[tuple[object, ...]]:
    with store.connect() as conn:
        rows = conn.execute(
            alert.select().with_only_columns(
                alert.c.agency, alert.c.kind, alert.c.key, alert.c.decision, alert.c.score,
                alert.c.evidence, alert.c.state,
            )
        ).all()  # fmt: skip
    return sorted(tuple(r) for r in rows)


def _state(store: Store, task_id: int) -> queue.Task:
    with store.connect() as conn:
        return queue.get_task(conn, task_id)


def _wait(store: Store, task_id: int, state: str, seconds: float) -> queue.Task:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = _state(store, task_id)
        if task.state == state:
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} not {state} after {seconds}s: {_state(store, task_id)}")


def _runs(store: Store) -> int:
    with store.connect() as conn:
        return len(conn.execute(t_run.select().where(t_run.c.kind == "screening")).all())


def test_a_killed_worker_loses_and_duplicates_nothing(
    border: Store, store_url: str, tmp_path: Path
) -> None:
    content = _big_manifest(tmp_path / "flight.csv", 6000)
    sender = officer(border, "officer-1")

    # The same manifest screened without interruption, in a store of its own: the reference.
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    configure(db=reference_url)
    from threadline.governance import Role
    from threadline.governance.accounts import create_agency, create_user
    from threadline.ingest.runner import ingest_file
    from threadline.model.collections import build_collection
    from threadline.store.collections import create_collection

    reference = open_store(reference_url)
    with reference.begin() as conn:
        create_agency(conn, "Border Police", "SE")
        create_user(
            conn,
            "officer-1",
            "Border Police",
            frozenset({Role.BORDER_OFFICER}),
            "a long enough password",
        )
        for name, kind in (("notices", "notices"), ("sltd", "travel-documents")):
            create_collection(conn, build_collection(
                name, kind=kind, owner_agency="Border Police", owner_country="SE", sharing="all"
            ))  # fmt: skip
    ingest_file(reference, BORDER / "notices" / "yellow" / "2022-33333.json", "notices")
    ingest_file(reference, BORDER / "stolen_lost.csv", "sltd")
    submit_manifest(reference, sender, "flight.csv", content, country="SE")
    assert Worker(reference).drain() == 1
    expected = _alerts(reference)
    assert len(expected) > 5
    configure(db=store_url)

    task = submit_manifest(border, sender, "flight.csv", content, country="SE")
    env = {**os.environ, "THREADLINE_DB": store_url}
    first = subprocess.Popen(
        [THREADLINE, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _wait(border, task.id, "running", 60)
        time.sleep(0.6)  # well into the screening (about three seconds for this flight)
        assert _state(border, task.id).state == "running", "the task ended before the kill"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = _state(border, task.id)
    assert (killed.state, killed.attempts) == ("running", 1)
    assert _alerts(border) == [] and _runs(border) == 0  # nothing of the cut attempt is kept

    second = subprocess.run(
        [THREADLINE, "worker", "--once"], env=env, capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    done = _wait(border, task.id, "done", 5)
    assert done.attempts == 2 and done.error is None
    assert _alerts(border) == expected  # exactly the uninterrupted run's alerts
    assert _runs(border) == 1
    # and running the queue again adds nothing
    assert Worker(border).drain() == 0
    assert _alerts(border) == expected

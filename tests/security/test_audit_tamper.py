"""An attacker with write access to the database (but not the key file) edits the audit log:
every kind of change is found by ``audit verify``, without an auditor's recorded head."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Connection, text

from threadline.cli.main import main
from threadline.governance import Actor, Purpose, Role
from threadline.governance.audit import iter_events, record, verify
from threadline.settings import get_settings
from threadline.store import Store

ANALYST = Actor("ana", "NCB Lisbon", "PT", frozenset({Role.ANALYST}))
FIELDS = [
    "at",
    "user",
    "agency",
    "country",
    "component",
    "action",
    "target_type",
    "target_id",
    "purpose",
    "reference",
    "result_count",
    "outcome",
    "detail",
]


def _fill(store: Store, n: int = 6) -> None:
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


def _rows(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(text("SELECT * FROM audit_event ORDER BY id")).mappings().all()
    return [dict(r) for r in rows]


def _unkeyed(prev: str, row: dict[str, Any]) -> str:
    """What someone without the key can compute: the plain SHA-256 chain (the earlier
    algorithm, over the same content), which verified the log until it was keyed."""
    at = row["at"]
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    fields = {k: row[k] for k in FIELDS if k != "at"}
    fields["at"] = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(fields["detail"], str):
        fields["detail"] = orjson.loads(fields["detail"])
    payload = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev.encode() + payload).hexdigest()


def _rechain(conn: Connection, start_prev: str = "0" * 64) -> None:
    """Recompute every link and hash without the key, as an attacker covering tracks would."""
    prev = start_prev
    for row in _rows(conn):
        digest = _unkeyed(prev, row)
        conn.execute(
            text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
            {"p": prev, "h": digest, "id": row["id"]},
        )
        prev = digest


def _edit(conn: Connection) -> None:
    conn.execute(text("UPDATE audit_event SET target_id = 'name=someone-else' WHERE id = 3"))


def _edit_and_rechain(conn: Connection) -> None:
    _edit(conn)
    _rechain(conn)


def _delete_middle(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_event WHERE id = 3"))


def _delete_middle_and_rechain(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_event WHERE id = 3"))
    conn.execute(text("UPDATE audit_event SET id = id - 1 WHERE id > 3"))
    _rechain(conn)


def _delete_tail(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_event WHERE id >= 5"))


def _delete_everything(conn: Connection) -> None:
    conn.execute(text("DELETE FROM audit_event"))


def _insert(conn: Connection) -> None:
    """A forged event in the middle: ids moved up to make room, links made to fit."""
    conn.execute(text("UPDATE audit_event SET id = id + 100 WHERE id > 3"))
    conn.execute(text("UPDATE audit_event SET id = id - 99 WHERE id > 100"))
    forged = _rows(conn)[2] | {"id": 4, "target_id": "name=planted"}
    forged["prev_hash"] = forged["hash"]
    columns = ", ".join(f'"{k}"' for k in forged)
    values = ", ".join(f":{k}" for k in forged)
    if isinstance(forged["detail"], dict):
        forged["detail"] = orjson.dumps(forged["detail"]).decode()
    conn.execute(text(f"INSERT INTO audit_event ({columns}) VALUES ({values})"), forged)
    _rechain(conn)


def _append_forged(conn: Connection) -> None:
    """A forged newest event whose link fits the real chain."""
    last = _rows(conn)[-1]
    forged = last | {"id": last["id"] + 1, "target_id": "name=planted", "prev_hash": last["hash"]}
    forged["hash"] = _unkeyed(last["hash"], forged)
    if isinstance(forged["detail"], dict):
        forged["detail"] = orjson.dumps(forged["detail"]).decode()
    columns = ", ".join(f'"{k}"' for k in forged)
    values = ", ".join(f":{k}" for k in forged)
    conn.execute(text(f"INSERT INTO audit_event ({columns}) VALUES ({values})"), forged)


def _reorder(conn: Connection) -> None:
    """Events 3 and 4 swap places, each keeping its own link and hash."""
    conn.execute(text("UPDATE audit_event SET id = 1000 WHERE id = 3"))
    conn.execute(text("UPDATE audit_event SET id = 3 WHERE id = 4"))
    conn.execute(text("UPDATE audit_event SET id = 4 WHERE id = 1000"))


def _reorder_content(conn: Connection) -> None:
    """Events 3 and 4 swap their content but keep their ids, links and hashes."""
    rows = {r["id"]: r for r in _rows(conn)}
    for mine, theirs in ((3, 4), (4, 3)):
        conn.execute(
            text("UPDATE audit_event SET target_id = :t, result_count = :c WHERE id = :id"),
            {"t": rows[theirs]["target_id"], "c": rows[theirs]["result_count"], "id": mine},
        )


def _rechain_everything(conn: Connection) -> None:
    _rechain(conn)


ATTACKS: list[tuple[Callable[[Connection], None], int | None, str]] = [
    (_edit, 3, "content was altered"),
    (_edit_and_rechain, 1, "content was altered"),
    (_delete_middle, 4, "events 3-3 before it were deleted"),
    (_delete_middle_and_rechain, 1, "content was altered"),
    (_delete_tail, None, "events 5-6 at the end were deleted"),
    (_delete_everything, None, "events 1-6 at the end were deleted"),
    (_insert, 1, "content was altered"),
    (_append_forged, 7, "content was altered"),
    (_reorder, 3, "link does not match"),
    (_reorder_content, 3, "content was altered"),
    (_rechain_everything, 1, "content was altered"),
]


@pytest.mark.parametrize(
    ("attack", "broken", "reason"), ATTACKS, ids=lambda a: getattr(a, "__name__", None)
)
def test_every_change_to_the_log_is_found_without_a_recorded_head(
    store: Store, attack: Callable[[Connection], None], broken: int | None, reason: str
) -> None:
    _fill(store)
    with store.connect() as conn:
        assert verify(conn).ok
    with store.begin() as conn:
        attack(conn)
    with store.connect() as conn:
        result = verify(conn)
    assert not result.ok
    assert result.first_broken_id == broken
    assert reason in (result.reason or "")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_the_command_finds_a_removed_tail_without_head(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(store)
    with store.begin() as conn:
        _delete_tail(conn)
    code, out, _err = _run(capsys, "audit", "verify")
    assert code == 1
    assert "BROKEN at the end: events 5-6 at the end were deleted" in out


def test_the_key_file_is_private_and_outside_the_database(store: Store) -> None:
    _fill(store, 1)
    from threadline.governance.auditkey import chain_files, flush_anchors

    flush_anchors()  # written in the background after the commit
    files = chain_files(store.engine)
    assert files.key.exists() and files.anchor.exists()
    assert stat.S_IMODE(os.stat(files.key).st_mode) == 0o600
    key = files.key.read_text().strip()
    with store.connect() as conn:
        dumped = str(_rows(conn))
    assert key not in dumped


def test_a_missing_anchor_is_reported_and_a_missing_key_stops_appends(store: Store) -> None:
    from threadline.exc import ThreadlineError
    from threadline.governance.auditkey import chain_files, flush_anchors, forget_cached

    _fill(store, 2)
    flush_anchors()
    files = chain_files(store.engine)
    files.anchor.unlink()
    forget_cached()
    with store.connect() as conn:
        result = verify(conn)
    assert not result.ok and "anchor file" in (result.reason or "")
    files.key.rename(files.key.with_name("elsewhere.key"))
    forget_cached()
    with pytest.raises(ThreadlineError, match=r"audit key file .* is missing"), store.begin() as c:
        record(c, ANALYST, "entity.read")


APPENDER = """
import sys
from concurrent.futures import ThreadPoolExecutor
from threadline.governance import Actor, Role
from threadline.governance.audit import append
from threadline.store import open_store

url, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(url, migrate=False)
who = Actor("ana", "NCB Lisbon", "PT", frozenset({Role.ANALYST}))
with ThreadPoolExecutor(6) as pool:
    list(pool.map(lambda i: append(store, who, "entity.read", target_id=f"{worker}-{i}"),
                  range(count)))
"""


def test_two_processes_appending_at_once_keep_one_chain_and_its_anchor(store: Store) -> None:
    """Two server processes: their appends interleave and the anchor only moves forward."""
    import subprocess
    import sys

    import threadline
    from threadline.governance.auditkey import chain_files, read_anchor

    url = get_settings().database_url
    code = str(Path(threadline.__file__).resolve().parents[1])  # this checkout's threadline
    env = os.environ | {"PYTHONPATH": code}
    workers = [
        subprocess.Popen([sys.executable, "-c", APPENDER, url, f"w{n}", "60"], env=env)
        for n in range(2)
    ]
    assert [w.wait(timeout=180) for w in workers] == [0, 0]
    with store.connect() as conn:
        result = verify(conn)
        events = list(iter_events(conn))
    assert result.ok, result.reason
    assert len(events) == 120
    anchor = read_anchor(chain_files(store.engine).anchor)
    assert anchor is not None and (anchor.id, anchor.mac) == (events[-1].id, events[-1].hash)

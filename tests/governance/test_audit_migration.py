"""Upgrading a store that holds users, tokens and an unkeyed audit chain (revision 0014)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from alembic import command
from sqlalchemy import text

from threadline.governance.audit import iter_events, verify
from threadline.governance.identity import authenticate
from threadline.store import Store
from threadline.store.db import _alembic_config, make_engine

PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$ZmFrZWZha2VmYWtlZmFrZQ"
GENESIS = "0" * 64


def _legacy(prev: str, event: dict[str, object]) -> str:
    fields = {k: v for k, v in event.items() if k not in ("id", "at")}
    fields["at"] = event["at"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # type: ignore[attr-defined]
    return hashlib.sha256(
        prev.encode() + orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _store_before_keying(store_url: str, usernames: list[str], events: int) -> tuple[Store, str]:
    store = Store(make_engine(store_url))
    command.upgrade(_alembic_config(store.engine), "0014")
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    prev = GENESIS
    with store.begin() as conn:
        conn.execute(
            text("INSERT INTO agency (name, country, created_at) VALUES ('NCB Lisbon', 'PT', :t)"),
            {"t": now},
        )
        for i, name in enumerate(usernames, start=1):
            conn.execute(
                text(
                    "INSERT INTO user_account (username, agency_id, roles, password_hash, "
                    "failed_logins, disabled, created_at) VALUES (:n, 1, '[\"analyst\"]', :h, 0, "
                    ":d, :t)"
                ),
                {"n": name, "h": PASSWORD_HASH, "d": False, "t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO api_token (user_id, name, token_hash, created_at) "
                    "VALUES (:u, 'old', :h, :t)"
                ),
                {"u": i, "h": f"{i:064x}", "t": now},
            )
        for i in range(1, events + 1):
            event = {
                "at": now + timedelta(minutes=i),
                "user": "ana",
                "agency": "NCB Lisbon",
                "country": "PT",
                "component": "api",
                "action": "entity.read",
                "target_type": "entity",
                "target_id": f"e{i}",
                "purpose": None,
                "reference": None,
                "result_count": 1,
                "outcome": "success",
                "detail": {"n": i},
            }
            digest = _legacy(prev, event)
            row = event | {"id": i, "detail": orjson.dumps(event["detail"]).decode()}
            columns = ", ".join(f'"{k}"' for k in [*row, "prev_hash", "hash"])
            values = ", ".join(f":{k}" for k in [*row, "prev_hash", "hash"])
            conn.execute(
                text(f"INSERT INTO audit_event ({columns}) VALUES ({values})"),
                row | {"prev_hash": prev, "hash": digest},
            )
            prev = digest
    return store, prev


def test_an_intact_unkeyed_chain_is_keyed_and_marked_by_the_upgrade(store_url: str) -> None:
    store, old_head = _store_before_keying(store_url, ["ana", "Bruno"], events=7)
    store.upgrade()
    with store.connect() as conn:
        result = verify(conn)
        events = list(iter_events(conn))
        tokens = conn.execute(text("SELECT scopes FROM api_token ORDER BY id")).scalars().all()
    assert result.ok, result.reason
    assert result.checked == 8 and result.anchored_id == 8
    marker = events[-1]
    assert (marker.action, marker.channel) == ("audit.rekey", "system")
    assert marker.detail == {"unkeyed_head": old_head, "events": 7}
    assert {e.channel for e in events[:-1]} == {"unrecorded"}
    assert [list(t) if not isinstance(t, str) else orjson.loads(t) for t in tokens] == [
        ["read", "write"],
        ["read", "write"],
    ]
    with pytest.raises(Exception, match="cannot sign in now"):
        authenticate(store, "BRUNO", "not the password at all")
    with store.connect() as conn:
        logins = [e for e in iter_events(conn) if e.action == "auth.login"]
    assert logins[-1].detail["reason"] == "wrong password"  # found in another letter case
    store.close()


def test_a_broken_unkeyed_chain_stops_the_upgrade(store_url: str) -> None:
    store, _ = _store_before_keying(store_url, ["ana"], events=5)
    with store.begin() as conn:
        conn.execute(text("UPDATE audit_event SET target_id = 'e99' WHERE id = 3"))
    with pytest.raises(RuntimeError, match="the audit chain is broken at event 3"):
        store.upgrade()
    assert store.revision() == "0014"
    store.close()


def test_user_names_differing_only_in_case_stop_the_upgrade(store_url: str) -> None:
    store, _ = _store_before_keying(store_url, ["ana", "ANA", "bruno"], events=0)
    with pytest.raises(RuntimeError, match="'ana' and 'ANA'"):
        store.upgrade()
    assert store.revision() == "0014"
    store.close()


def test_the_downgrade_restores_the_unkeyed_chain(store_url: str) -> None:
    store, _ = _store_before_keying(store_url, ["ana"], events=4)
    store.upgrade()
    command.downgrade(_alembic_config(store.engine), "0014")
    with store.connect() as conn:
        rows = conn.execute(text("SELECT * FROM audit_event ORDER BY id")).mappings().all()
    prev = GENESIS
    for row in rows:
        event = {k: v for k, v in row.items() if k not in ("prev_hash", "hash")}
        at = event["at"]
        event["at"] = (datetime.fromisoformat(at) if isinstance(at, str) else at).replace(
            tzinfo=UTC
        )
        if isinstance(event["detail"], str):
            event["detail"] = orjson.loads(event["detail"])
        assert row["prev_hash"] == prev and row["hash"] == _legacy(prev, event)
        prev = row["hash"]
    assert len(rows) == 5  # the re-key marker stays, chained like the others
    store.close()

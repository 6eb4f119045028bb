"""Bulk inserts through the driver: the same rows as SQLAlchemy would store, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from threadline.store import Store
from threadline.store.bulk import insert_many
from threadline.store.collections import utc
from threadline.store.findings import insert_finding_rows, query_findings, start_run
from threadline.store.scopes import EMPTY, ScopeIds
from threadline.store.tables import analysis_run as t_run
from threadline.store.tables import finding as t_finding

# Values that COPY's text format and SQLite's parameters must both carry unchanged.
AWKWARD = "tab\there, newline\nhere, back\\slash, \"quotes\", 'apostrophe', Мухаммад, 李"


def _explanation(i: int) -> list[dict[str, Any]]:
    return [
        {"comparison": "prior", "gamma": None, "log2_weight": -12.5, "bayes_factor": 1.7e-4},
        {"comparison": "name", "gamma": 3, "left": AWKWARD, "right": None, "n": i},
    ]


def test_finding_rows_round_trip_with_json_and_datetimes(store: Store) -> None:
    when = datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=UTC)
    with store.begin() as conn:
        run_id = start_run(conn, "test", scope={}, user="tester")
        scope_id = ScopeIds(conn)(EMPTY)
        rows = [
            (
                run_id,
                "link",
                f"a{i}|b{i}",
                f"a{i}",
                f"b{i}" if i % 2 else None,
                None,
                0.5 + i / 100,
                "same" if i == 3 else None,
                orjson.dumps(_explanation(i)).decode(),
                orjson.dumps({"match_weight": 1.25, "note": AWKWARD, "i": i}).decode(),
                when + timedelta(seconds=i),
                scope_id,
                None,
                None,
            )
            for i in range(7)
        ]
        assert insert_finding_rows(conn, iter(rows)) == 7
    with store.connect() as conn:
        found = query_findings(conn, "link", order_by_score=False)
    assert [f.key for f in found] == [f"a{i}|b{i}" for i in range(7)]
    for i, item in enumerate(found):
        assert item.run_id == run_id
        assert item.subject_id == f"a{i}"
        assert item.related_id == (f"b{i}" if i % 2 else None)
        assert item.collection_id is None
        assert item.score == pytest.approx(0.5 + i / 100)
        assert item.decision == ("same" if i == 3 else None)
        assert item.explanation == _explanation(i)
        assert item.data == {"match_weight": 1.25, "note": AWKWARD, "i": i}
        assert item.created_at is not None
        assert utc(item.created_at) == when + timedelta(seconds=i)
        assert (item.scope_id, item.agency) == (scope_id, None)


def test_bulk_rows_read_back_like_rows_inserted_by_sqlalchemy(store: Store) -> None:
    """JSON and datetime columns come back the same whichever way the row went in."""
    when = datetime(2023, 7, 1, 12, 0, tzinfo=UTC)
    explanation = [{"comparison": "dob", "left": "1990-05", "right": AWKWARD}]
    data = {"nested": {"list": [1, 2.5, None, True]}, "text": AWKWARD}
    with store.begin() as conn:
        run_id = start_run(conn, "test", scope={}, user="tester")
        common = {"run_id": run_id, "kind": "k", "score": 0.25, "created_at": when}
        conn.execute(
            t_finding.insert().values(key="core", explanation=explanation, data=data, **common)
        )
        row = (
            run_id, "k", "bulk", None, None, None, 0.25, None,
            orjson.dumps(explanation).decode(), orjson.dumps(data).decode(), when,
            None, None, None,
        )  # fmt: skip
        insert_finding_rows(conn, [row])
    with store.connect() as conn:
        rows = {
            row.key: row
            for row in conn.execute(
                select(t_finding.c.key, t_finding.c.explanation, t_finding.c.data)
                .add_columns(t_finding.c.created_at)
                .where(t_finding.c.kind == "k")
            )
        }
    assert rows["bulk"].explanation == rows["core"].explanation == explanation
    assert rows["bulk"].data == rows["core"].data == data
    assert rows["bulk"].created_at == rows["core"].created_at
    assert utc(rows["bulk"].created_at) == when


def test_any_table_with_json_columns_given_as_text(store: Store) -> None:
    when = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    columns = ("kind", "scope", "status", "counts", "created_by", "started_at")
    with store.begin() as conn:
        insert_many(conn, t_run, columns, [("a", "{}", "done", '{"n": [1, "x"]}', "tester", when)])
    with store.connect() as conn:
        row = conn.execute(select(t_run).where(t_run.c.kind == "a")).one()
    assert row.scope == {} and row.counts == {"n": [1, "x"]}
    assert row.finished_at is None
    assert utc(row.started_at) == when


def test_batches_and_rollback(store: Store) -> None:
    """Rows go in batch by batch, inside the caller's transaction."""
    columns = ("kind", "scope", "status", "counts", "created_by", "started_at")
    now = datetime.now(UTC)
    rows = [(f"b{i}", "{}", "done", "{}", "tester", now) for i in range(11)]
    with store.begin() as conn:
        assert insert_many(conn, t_run, columns, rows, batch=4) == 11
    with pytest.raises(RuntimeError), store.begin() as conn:
        insert_many(conn, t_run, columns, [("gone", "{}", "done", "{}", "tester", now)])
        raise RuntimeError("roll back")
    with store.connect() as conn:
        kinds = sorted(conn.execute(select(t_run.c.kind)).scalars())
    assert kinds == sorted(f"b{i}" for i in range(11))


def test_no_rows_inserts_nothing(store: Store) -> None:
    with store.begin() as conn:
        assert insert_finding_rows(conn, []) == 0
    with store.connect() as conn:
        assert query_findings(conn, "link") == []

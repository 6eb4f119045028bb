"""A partial resubmission keeps the rest of a country's figures; history shows old → new.

A coordinator who resends one corrected figure expects every other figure of that
country to stay: the newest revision is the country's current figure, so a revision
holding only the resent metric would silently drop the rest from every total.
"""

from __future__ import annotations

import pytest

from threadline.exc import InputError
from threadline.governance import Actor, Role
from threadline.governance.audit import iter_events
from threadline.operations import (
    build_spec,
    confirm_outcome,
    consolidate,
    create_operation,
    outcome_history,
    submit_outcome,
    validate_figures,
)
from threadline.store import Store

COORDINATOR = Actor("coordinator", "INTERPOL", "FR", frozenset({Role.OPERATION_COORDINATOR}))
KENYA = Actor("ncb-ke", "NCB Nairobi", "KE", frozenset({Role.ANALYST}))
SEVEN = {
    "arrests_trafficking": 30,
    "arrests_smuggling": 12,
    "victims_rescued": 150,
    "victims_minors": 40,
    "migrants_identified": 300,
    "notices": {"yellow": 4, "red": 1},
    "forms_of_exploitation": ["forced_labour"],
}


@pytest.fixture
def operation(store: Store) -> Store:
    spec = build_spec("STORM-V", name="Storm", start="2026-03-01", end="2026-03-14", countries="KE")
    with store.begin() as conn:
        create_operation(conn, spec, COORDINATOR)
        submit_outcome(conn, "STORM-V", "KE", validate_figures(SEVEN), KENYA, source="ke.csv")
    return store


def test_a_partial_resubmission_keeps_the_other_six_metrics(operation: Store) -> None:
    with operation.begin() as conn:
        rev = submit_outcome(
            conn, "STORM-V", "KE", {"victims_rescued": 160}, KENYA, note="late count"
        )
        report = consolidate(conn, "STORM-V")
    assert rev.figures == {**SEVEN, "victims_rescued": 160}
    (kenya,) = report.countries
    assert kenya.figures == {**SEVEN, "victims_rescued": 160}
    assert report.totals["arrests_total"] == 42 and report.totals["victims_minors"] == 40


def test_keyed_metrics_keep_the_keys_not_resent(operation: Store) -> None:
    with operation.begin() as conn:
        rev = submit_outcome(conn, "STORM-V", "KE", validate_figures({"notices.red": 3}), KENYA)
    assert rev.figures["notices"] == {"yellow": 4, "red": 3}
    assert [c.to_dict() for c in rev.changes] == [{"metric": "notices.red", "old": 1, "new": 3}]


def test_history_shows_old_and_new_per_changed_metric(operation: Store) -> None:
    with operation.begin() as conn:
        submit_outcome(
            conn,
            "STORM-V",
            "KE",
            {"victims_rescued": 160, "arrests_smuggling": 12},
            KENYA,
            note="late count",
        )
        confirm_outcome(conn, "STORM-V", "KE", COORDINATOR)
        history = outcome_history(conn, "STORM-V", "KE")
    first, second, third = (h.to_dict() for h in history)
    assert {c["metric"]: (c["old"], c["new"]) for c in first["changes"]} == {
        "arrests_trafficking": (None, 30),
        "arrests_smuggling": (None, 12),
        "victims_rescued": (None, 150),
        "victims_minors": (None, 40),
        "migrants_identified": (None, 300),
        "notices.red": (None, 1),
        "notices.yellow": (None, 4),
        "forms_of_exploitation": (None, ["forced_labour"]),
    }
    # arrests_smuggling was resent with the same value: kept, not a change
    assert second["changes"] == [{"metric": "victims_rescued", "old": 150, "new": 160}]
    assert (second["changed_by"], second["note"]) == ("ncb-ke", "late count")
    assert third["changes"] == [] and third["status"] == "confirmed"


def test_the_kept_figures_are_checked_with_the_new_ones(operation: Store) -> None:
    with operation.begin() as conn, pytest.raises(InputError, match="victims_minors"):
        submit_outcome(conn, "STORM-V", "KE", {"victims_rescued": 20}, KENYA)
    with operation.connect() as conn:
        assert len(outcome_history(conn, "STORM-V", "KE")) == 1


def test_the_audit_event_names_the_changed_and_kept_metrics(operation: Store) -> None:
    with operation.begin() as conn:
        submit_outcome(conn, "STORM-V", "KE", {"victims_rescued": 160}, KENYA)
    with operation.connect() as conn:
        submits = [e for e in iter_events(conn) if e.action == "operation.submit"]
    assert submits[-1].detail == {
        "country": "KE",
        "revision": 2,
        "status": "preliminary",
        "metrics": 1,
        "changed": ["victims_rescued"],
        "kept": 6,
    }

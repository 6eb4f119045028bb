"""Screening findings on known days and operation figures, for the dashboard's charts.

What the charts must count, worked out by hand:

- today: three hits (a yellow notice on traveller t1, a red notice on t2, a listed
  document on t3) and victim-risk indicators on t1 and t4. Referrals: t1 (yellow
  notice and an indicator, counted once) and t4, so two.
- three days ago: one red-notice hit on t5, no referral.
- forty days ago (outside the 30 days): a yellow-notice hit on t6.
- another agency's private hit today, which the test unit may not see.
- operations: SE identified 12 + 5, rescued 9, arrests 4 + 1 (trafficking, other);
  NO identified 3, arrests 2 (smuggling).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from support.operations import define_operation
from threadline.governance import SYSTEM
from threadline.operations import submit_outcome
from threadline.store import Store
from threadline.store.findings import Finding, add_findings, start_run
from threadline.store.tables import finding as t_finding

TODAY = {"hits": 3, "referrals": 2}
THREE_DAYS_AGO = {"hits": 1, "referrals": 0}
OUTCOMES = {
    "SE": {"victims_identified": 17, "victims_rescued": 9, "arrests": 5, "operations": 2},
    "NO": {"victims_identified": 3, "victims_rescued": 0, "arrests": 2, "operations": 1},
}


def _hit(traveller: str, notice: str | None, check: str = "person") -> Finding:
    return Finding(
        kind="screening_hit",
        key=f"{traveller}:{notice or check}",
        subject_id=traveller,
        related_id=f"listed-{notice or check}",
        private=True,
        score=0.95,
        decision="match",
        data={"notice": notice, "check": check, "flight": "SK1234"},
    )


def _indicator(traveller: str) -> Finding:
    return Finding(
        kind="victim_indicator",
        key=f"{traveller}:escorted_minor",
        subject_id=traveller,
        private=True,
        score=0.6,
        decision="refer",
        data={"indicator": "escorted_minor", "flight": "SK1234"},
    )


def record_screening(store: Store, agency: str = "test-unit", country: str = "SE") -> None:
    """The findings above, as screening runs of ``agency`` and of another agency."""
    now = datetime.now(UTC)
    with store.begin() as conn:
        run = start_run(conn, "screening", scope={}, user="t", agency=agency, country=country)
        add_findings(
            conn,
            run,
            [
                _hit("t1", "yellow"),
                _hit("t2", "red"),
                _hit("t3", None, "document"),
                _indicator("t1"),
                _indicator("t4"),
                _hit("t5", "red"),
                _hit("t6", "yellow"),
            ],
        )
        for key, days in (("t5:red", 3), ("t6:yellow", 40)):
            conn.execute(
                update(t_finding)
                .where(t_finding.c.key == key)
                .values(created_at=now - timedelta(days=days))
            )
        other = start_run(conn, "screening", scope={}, user="t", agency="nb-unit", country="NO")
        add_findings(conn, other, [_hit("t9", "yellow")])


def record_outcomes(store: Store) -> None:
    """Two operations' figures from Sweden and Norway (see the module notes)."""
    define_operation(store, "CHART-1", countries="SE,NO")
    define_operation(store, "CHART-2", countries="SE")
    figures = [
        ("CHART-1", "SE", {"victims_identified": 12, "victims_rescued": 9,
                           "arrests_trafficking": 4}),
        ("CHART-1", "NO", {"victims_identified": 3, "arrests_smuggling": 2}),
        ("CHART-2", "SE", {"victims_identified": 5, "arrests_other": 1}),
    ]  # fmt: skip
    with store.begin() as conn:
        for code, country, values in figures:
            submit_outcome(conn, code, country, values, SYSTEM)

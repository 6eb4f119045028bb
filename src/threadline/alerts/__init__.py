"""Alerts: each new hit, lead or referral waiting for its owning agency, and its triage.

An analysis that finds something new for an agency (a tracing lead for its missing-person
report, a watchlist hit or a safeguarding referral on a manifest it screened) raises an
alert owned by that agency. Officers triage it: new → reviewed → confirmed or dismissed
(a reason required) → re-opened. A dismissed alert is not raised again for the same
evidence; when its evidence changes it is re-opened and says what changed.
"""

from threadline.alerts.service import (
    KIND_NAMES,
    KINDS,
    MOVES,
    STATES,
    Alert,
    Candidate,
    alert_history,
    list_alerts,
    raise_alerts,
    triage_alert,
)

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "MOVES",
    "STATES",
    "Alert",
    "Candidate",
    "alert_history",
    "list_alerts",
    "raise_alerts",
    "triage_alert",
]

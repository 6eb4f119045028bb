"""Triage as the interfaces call it: the alert's new state, and a confirmed match or lead
recorded as a linkage judgement ("the same person"), so later linkage runs and every
cluster hold it.

The judgement is the agency's, with the alert as its reason, and follows the linkage
rules: both records must be ones the officer may see and that are held in a collection
(a manifest screened but not ingested holds no traveller record), and the officer's role
must allow judging. When it cannot be recorded the triage still stands and the answer
says why (``linkage.recorded`` false, ``linkage.reason``).
"""

from __future__ import annotations

from typing import Any

from threadline.alerts import triage_alert
from threadline.exc import ThreadlineError
from threadline.governance import Actor
from threadline.linkage import decide_pair
from threadline.store import Store

JUDGED_KINDS = frozenset({"screening_hit", "trace_lead"})


def triage(
    store: Store,
    actor: Actor,
    alert_id: int,
    state: str,
    reason: str | None = None,
    *,
    component: str = "cli",
) -> dict[str, Any]:
    """Move the alert; on ``confirmed``, record its two sides as the same person."""
    with store.begin() as conn:
        view = triage_alert(conn, actor, alert_id, state, reason, component=component)
    if view["state"] != "confirmed" or view["kind"] not in JUDGED_KINDS:
        return view
    left, right = view.get("subject_id"), view.get("related_id")
    if not left or not right:
        view["linkage"] = {
            "recorded": False,
            "reason": "a protected person's records are linked by her victim liaison officer",
        }
        return view
    why = f"alert {alert_id} confirmed" + (
        f": {reason.strip()}" if reason and reason.strip() else ""
    )
    try:
        judged = decide_pair(store, actor, left, right, "same", why[:1000])
    except ThreadlineError as exc:
        view["linkage"] = {"recorded": False, "reason": str(exc)}
        return view
    view["linkage"] = {"recorded": True, "judgement": judged.to_dict()}
    return view

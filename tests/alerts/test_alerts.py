"""Alerts: raised once per thing found, kept per agency, triaged with reasons, shielded.

What an officer relies on: a hit dismissed as a namesake does not come back when the same
manifest is screened again; it comes back, saying why, when the evidence changes; another
agency neither sees nor moves it; and a victim on either side stays a pseudonym.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.holdings import hold, person
from threadline.alerts import Candidate, list_alerts, raise_alerts, triage_alert
from threadline.alerts.service import alert_history
from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, Role
from threadline.governance.audit import iter_events
from threadline.store import Store
from threadline.victims import build_intake, create_victim

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
OFFICER = Actor("officer-1", "Border Police", "SE", frozenset({Role.BORDER_OFFICER})).for_purpose(
    "border_check"
)
OTHER = Actor("officer-9", "Coast Guard", "SE", frozenset({Role.BORDER_OFFICER})).for_purpose(
    "border_check"
)
LIAISON = Actor("liaison-1", "Border Police", "SE", frozenset({Role.VICTIM_LIAISON}))


def hit(score: float = 0.91, decision: str = "match", extra: str | None = None) -> Candidate:
    explanation = [{"feature": "name", "weight": 0.7, "points": 0.6}]
    if extra:
        explanation.append({"feature": extra, "weight": 0.3, "points": 0.3})
    return Candidate(
        agency=OFFICER.agency,
        country=OFFICER.country,
        kind="screening_hit",
        key="traveller-1|interpol-red-2021-11111",
        subject_id="traveller-1",
        related_id="interpol-red-2021-11111",
        score=score,
        decision=decision,
        explanation=explanation,
        detail={"message": "match against red notice", "caption": "IVAN PETROV"},
    )


def _only(store: Store, actor: Actor = OFFICER, **filters: str) -> list[dict[str, object]]:
    with store.begin() as conn:
        items, _total, _states = list_alerts(conn, actor, **filters)  # type: ignore[arg-type]
    return items


def test_raised_once_dismissed_stays_dismissed_and_changed_evidence_reopens(store: Store) -> None:
    with store.begin() as conn:
        assert raise_alerts(conn, [hit()]).new == 1
    (alert,) = _only(store)
    assert {"id", "kind", "subject_id", "related_id", "score", "decision", "state",
            "created_at", "explanation"} <= set(alert)  # fmt: skip
    assert (alert["state"], alert["decision"], alert["score"]) == ("new", "match", 0.91)
    with store.begin() as conn:
        assert raise_alerts(conn, [hit(0.9104)]).unchanged == 1  # the same evidence, rounded
        triage_alert(conn, OFFICER, int(alert["id"]), "dismissed", "namesake: born 1982, not 1978")
    with store.begin() as conn:
        assert raise_alerts(conn, [hit()]).to_dict() == {
            "new": 0, "reopened": 0, "changed": 0, "unchanged": 1
        }  # fmt: skip
    assert _only(store)[0]["state"] == "dismissed"
    with store.begin() as conn:
        assert raise_alerts(conn, [hit(0.97, extra="document_number")]).reopened == 1
        shown = alert_history(conn, OFFICER, int(alert["id"]))
    assert shown["state"] == "reopened"
    assert [s["state"] for s in shown["history"]] == ["new", "dismissed", "reopened"]
    why = shown["history"][-1]["reason"]
    assert why == "evidence changed: score 0.91 → 0.97; new evidence: document_number"
    assert shown["history"][-1]["changed_by"] == "system"
    assert shown["detail"]["changed"] == why.removeprefix("evidence changed: ")


def test_another_agency_neither_sees_nor_moves_the_alert(store: Store) -> None:
    with store.begin() as conn:
        raise_alerts(conn, [hit()])
    (alert,) = _only(store)
    assert _only(store, OTHER) == []
    with store.begin() as conn, pytest.raises(NotFound, match="no alert"):
        triage_alert(conn, OTHER, int(alert["id"]), "reviewed")
    auditor = Actor("aud", "Border Police", "SE", frozenset({Role.AUDITOR})).for_purpose("audit")
    with store.begin() as conn, pytest.raises(AccessDenied, match="analysts, border officers"):
        list_alerts(conn, auditor)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("dismissed", None)], "dismissing alert 1 needs a reason"),
        ([("reviewed", None), ("reviewed", None)], "is reviewed: it can be moved to confirmed"),
        ([("reopened", "again")], "is new: it can be moved to reviewed or confirmed or dismissed"),
        ([("closed", None)], "unknown alert state 'closed'"),
        ([("confirmed", None), ("reopened", " ")], "re-opening alert 1 needs a reason"),
    ],
)
def test_moves_and_reasons_are_checked(
    store: Store, steps: list[tuple[str, str | None]], message: str
) -> None:
    with store.begin() as conn:
        raise_alerts(conn, [hit()])
    with pytest.raises(InputError, match=message):
        for state, reason in steps:
            with store.begin() as conn:
                triage_alert(conn, OFFICER, 1, state, reason)


def test_triage_is_audited_without_the_reason_text(store: Store) -> None:
    with store.begin() as conn:
        raise_alerts(conn, [hit()])
        triage_alert(conn, OFFICER, 1, "reviewed")
        triage_alert(conn, OFFICER, 1, "dismissed", "namesake: another birth date")
    with store.connect() as conn:
        events = [e for e in iter_events(conn) if e.action == "alert.triage"]
    assert [(e.user, e.target_id, e.detail["to"]) for e in events] == [
        ("officer-1", "1", "reviewed"),
        ("officer-1", "1", "dismissed"),
    ]
    assert events[-1].detail["reason_length"] == len("namesake: another birth date")
    assert "namesake" not in repr(events)


def test_a_victims_side_is_shown_by_pseudonym(store: Store) -> None:
    """A traveller tied to a victim record: the officer sees the record's pseudonym, not
    the traveller's id, name or the evidence; the liaison officer of her agency sees all."""
    hold(store, "se-cases", [person("case-v1", "Dalisay Example Reyes")],
         agency=LIAISON.agency, country=LIAISON.country)  # fmt: skip
    with store.begin() as conn:
        intake = build_intake(
            identified_on="2026-03-14", identified_how="border", identified_country="SE",
            personal={"name": "Dalisay Example Reyes"}, entity_ids=["case-v1"],
        )  # fmt: skip
        pseudonym = create_victim(conn, LIAISON, intake).pseudonym
        safeguarding = Candidate(
            agency=OFFICER.agency, country=OFFICER.country, kind="safeguarding",
            key="case-v1|protected_person", subject_id="case-v1", related_id=None, score=1.0,
            decision="referral", explanation=[{"indicator": "protected_person"}],
            detail={"message": "a recorded victim travels: contact her liaison officer",
                    "caption": "Dalisay Example Reyes"},
        )  # fmt: skip
        raise_alerts(conn, [safeguarding])
    (shown,) = _only(store)
    assert shown["subject_id"] is None and shown["explanation"] == []
    assert shown["subject_protected"]["pseudonym"] == pseudonym
    assert "Dalisay" not in json.dumps(shown, default=str)
    (seen,) = _only(store, LIAISON.for_purpose("victim_identification"))
    assert seen["subject_id"] == "case-v1" and seen["detail"]["caption"] == "Dalisay Example Reyes"


def test_a_manifest_screened_again_raises_nothing_new(store: Store) -> None:
    """Hits and referrals of a manifest become alerts of the screening agency; screening the
    same manifest again raises none, and the one dismissed stays dismissed."""
    from threadline.ingest.runner import ingest_file
    from threadline.model.collections import build_collection
    from threadline.screening.manifest import screen_manifest
    from threadline.screening.sources import clear_cache
    from threadline.store.collections import create_collection

    clear_cache()
    with store.begin() as conn:
        for name, kind in (("notices", "notices"), ("sltd", "travel-documents")):
            made = build_collection(
                name, kind=kind, owner_agency=OFFICER.agency, owner_country="SE"
            )
            create_collection(conn, made)
    ingest_file(store, BORDER / "notices" / "yellow" / "2022-33333.json", "notices")
    ingest_file(store, BORDER / "stolen_lost.csv", "sltd")
    first = screen_manifest(store, OFFICER, BORDER / "manifest.csv", country="SE")
    alerts = _only(store)
    kinds = {a["kind"] for a in alerts}
    assert "safeguarding" in kinds
    assert len(alerts) == len({(i.record.record_id, i.indicator) for i in first.indicators}) + sum(
        1 for r in first.results for h in r["person_hits"] if not h.get("protected")
    )
    dismissed = alerts[0]
    with store.begin() as conn:
        triage_alert(conn, OFFICER, int(dismissed["id"]), "dismissed", "travelling with her aunt")
    screen_manifest(store, OFFICER, BORDER / "manifest.csv", country="SE")
    again = {a["id"]: a["state"] for a in _only(store)}
    assert len(again) == len(alerts)
    assert again[dismissed["id"]] == "dismissed"
    assert sorted(set(again.values())) == ["dismissed", "new"]

"""The screening rules page through HTTP: write, back-test, activate, retire; refusals shown
beside the form with what was typed; readers get no forms; another agency's rules nowhere.

The hand-made manifest (tests/fixtures/border/manifest.csv) has one child alone on a
booking, R003 (14): the rule below flags her and no one else.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from support.web import csrf, sign_in
from threadline.api.app import create_app
from threadline.governance import Actor, Purpose, Role
from threadline.governance.audit import ReadScope, read_events
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.screening import rules
from threadline.screening.manifest import screen_manifest
from threadline.store import Store

MANIFEST = Path(__file__).parent.parent / "fixtures" / "border" / "manifest.csv"
PASSWORD = "a long enough password"
OFFICER = Actor("sv-officer", "NCB Stockholm", "SE", frozenset({Role.BORDER_OFFICER}))
PARIS = Actor("fr-analyst", "NCB Paris", "FR", frozenset({Role.ANALYST}))
RULE = {
    "name": "child-alone",
    "expression": "minor and booking_adults == 0",
    "action": "referral",
    "description": "a child with no adult on the booking",
}


@pytest.fixture
def web(store: Store) -> Iterator[TestClient]:
    """Stockholm's analyst, officer and auditor; Paris's analyst with a rule of its own;
    one manifest Stockholm screened (the archive a back-test runs on)."""
    with store.begin() as conn:
        create_agency(conn, "NCB Stockholm", "SE")
        create_agency(conn, "NCB Paris", "FR")
        for name, agency, role in [
            ("sv-analyst", "NCB Stockholm", "analyst"),
            ("sv-officer", "NCB Stockholm", "border_officer"),
            ("sv-auditor", "NCB Stockholm", "auditor"),
            ("fr-analyst", "NCB Paris", "analyst"),
        ]:
            create_user(conn, name, agency, parse_roles([role]), PASSWORD)
        rules.create_rule(
            conn, PARIS, "paris-only", "age < 16 and one_way", "review", "a young child alone"
        )
    screen_manifest(store, OFFICER.for_purpose(Purpose.BORDER_CHECK), MANIFEST)
    with TestClient(create_app(store)) as client:
        yield client


def test_an_analyst_writes_backtests_activates_and_retires(web: TestClient, store: Store) -> None:
    sign_in(web, "sv-analyst", PASSWORD, purpose="border_check")
    page = web.get("/rules")
    assert page.status_code == 200 and 'href="/rules">Rules</a>' in page.text
    assert "No screening rules for your agency yet" in page.text
    assert "Write rule" in page.text and "contact_in_high_risk_ads" in page.text  # the fields

    typo = web.post(
        "/rules", data={"csrf_token": csrf(page.text), **RULE, "expression": "agee < 18"}
    )
    assert typo.status_code == 422
    assert "unknown field &#39;agee&#39; (did you mean age?)" in typo.text
    assert 'value="child-alone"' in typo.text and ">agee &lt; 18</textarea>" in typo.text
    assert ">a child with no adult on the booking</textarea>" in typo.text  # what was typed

    written = web.post("/rules", data={"csrf_token": csrf(page.text), **RULE})
    assert written.status_code == 200, written.text
    assert "Rule child-alone version 1 written as a draft" in written.text
    assert 'id="rule-child-alone"' in written.text and "not back-tested" in written.text

    step = {"csrf_token": csrf(page.text), "version": "1", "purpose": "border_check"}
    untested = web.post("/rules/child-alone/activate", data=step)
    assert untested.status_code == 422
    assert "has not been back-tested" in html.unescape(untested.text)

    tested = web.post("/rules/child-alone/test", data=step)
    assert tested.status_code == 200, tested.text
    text = " ".join(html.unescape(tested.text).split())
    assert "version 1 back-tested on 1 manifest (9 travellers): it would have flagged 1" in text
    assert "would have flagged 1</strong>" in text and "R003 on ZZ100 2025-03-01" in text

    active = web.post("/rules/child-alone/activate", data=step)
    assert active.status_code == 200 and "Rule child-alone version 1 is active" in active.text
    again = web.post("/rules/child-alone/activate", data=step)
    assert again.status_code == 422 and "version 1 is already active" in html.unescape(again.text)

    # A rule alert in the inbox links to its rule on this page.
    screen_manifest(store, OFFICER.for_purpose(Purpose.BORDER_CHECK), MANIFEST)
    inbox = web.get("/alerts?purpose=border_check&kind=rule").text
    assert 'href="/rules#rule-child-alone">Rule child-alone</a>' in inbox

    retired = web.post("/rules/child-alone/retire", data={**step, "reason": "covered elsewhere"})
    assert retired.status_code == 200 and "Rule child-alone version 1 is retired." in retired.text
    assert "retired by sv-analyst" in retired.text and "covered elsewhere" in retired.text
    with store.connect() as conn:
        steps = [
            (e.action, e.component)
            for e in read_events(conn, ReadScope(("NCB Stockholm", "SE"), "test"))
            if e.action.startswith("rule.") and e.action not in ("rule.list", "rule.show")
        ]
    assert steps == [
        ("rule.create", "web"), ("rule.test", "web"), ("rule.activate", "web"),
        ("rule.retire", "web"),
    ]  # fmt: skip


REFUSED = [
    ("expression", 'nationality =~ "N.*"', "regular-expression matching"),
    ("expression", "departure_date < $now and minor", "$now is not allowed"),
    ("description", "suspected trafficker", "calls travellers suspects"),
    ("name", "Child Alone!", "2 to 64 characters"),
]


def test_a_refused_rule_is_explained_beside_the_form(web: TestClient) -> None:
    sign_in(web, "sv-analyst", PASSWORD, purpose="border_check")
    page = web.get("/rules").text
    for field, value, reason in REFUSED:
        refused = web.post("/rules", data={"csrf_token": csrf(page), **RULE, field: value})
        assert refused.status_code == 422, field
        shown = html.unescape(refused.text)
        start = shown.index('id="write"')
        form = shown[start : shown.index("</form>", start)]
        kept = f'value="{value}"' if field == "name" else f">{value}</textarea>"
        assert reason in form and kept in form, (field, value)  # beside the form, kept
        assert "Traceback" not in shown


def test_a_reader_gets_no_forms_and_a_post_is_refused(web: TestClient, store: Store) -> None:
    sign_in(web, "sv-analyst", PASSWORD, purpose="border_check")
    page = web.get("/rules").text
    assert web.post("/rules", data={"csrf_token": csrf(page), **RULE}).status_code == 200
    web.post("/logout", data={"csrf_token": csrf(page)})

    sign_in(web, "sv-officer", PASSWORD, purpose="border_check")
    seen = web.get("/rules")
    assert seen.status_code == 200 and 'id="rule-child-alone"' in seen.text
    assert "minor and booking_adults == 0" in seen.text and "Fields a rule can use" in seen.text
    assert '<form method="post" action="/rules' not in seen.text
    for path in ("/rules", "/rules/child-alone/test", "/rules/child-alone/activate"):
        refused = web.post(path, data={"csrf_token": csrf(seen.text), **RULE, "version": "1"})
        assert refused.status_code == 403, path
        assert "by analysts and operation coordinators" in refused.text
    forged = web.post("/rules/child-alone/retire", data={"csrf_token": "x", "version": "1"})
    assert forged.status_code == 403
    with store.connect() as conn:
        events = read_events(conn, ReadScope(("NCB Stockholm", "SE"), "test"))
    denied = [e.target_id for e in events if e.action == "access.denied" and e.user == "sv-officer"]
    assert "POST /rules" in denied and "POST /rules/child-alone/activate" in denied
    web.post("/logout", data={"csrf_token": csrf(seen.text)})

    sign_in(web, "sv-auditor", PASSWORD, purpose=None)
    assert 'href="/rules"' not in web.get("/").text
    assert web.get("/rules").status_code == 403


def test_another_agencys_rules_are_never_shown(web: TestClient) -> None:
    sign_in(web, "sv-analyst", PASSWORD, purpose="border_check")
    page = web.get("/rules").text
    assert "paris-only" not in page and "age &lt; 16 and one_way" not in page
    step = {"csrf_token": csrf(page), "version": "1", "purpose": "border_check"}
    for action in ("test", "activate", "retire"):
        answer = web.post(f"/rules/paris-only/{action}", data=step)
        assert answer.status_code == 404, action
        assert "no screening rule &#39;paris-only&#39; for your agency" in answer.text
        assert "age &lt; 16" not in answer.text and "a young child alone" not in answer.text
    start = web.get("/rules?new=paris-only").text  # the form starts empty, not from theirs
    assert "age &lt; 16" not in start and "a young child alone" not in start


def test_without_a_purpose_the_newest_and_active_versions_only(web: TestClient) -> None:
    sign_in(web, "sv-analyst", PASSWORD, purpose=None)
    page = web.get("/rules").text
    assert web.post("/rules", data={"csrf_token": csrf(page), **RULE}).status_code == 200
    listed = web.get("/rules")
    assert listed.status_code == 200 and "Choose why you are looking" in listed.text
    assert "minor and booking_adults == 0" in listed.text and "written by" not in listed.text
    test = web.post("/rules/child-alone/test", data={"csrf_token": csrf(page), "version": "1"})
    assert test.status_code == 422 and "a person query needs a purpose" in test.text
    no_reference = web.get("/rules?purpose=investigation")
    assert no_reference.status_code == 422
    assert "needs a case or operation reference" in html.unescape(no_reference.text)
    full = web.get("/rules?purpose=investigation&reference=CASE-7")
    assert full.status_code == 200 and "written by sv-analyst" in full.text
    new_version = web.get("/rules?new=child-alone").text  # the form starts from version 1
    assert ">minor and booking_adults == 0</textarea>" in new_version

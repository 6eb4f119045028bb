"""Screening rules in the browser: an analyst writes a rule (a typo is explained beside the
form, with what was typed), back-tests it, activates it and retires it with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from threadline.governance.accounts import get_user
from threadline.governance.actors import Channel
from threadline.screening.manifest import screen_manifest
from threadline.store import Store

from .conftest import shot, sign_in

MANIFEST = Path(__file__).parent.parent / "fixtures" / "border" / "manifest.csv"


def _text(locator: Any) -> str:
    return " ".join(locator.inner_text().split())


def test_an_analyst_writes_backtests_activates_and_retires_a_rule(
    page: Any, live_store: Store
) -> None:
    with live_store.connect() as conn:
        analyst = get_user(conn, "analyst").actor(Channel.API).for_purpose("border_check")
    screen_manifest(live_store, analyst, MANIFEST)  # the archive the back-test runs on
    sign_in(page, "analyst")
    page.get_by_role("link", name="Rules").click()
    page.get_by_label("Purpose").select_option("border_check")
    page.get_by_role("button", name="Show versions and back-tests").click()

    form = page.get_by_role("form", name="Write a rule or a new version")
    form.get_by_label("Name").fill("browser-child-alone")
    form.get_by_label("Expression").fill("minor and booking_adultz == 0")
    form.get_by_label("Description").fill("a child with no adult on the booking")
    form.get_by_role("button", name="Write rule").click()
    form = page.get_by_role("form", name="Write a rule or a new version")
    assert "unknown field 'booking_adultz' (did you mean booking_adults?)" in _text(
        form.get_by_role("alert")
    )
    assert form.get_by_label("Name").input_value() == "browser-child-alone"
    shot(page, "screening-rules-refused")
    form.get_by_label("Expression").fill("minor and booking_adults == 0")
    form.get_by_role("button", name="Write rule").click()
    assert "version 1 written as a draft" in _text(page.get_by_role("status"))

    rule = page.locator("#rule-browser-child-alone")
    rule.get_by_role("form", name="Back-test browser-child-alone version 1").get_by_role(
        "button", name="Back-test"
    ).click()
    assert "it would have flagged 1" in _text(page.get_by_role("status"))
    rule = page.locator("#rule-browser-child-alone")
    assert "R003 on ZZ100 2025-03-01" in _text(rule)
    rule.get_by_role("button", name="Activate").click()
    assert "version 1 is active" in _text(page.get_by_role("status"))
    rule = page.locator("#rule-browser-child-alone")
    assert "version 1 active" in _text(rule.get_by_role("heading"))
    shot(page, "screening-rules")

    rule.get_by_label("Reason to retire version 1").fill("covered by the indicators")
    rule.get_by_role("button", name="Retire").click()
    rule = page.locator("#rule-browser-child-alone")
    assert "retired by analyst" in _text(rule) and "covered by the indicators" in _text(rule)
    assert rule.get_by_role("button", name="Activate").count() == 0

"""Victim care pages: the liaison officer's record; an analyst sees the pseudonym only."""

from __future__ import annotations

from typing import Any

from .conftest import shot, sign_in


def test_liaison_opens_a_record_and_cares(page: Any) -> None:
    sign_in(page, "liaison")
    page.get_by_role("link", name="Victim care").click()
    page.get_by_label("Identified on").fill("2026-04-01")
    page.get_by_label("How identified").select_option("hotline")
    page.get_by_label("Name (personal data)").fill("Nguyen Van Example")
    page.get_by_label("Needs").select_option(["shelter", "interpretation"])
    shot(page, "victims")
    page.get_by_role("button", name="Open record").click()
    page.wait_for_url("**/victims/V-*")
    pseudonym = page.url.rsplit("/", 1)[1]
    assert page.get_by_text("Nguyen Van Example").is_visible()
    page.get_by_label("Consent to").select_option("referral")
    page.get_by_role("button", name="Record consent").click()
    assert "Consent to referral recorded" in page.get_by_role("status").inner_text()
    page.get_by_label("Refer to").select_option("shelter")
    page.get_by_role("button", name="Request referral").click()
    page.get_by_label("New status of referral 1").select_option("accepted")
    page.get_by_role("button", name="Update referral 1").click()
    assert "requested" in page.locator(".timeline").inner_text()
    assert "accepted" in page.locator(".timeline").inner_text()
    page.get_by_label("Date of reunion").fill("2026-05-10")
    page.get_by_label("Relationship").fill("sister")
    page.get_by_role("button", name="Record reunification").click()
    assert "Reunification recorded" in page.get_by_role("status").inner_text()
    shot(page, "victim-record")
    page.get_by_label("Why close it").fill("care completed: returned home")
    page.get_by_role("button", name="Close record").click()
    assert "Record closed" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Record consent").count() == 0
    assert "care completed: returned home" in page.get_by_label("Status history").inner_text()
    shot(page, "victim-record-closed")
    page.get_by_label("Why reopen it").fill("new shelter need")
    page.get_by_role("button", name="Reopen record").click()
    assert "Record reopened" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Record consent").count() == 1
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "analyst")
    assert page.get_by_role("link", name="Victim care").count() == 0
    page.goto(f"/victims/{pseudonym}")
    assert "Identity hidden" in page.content()
    assert "Nguyen Van Example" not in page.content()
    assert page.get_by_role("button", name="Record consent").count() == 0
    shot(page, "victim-record-pseudonymised")

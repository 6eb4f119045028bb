"""Each core page's main flow in a real browser, with a screenshot per page."""

from __future__ import annotations

from typing import Any

from .conftest import PASSWORD, shot, sign_in


def test_sign_in_page_refuses_a_wrong_password(page: Any) -> None:
    page.goto("/")
    assert page.url.endswith("/login")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD + "x")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == (
        "wrong username or password, or the account cannot sign in now"
    )
    shot(page, "sign-in")


def test_dashboard(page: Any) -> None:
    sign_in(page)
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert page.get_by_role("heading", name="New high-risk ads").is_visible()
    shot(page, "dashboard")


def test_search_then_entity_with_sources(page: Any) -> None:
    sign_in(page)
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Name").fill("eriksson")
    page.get_by_label("Purpose").select_option("investigation")
    page.get_by_label("Case or operation reference").fill("CASE-2026-1")
    page.get_by_role("button", name="Search").click()
    shot(page, "search")
    page.get_by_role("link", name="Anna Maria Eriksson").click()
    assert page.get_by_role("heading", name="Values and their sources").is_visible()
    assert page.get_by_role("cell", name="se-case-p1").first.is_visible()
    shot(page, "entity")


def test_collections_and_job_report(page: Any) -> None:
    sign_in(page)
    page.get_by_role("link", name="Collections").click()
    assert page.get_by_role("cell", name="cases", exact=True).first.is_visible()
    shot(page, "collections")
    page.get_by_role("link", name="1", exact=True).click()
    assert page.get_by_role("heading", name="Rejection report").is_visible()
    shot(page, "job")


def test_audit_viewer_for_auditors_only(page: Any) -> None:
    sign_in(page, "analyst")
    assert page.get_by_role("link", name="Audit").count() == 0
    page.goto("/audit")
    assert "the audit log is for auditors" in page.content()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "auditor")
    page.get_by_role("link", name="Audit").click()
    assert "Chain intact" in page.get_by_role("status").inner_text()
    shot(page, "audit")


def test_upload_shows_the_job_and_its_rejections(page: Any, tmp_path: Any) -> None:
    from pathlib import Path

    broken = Path(__file__).parent.parent / "fixtures" / "broken.ftm.jsonl"
    sign_in(page)
    page.get_by_role("link", name="Collections").click()
    page.get_by_label("Collection", exact=True).fill("uploads")
    page.get_by_label("File").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and ingest").click()
    page.wait_for_url("**/jobs/*")
    status = page.get_by_role("status")
    status.filter(has_text="completed").wait_for(timeout=20_000)
    assert "stored 5" in status.inner_text() and "rejected 5" in status.inner_text()
    page.reload()
    assert page.get_by_role("cell", name="unknown schema 'Persn'").is_visible()
    shot(page, "upload-job")

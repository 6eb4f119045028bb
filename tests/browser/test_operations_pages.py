"""Operation pages in a real browser: define, submit a country's figures, confirm, report."""

from __future__ import annotations

from typing import Any

from .conftest import shot, sign_in


def test_define_submit_confirm_and_report(page: Any) -> None:
    sign_in(page, "analyst")  # an operation coordinator of Sweden's unit
    page.get_by_role("link", name="Operations").click()
    page.get_by_label("Code").fill("NORD-2026")
    page.get_by_label("Name").fill("Nord")
    page.get_by_label("First day").fill("2026-10-01")
    page.get_by_label("Last day").fill("2026-10-07")
    page.get_by_label("Participating countries").fill("SE=NCB Stockholm,NO,FI")
    shot(page, "operations")
    page.get_by_role("button", name="Create operation").click()
    page.wait_for_url("**/operations/NORD-2026")
    assert "PRELIMINARY figures" in page.content()
    page.get_by_label("Country", exact=True).select_option("SE")
    page.get_by_label("Arrests for trafficking in persons", exact=True).fill("7")
    page.get_by_label("Victims rescued", exact=True).fill("19")
    page.get_by_role("button", name="Submit figures").click()
    assert "SE: revision 1 saved (preliminary)" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Confirm figures of SE").click()
    assert "figures confirmed" in page.get_by_role("status").inner_text()
    assert page.get_by_role("img", name="Victims rescued and arrests per country").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "NORD-2026-report.csv"
    shot(page, "operation-report")


def test_a_bad_figure_is_explained(page: Any) -> None:
    sign_in(page, "analyst")
    page.goto("/operations")
    page.get_by_label("Code").fill("BAD-1")
    page.get_by_label("First day").fill("2026-10-07")
    page.get_by_label("Last day").fill("2026-10-01")
    page.get_by_label("Participating countries").fill("SE")
    page.get_by_role("button", name="Create operation").click()
    assert "is before the start" in page.get_by_role("alert").inner_text()

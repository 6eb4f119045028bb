"""The screening console: person, document, MRZ and a manifest with safeguarding referrals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from support.operations import define_operation
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

from .conftest import shot, sign_in

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


@pytest.fixture(scope="module", autouse=True)
def border_lists(live_store: Store) -> None:
    """Notices (a watchlist) and a stolen/lost document list of the test unit."""
    with live_store.begin() as conn:
        for name, kind in [("notices", "notices"), ("sltd", "travel-documents")]:
            create_collection(
                conn,
                build_collection(name, kind=kind, owner_agency="test-unit", owner_country="SE"),
            )
    for notice in ("red/2021-11111.json", "yellow/2022-33333.json"):
        ingest_file(live_store, BORDER / "notices" / notice, "notices")
    ingest_file(live_store, BORDER / "stolen_lost.csv", "sltd")
    define_operation(live_store, "LIBERTERRA-III")  # the manifest is screened under it


def test_officer_screens_a_person_a_document_and_an_mrz(page: Any) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Screening").click()
    person = page.locator("#person-form")
    person.get_by_label("Full name").fill("Иван Петров")
    person.get_by_label("Date of birth").fill("1975-03-14")
    person.get_by_label("Sex").select_option("M")
    person.get_by_label("Purpose").select_option("border_check")
    person.get_by_role("button", name="Screen person").click()
    result = page.get_by_role("region", name="Person: Иван Петров")
    assert "interpol-red-2021-11111" in result.inner_text()
    assert "red notice" in result.inner_text() and "name:" in result.inner_text()
    shot(page, "screening-person")

    document = page.locator("#document-form")
    document.get_by_label("Document number").fill("751234567")
    document.get_by_label("Issuing country").fill("RUS")
    document.get_by_role("button", name="Check document").click()
    assert "listed" in page.get_by_role("heading", name="Document 751234567 (RUS)").inner_text()
    assert "stolen" in page.locator("#screening-results").inner_text()

    mrz = page.locator("#mrz-form")
    mrz.get_by_label("MRZ lines").fill(SPECIMEN)
    mrz.get_by_label("Purpose").select_option("investigation")
    mrz.get_by_role("button", name="Read and check MRZ").click()
    assert "needs a case or operation reference" in page.get_by_role("alert").inner_text()
    mrz = page.locator("#mrz-form")
    assert mrz.get_by_label("MRZ lines").input_value().startswith("P<UTOERIKSSON")  # kept
    mrz.get_by_label("Reference").fill("CASE-2026-17")
    mrz.get_by_role("button", name="Read and check MRZ").click()
    heading = page.get_by_role("heading", name="MRZ: ERIKSSON, ANNA MARIA")
    assert "check digits valid" in heading.inner_text()
    assert "expired on 2012-04-15" in page.locator("#screening-results").inner_text()
    shot(page, "screening-mrz")


def test_manifest_upload_flags_safeguarding_referrals(page: Any) -> None:
    sign_in(page, "analyst")
    page.goto("/screening")
    manifest = page.locator("#manifest-form")
    manifest.get_by_label("Manifest file").set_input_files(str(BORDER / "manifest.csv"))
    manifest.get_by_label("Operation code").fill("LIBERTERRA-III")
    manifest.get_by_label("Country doing the checks").fill("SE")
    manifest.get_by_label("Purpose").select_option("operation")
    manifest.get_by_role("button", name="Screen manifest").click()
    heading = page.get_by_role("heading", name="Manifest: 9 travellers")
    heading.wait_for()
    assert "LIBERTERRA-III" in heading.inner_text()
    flights = page.locator(".flights").inner_text()
    assert "manifest.csv" in flights and "flight ZZ100 LED 2025-03-01 10:00 → CDG" in flights
    referrals = page.locator(".safeguarding").inner_text()
    assert "not suspected of anything" in referrals
    assert "R003: consider a safeguarding interview" in referrals
    table = page.get_by_role("table", name="Every traveller")
    assert table.locator("tbody tr").count() == 9
    row = table.locator("tr", has_text="R009")
    assert "interpol-red-2021-11111" in row.inner_text()
    assert "suspect" not in row.inner_text().lower()
    shot(page, "screening-manifest")


def test_forms_need_the_csrf_token_and_the_role(page: Any) -> None:
    sign_in(page, "analyst")
    forged = page.request.post(
        "/screening/person",
        form={"name": "Ivan Petrov", "purpose": "border_check", "csrf_token": "forged"},
    )
    assert forged.status == 403
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "liaison")
    assert page.get_by_role("link", name="Screening").count() == 0
    response = page.goto("/screening")
    assert response is not None and response.status == 403

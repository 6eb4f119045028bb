"""Linkage review: an uncertain pair with its waterfall, judged from the keyboard, retracted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from threadline.governance import SYSTEM
from threadline.ingest.runner import ingest_file
from threadline.linkage import run_linkage
from threadline.store import Store

from .conftest import shot, sign_in, state_purpose

CASES: dict[str, list[tuple[str, str, str, str, str | None]]] = {
    "ru-cases": [("ru1", "Мухаммад Алиев", "1990-05-04", "male", "AB1234567")],
    "de-cases": [
        ("de1", "Mohammed Aliev", "1990", "male", None),
        ("de2", "Svetlana Orlova", "1988-03", "female", None),
    ],
    "fr-cases": [
        ("fr1", "ORLOVA Svetlana", "1988-03-17", "female", None),
        ("fr2", "Muhammad Aliev", "1971-11-30", "male", None),
    ],
}


@pytest.fixture(scope="module", autouse=True)
def linked(live_store: Store, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("linkage")
    for name, people in CASES.items():
        lines = []
        for ident, full, born, sex, passport in people:
            props = {"name": [full], "birthDate": [born], "gender": [sex], "nationality": ["ru"]}
            if passport:
                props["passportNumber"] = [passport]
            lines.append(json.dumps({"id": ident, "schema": "Person", "properties": props}))
        path = folder / f"{name}.ftm.jsonl"
        path.write_text("\n".join(lines) + "\n")
        ingest_file(live_store, path, name)
    run_linkage(live_store, SYSTEM)


def test_analyst_judges_a_pair_and_retracts(page: Any) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Linkage review").click()
    state_purpose(page)
    pair = page.get_by_role("region", name="Pair 1")
    heading = pair.get_by_role("heading").inner_text()
    # Each side by its name, schema and collection, its id beside it.
    assert "Mohammed Aliev Person, de-cases · de1 and " in heading
    assert "Person, ru-cases · ru1" in heading
    waterfall = pair.get_by_role("table", name="Comparison breakdown of pair 1")
    prior = waterfall.locator("tr", has_text="prior")
    assert "-13" in prior.inner_text()
    assert "1990-05-04" in waterfall.locator("tr", has_text="dob").inner_text()
    assert waterfall.get_by_role("img").count() >= 5  # one bar per comparison
    shot(page, "linkage-review")
    page.get_by_label("Reason for pair 1").fill("same passport photo on both files")
    page.keyboard.press("Tab")  # the first button after the reason: Same
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    assert "Judged de1 and ru1: same." in status.inner_text()
    clusters = page.get_by_role("table", name="Clusters of records")
    assert clusters.locator("tr", has_text="ru1").locator("a").count() == 2
    assert "Nothing to review" in page.content()
    shot(page, "linkage-judged")
    page.get_by_role("button", name="Retract this judgement").click()
    assert "Retracted the judgement on de1 and ru1" in page.get_by_role("status").inner_text()
    assert page.get_by_role("region", name="Pair 1").count() == 1


def test_judgements_need_the_csrf_token_and_the_analyst_role(page: Any) -> None:
    sign_in(page, "analyst")
    forged = page.request.post(
        "/linkage/judgements",
        form={"left": "de1", "right": "ru1", "judgement": "same", "csrf_token": "forged"},
    )
    assert forged.status == 403
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "liaison")
    assert page.get_by_role("link", name="Linkage review").count() == 0
    response = page.goto("/linkage")
    assert response is not None and response.status == 403

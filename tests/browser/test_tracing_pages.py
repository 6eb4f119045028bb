"""Tracing: a liaison officer states a purpose, sees a report's leads, evidence and trail."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from threadline.governance import SYSTEM
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection
from threadline.tracing import run_tracing

from .conftest import shot, sign_in


def _person(ident: str, name: str, born: str, **props: str) -> dict[str, Any]:
    values = {"name": [name], "birthDate": [born], "gender": ["female"]}
    values.update({k: [v] for k, v in props.items()})
    return {"id": ident, "schema": "Person", "properties": values}


def _ad(ident: str, text: str, posted: str, place: str) -> dict[str, Any]:
    props = {"title": ["New girl"], "bodyText": [text], "publishedAt": [posted], "address": [place]}
    return {"id": ident, "schema": "HyperText", "properties": props}


WORLD = {
    ("se-missing", "missing-persons"): [
        _person("rep1", "Elin Marklund", "2008-02-11", country="se")
    ],
    ("de-raids", "identified-persons"): [
        _person(
            "id1",
            "Marklund Elin",
            "2008-02",
            country="de",
            notes="Identified in a raid in Hamburg on 2025-04-28.",
        )
    ],
    ("city-ads", "ads"): [_ad("ad1", "Elin Marklund, 17 yo, new in town", "2025-03-02", "Berlin")],
}


@pytest.fixture(scope="module", autouse=True)
def traced(live_store: Store, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("tracing")
    for (name, kind), entities in WORLD.items():
        with live_store.begin() as conn:
            create_collection(
                conn,
                build_collection(name, kind=kind, owner_agency="test-unit", owner_country="SE"),
            )
        path = folder / f"{name}.ftm.jsonl"
        path.write_text("\n".join(json.dumps(e) for e in entities) + "\n")
        ingest_file(live_store, path, name)
    run_tracing(live_store, SYSTEM)


def test_liaison_follows_a_report_trail(page: Any) -> None:
    sign_in(page, "liaison")
    page.get_by_role("link", name="Tracing").click()
    assert "Choose why you are looking" in page.content()
    page.get_by_label("Purpose").select_option("victim_identification")
    page.get_by_role("button", name="Show leads").click()
    report = page.get_by_role("region", name="Report rep1")
    leads = report.get_by_role("table")
    assert leads.locator("tbody tr").count() == 2
    assert "record match" in leads.locator("tr", has_text="id1").inner_text()
    ad = leads.locator("tr", has_text="ad1").inner_text()
    assert "name mentioned" in ad and "elin, marklund" in ad and "stated 17" in ad
    shot(page, "tracing-reports")
    report.get_by_role("link", name="rep1").click()
    page.wait_for_url("**/tracing/reports/rep1?*")
    trail = page.get_by_role("list", name="Trail of sightings").inner_text()
    assert trail.index("2025-03-02") < trail.index("2025-04-28")
    assert "Last seen: 2025-04-28 in de" in page.get_by_role("main").inner_text()
    shot(page, "tracing-report")


def test_tracing_asks_for_a_reference_and_hides_from_others(page: Any) -> None:
    sign_in(page, "analyst")
    page.goto("/tracing/reports/rep1")
    page.get_by_label("Purpose").select_option("investigation")
    page.get_by_role("button", name="Show leads").click()
    assert "needs a case or operation reference" in page.get_by_role("alert").inner_text()
    page.get_by_label("Reference").fill("SE-2025-118")
    page.get_by_role("button", name="Show leads").click()
    assert page.get_by_role("list", name="Trail of sightings").count() == 1
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "auditor")
    assert page.get_by_role("link", name="Tracing").count() == 0
    response = page.goto("/tracing?purpose=audit")
    assert response is not None and response.status == 403


def test_trail_map_and_time_axis_show_the_steps(page: Any) -> None:
    sign_in(page, "liaison")
    page.goto("/tracing/reports/rep1?purpose=victim_identification&reference=")
    steps = page.get_by_role("list", name="Trail of sightings").locator("li")
    assert steps.count() == 2
    trail_map = page.get_by_role("img", name=re.compile(r"^Map of the trail"))
    assert trail_map.is_visible()
    # The raid in Germany (step 2) is placed; the ad's "Berlin" names no country, and
    # the caption says so rather than guessing.
    assert trail_map.locator('g.place[data-country="DE"] text').text_content() == "DE 2"
    caption = page.locator("figure.map figcaption").inner_text()
    assert "centre of its country" in caption and "step 1 (2025-03-02): Berlin" in caption
    axis = page.get_by_role("img", name=re.compile(r"^Trail over time"))
    dates = [axis.locator("circle.mark").nth(i).get_attribute("data-date") for i in range(2)]
    assert dates == ["2025-03-02", "2025-04-28"]
    assert "step 2: de" in axis.locator("circle.mark").nth(1).locator("title").text_content()
    shot(page, "tracing-trail-map")

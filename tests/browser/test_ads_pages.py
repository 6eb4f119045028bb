"""Ad intelligence in the browser: personas riskiest first, and one persona's movement on
a map and over time beside the list of its ads' places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from threadline.governance import SYSTEM
from threadline.store import Store

from .conftest import shot, sign_in


@pytest.fixture(scope="module", autouse=True)
def analysed(live_store: Store, tmp_path_factory: pytest.TempPathFactory) -> None:
    from threadline.ads.service import analyze_collection
    from threadline.ingest.runner import ingest_file
    from threadline.model.collections import build_collection
    from threadline.simulation import simulate
    from threadline.simulation.config import make_config
    from threadline.store.collections import create_collection

    world = Path(tmp_path_factory.mktemp("ads-world"))
    simulate(make_config("small", 2), world, force=True, parallel=False)
    with live_store.begin() as conn:
        create_collection(conn, build_collection("web-ads", kind="ads", owner_agency="test-unit",
                                                 owner_country="SE", sharing="all"))  # fmt: skip
    ingest_file(live_store, world / "ads.jsonl", "web-ads")
    analyze_collection(live_store, "web-ads", SYSTEM)


def test_an_analyst_follows_a_persona_across_places(page: Any) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Ads").click()
    page.wait_for_url("**/ads/personas")
    table = page.get_by_role("table")
    rows = table.locator("tbody tr")
    assert rows.count() >= 5
    risks = [float(r.locator("td.score").inner_text()) for r in rows.all()[:5]]
    assert risks == sorted(risks, reverse=True)  # riskiest first
    shot(page, "personas")
    # The riskiest persona whose ads were posted more than once.
    links = [a.get_attribute("href") for a in table.locator("tbody a").all()]
    for href in links:
        page.goto(str(href))
        if page.locator("ol.timeline li").count() >= 2:
            break
    steps = page.locator("ol.timeline li")
    assert steps.count() >= 2
    figure = page.get_by_role("figure", name="Where its ads were posted")
    drawn = figure.get_by_role("img")
    assert drawn.count() == 1 and drawn.get_attribute("aria-label")
    countries = {t.split("(")[-1].split(")")[0] for t in steps.all_inner_texts() if "(" in t}
    for code in countries:
        assert code in drawn.inner_html()  # each listed country is marked on the map
    axis = page.get_by_role("figure", name="Its ads over time").get_by_role("img")
    assert axis.count() == 1
    ads = page.get_by_role("table", name="The persona's ads, each with its risk indicators")
    assert ads.locator("tbody tr").count() >= 1
    shot(page, "persona-movement")

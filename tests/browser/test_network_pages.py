"""Network pages in a real browser: list, graph, expand, filter, path, saved layout, victims."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from threadline.governance import Actor, Role
from threadline.network import build_networks
from threadline.network.tables import network_layout
from threadline.store import Store
from threadline.victims import build_intake, create_victim

from .conftest import shot, sign_in, state_purpose


@pytest.fixture(scope="module")
def world(live_store: Store) -> str:
    """The hand-made network world in the unit's collections, Elena linked to a victim record."""
    from tests.network import world as network_world

    with pytest.MonkeyPatch.context() as patch:
        for name in ("cases", "ads"):
            patch.setitem(network_world.OWNERS, name, ("test-unit", "SE"))
        network_world.load_world(live_store)
    build_networks(live_store, full=True)
    liaison = Actor("liaison", "test-unit", "SE", frozenset({Role.VICTIM_LIAISON}))
    intake = build_intake(
        identified_on="2025-03-01",
        identified_how="border",
        identified_country="SE",
        personal={"name": "Elena Marin"},
        entity_ids=[network_world.VICTIM],
    )
    with live_store.begin() as conn:
        return create_victim(conn, liaison, intake).pseudonym


def _open_network_a(page: Any, *, asked: bool = True) -> None:
    """Open network A from the list (answering the purpose page unless already chosen)."""
    page.get_by_role("link", name="Networks").click()
    if asked:
        state_purpose(page)
    page.wait_for_url("**/networks")
    row = page.get_by_role("row").filter(has_text="HU, RO, SE")
    row.get_by_role("link").click()
    page.wait_for_url("**/networks/net-*")
    page.wait_for_function(
        "() => window.threadlineGraph && window.threadlineGraph.nodes().length > 0"
    )


def _drawn(page: Any) -> int:
    return int(page.evaluate("window.threadlineGraph.nodes().length"))


def test_list_and_network_page(page: Any, world: str) -> None:
    sign_in(page, "analyst")
    page.get_by_role("link", name="Networks").click()
    state_purpose(page)
    assert page.get_by_role("cell", name="DE, HU, RO, SE").is_visible()
    shot(page, "networks")
    _open_network_a(page, asked=False)
    assert "nodes and" in page.locator("#graph-status").inner_text()
    assert page.get_by_role("img", name="Graph").is_visible()
    actors = page.get_by_role("table", name="Key actors and why")
    assert actors.get_by_role("cell", name="Mihai Ionescu (Person)").is_visible()
    assert page.get_by_role("cell", name="RO → HU → SE").is_visible()
    # The victim appears by her record's pseudonym, marked, never by name or as a key actor.
    nodes = page.locator("#node-table")
    assert nodes.get_by_text(world, exact=False).first.is_visible()
    assert "Elena" not in page.content()
    assert world not in actors.inner_text()
    assert page.get_by_role("link", name="GraphML").get_attribute("href").endswith("graphml")
    shot(page, "network")


def test_filter_then_expand_by_keyboard_and_click(page: Any, world: str) -> None:
    sign_in(page, "analyst")
    _open_network_a(page)
    full = _drawn(page)
    page.get_by_label("Node type").select_option("Person")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_function(
        "() => window.threadlineGraph && window.threadlineGraph.nodes().length > 0"
    )
    only_people = _drawn(page)
    assert only_people < full
    types = page.locator("#node-table tbody tr td:nth-child(2)").all_inner_texts()
    assert set(types) == {"Person"}
    # Keyboard: focus Anna's Expand button and press Enter; her phone joins graph and table.
    page.get_by_role("button", name="Expand Anna Berg").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#graph-status').textContent.includes('Added')"
    )
    assert "around Anna Berg" in page.locator("#graph-status").inner_text()
    assert _drawn(page) > only_people
    assert page.locator("#node-table").get_by_text("+447700900101").is_visible()
    # A click on a node in the graph expands it too.
    before = _drawn(page)
    page.evaluate("window.threadlineGraph.getElementById('pA3').emit('tap')")
    page.wait_for_function(
        "() => document.querySelector('#graph-status').textContent.includes('Mihai')"
    )
    page.wait_for_function(f"() => window.threadlineGraph.nodes().length > {before}")
    # What the expansion brought (Mihai's passport) can be expanded from the table in turn.
    assert page.get_by_role("button", name="Expand RO 1234567").count() == 1
    shot(page, "network-filtered-expanded")


def test_path_in_date_order(page: Any, world: str) -> None:
    sign_in(page, "analyst")
    _open_network_a(page)
    page.get_by_label("Path from").select_option(label="Boris Kell (Person)")
    page.get_by_label("Path to").select_option(label="Mihai Ionescu (Person)")
    page.get_by_label("Only dated links in date order").check()
    page.get_by_role("button", name="Find path").click()
    page.wait_for_function(
        "() => window.threadlineGraph && window.threadlineGraph.nodes().length > 0"
    )
    assert page.get_by_role("heading", name="Path in 3 links").is_visible()
    steps = page.locator("ol.path li").all_inner_texts()
    assert steps[0].startswith("Boris Kell") and steps[-1].startswith("Mihai Ionescu")
    marked = page.evaluate("window.threadlineGraph.nodes('.path').length")
    assert marked == 4
    shot(page, "network-path")


def test_layout_is_saved_per_user(page: Any, world: str, live_store: Store) -> None:
    sign_in(page, "analyst")
    _open_network_a(page)
    page.evaluate("window.threadlineGraph.getElementById('pA1').position({x: 4321, y: 1234})")
    page.get_by_role("button", name="Save layout").click()
    page.wait_for_function(
        "() => document.querySelector('#graph-status').textContent.includes('saved')"
    )
    with live_store.connect() as conn:
        rows = conn.execute(select(network_layout)).mappings().all()
    assert [r["user"] for r in rows] == ["analyst"]
    assert rows[0]["positions"]["pA1"] == {"x": 4321, "y": 1234}
    page.reload()
    page.wait_for_function(
        "() => window.threadlineGraph && window.threadlineGraph.nodes().length > 0"
    )
    position = page.evaluate("window.threadlineGraph.getElementById('pA1').position()")
    assert position == {"x": 4321, "y": 1234}
    page.get_by_role("button", name="Reset layout").click()
    page.wait_for_function(
        "() => document.querySelector('#graph-status').textContent.includes('reset')"
    )
    with live_store.connect() as conn:
        assert conn.execute(select(network_layout)).first() is None


def test_routes_map_and_activity_timeline_beside_their_tables(page: Any, world: str) -> None:
    sign_in(page, "analyst")
    _open_network_a(page)
    routes_map = page.get_by_role("img", name=re.compile(r"^Map of \d+ routes? through"))
    assert routes_map.is_visible()
    # Every route of the table has its arrowed line, one arrowhead per leg.
    rows = page.get_by_role("table", name="Routes travelled by members").locator("tbody tr")
    routes = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert "RO → HU → SE" in routes
    for route in routes:
        line = routes_map.locator(f'g.route[data-route="{route}"]')
        assert line.count() == 1, route
        assert line.locator("path.leg[marker-end]").count() == route.count("→")
    for code in ("RO", "HU", "SE"):  # the route's countries are shaded and marked
        assert routes_map.locator(f'path.on[data-country="{code}"]').count() == 1
        assert routes_map.locator(f'g.place[data-country="{code}"]').is_visible()
    # The timeline has a mark per dated event of the table, and says when each was.
    events = page.locator("#event-table tbody tr")
    dates = sorted(events.nth(i).locator("td").first.inner_text() for i in range(events.count()))
    axis = page.get_by_role("img", name=re.compile(r"^Activity of the network over time"))
    marks = axis.locator("circle.mark")
    assert marks.count() == len(dates) > 0
    assert sorted(marks.nth(i).get_attribute("data-date") for i in range(marks.count())) == dates
    assert "Elena" not in page.locator("#event-table").inner_text()
    shot(page, "network-map-timeline")

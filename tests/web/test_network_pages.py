"""Network pages through HTTP: filters, paths, saved layouts (CSRF, validation), other agencies."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.network import world

from support.web import sign_in
from threadline.api.app import create_app
from threadline.governance.identity import create_agency, create_user, parse_roles
from threadline.network import build_networks
from threadline.store import Store
from threadline.web.network import filter_graph

PASSWORD = "a long enough password"


@pytest.fixture
def web(store: Store) -> Iterator[TestClient]:
    with store.begin() as conn:
        create_agency(conn, "unit", "SE")
        create_agency(conn, "ocrteh", "FR")
        create_user(conn, "astrid", "unit", parse_roles(["analyst"]), PASSWORD)
        create_user(conn, "claude", "ocrteh", parse_roles(["analyst"]), PASSWORD)
    world.load_world(store)
    build_networks(store, full=True)
    with TestClient(create_app(store)) as client:
        yield client


def _sign_in(client: TestClient, user: str = "astrid") -> None:
    sign_in(client, user, PASSWORD)  # and choose the working purpose


def _network_a(client: TestClient) -> str:
    listing = client.get("/networks").text
    found = re.findall(r'href="/networks/(net-[0-9a-f]+)"', listing)
    assert len(found) == 2
    return str(found[0])


def test_network_page_filters_and_path(web: TestClient) -> None:
    _sign_in(web)
    net = _network_a(web)
    full = web.get(f"/networks/{net}").text
    assert "Mihai Ionescu" in full and "RO → HU → SE" in full
    people = web.get(f"/networks/{net}?kind=Person").text
    rows = re.findall(r'<tr data-node="([^"]+)">', people)
    assert set(rows) == {"pA1", "pA2", "pA3", "pX", "v1"}
    dated = web.get(f"/networks/{net}?since=2025-01-12&until=2025-01-31").text
    # The 10 January payment is cut; the 20 January one stays.
    assert "2025-01-10" not in dated.split('id="edge-table"')[1]
    assert "2025-01-20" in dated.split('id="edge-table"')[1]
    path = web.get(f"/networks/{net}?from=pA2&to=pA3&time_ordered=1").text
    assert "Path in 3 links" in path


def test_other_agency_sees_no_network(web: TestClient) -> None:
    _sign_in(web, "astrid")
    net = _network_a(web)
    web.post("/logout", data={"csrf_token": _csrf(web, net)})
    _sign_in(web, "claude")
    assert "No networks in the collections you may see" in web.get("/networks").text
    assert web.get(f"/networks/{net}").status_code == 404


def _csrf(client: TestClient, net: str) -> str:
    match = re.search(r'id="csrf-token" value="([^"]+)"', client.get(f"/networks/{net}").text)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"positions": {"pA1": {"x": 1, "y": 2}}}, 200, '"saved":1'),
        ({"positions": {"pA1": {"x": "left"}}}, 422, "expected {x: number, y: number}"),
        ({"positions": [1, 2]}, 422, "expected an object of node id"),
        ([1], 422, "send the layout as a JSON object"),
        ({"reset": True}, 200, '"saved":0'),
    ],
)
def test_saving_a_layout(web: TestClient, body: Any, status: int, message: str) -> None:
    _sign_in(web)
    net = _network_a(web)
    url = f"/networks/{net}/layout"
    assert web.post(url, json=body).status_code == 403  # no CSRF token
    response = web.post(url, json=body, headers={"X-CSRF-Token": _csrf(web, net)})
    assert response.status_code == status
    assert message in html.unescape(response.text).replace('": ', '":')


def test_filter_keeps_undated_links_and_linked_selectors() -> None:
    graph: dict[str, Any] = {
        "nodes": [
            {"id": "a", "schema": "Person", "kind": "entity", "countries": ["SE"]},
            {"id": "b", "schema": "Person", "kind": "entity", "countries": ["RO"]},
            {"id": "~phone:1", "schema": None, "kind": "phone", "countries": []},
            {"id": "~phone:2", "schema": None, "kind": "phone", "countries": []},
        ],
        "edges": [
            {"source": "a", "target": "~phone:1", "date": None},
            {"source": "b", "target": "~phone:2", "date": None},
            {"source": "a", "target": "b", "date": "2024-01-01"},
        ],
    }
    sweden = filter_graph(graph, "", "SE", "", "")
    assert [n["id"] for n in sweden["nodes"]] == ["a", "~phone:1"]
    recent = filter_graph(graph, "", "", "2025-01-01", "")
    assert len(recent["edges"]) == 2 and len(recent["nodes"]) == 4
    phones = filter_graph(graph, "phone", "", "", "")
    assert [n["id"] for n in phones["nodes"]] == ["~phone:1", "~phone:2"]

"""Networks over the API: what Stockholm's analyst sees, what Paris does not, victims, audit."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.network import world

from threadline.governance import Actor, Role
from threadline.governance.tables import audit_event
from threadline.network import build_networks
from threadline.store import Store
from threadline.victims import build_intake, create_victim

Api = tuple[TestClient, dict[str, str]]


@pytest.fixture
def client(api: Api, store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, Any]:
    """The network world owned by Stockholm's bureau (the other agency's record stays hidden)."""
    for name in ("cases", "ads"):
        monkeypatch.setitem(world.OWNERS, name, ("NCB Stockholm", "SE"))
    world.load_world(store)
    build_networks(store, full=True)
    test_client, tokens = api

    def headers(user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[user]}"}

    return test_client, headers


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_list_is_paginated_and_per_agency(client: tuple[TestClient, Any]) -> None:
    http, h = client
    first = _ok(
        http.get(
            "/api/v1/networks?limit=1&purpose=investigation&reference=CASE-T",
            headers=h("sv-analyst"),
        )
    )
    assert first["total"] == 2
    assert first["next_offset"] == 1
    assert set(first["items"][0]["members"]) == world.A_MEMBERS
    second = _ok(
        http.get(
            "/api/v1/networks?limit=1&offset=1&purpose=investigation&reference=CASE-T",
            headers=h("sv-analyst"),
        )
    )
    assert set(second["items"][0]["members"]) == world.B_MEMBERS
    assert second["next_offset"] is None
    # The platform-wide network (joined through BKA's record) is never shown, nor any other.
    assert (
        _ok(
            http.get(
                "/api/v1/networks?purpose=investigation&reference=CASE-T", headers=h("fr-analyst")
            )
        )["items"]
        == []
    )
    assert http.get("/api/v1/networks?purpose=investigation&reference=CASE-T").status_code == 401


def test_list_filters_by_size_and_risk(client: tuple[TestClient, Any]) -> None:
    http, h = client
    query = "/api/v1/networks?purpose=investigation&reference=CASE-T"
    listed = _ok(http.get(query, headers=h("sv-analyst")))["items"]
    keys = [(-n["risk"], -n["size"], n["id"]) for n in listed]
    assert keys == sorted(keys)
    biggest = max(n["size"] for n in listed)
    big = _ok(http.get(f"{query}&min_size={biggest}", headers=h("sv-analyst")))["items"]
    assert big and {n["size"] for n in big} == {biggest}
    assert _ok(http.get(f"{query}&min_risk=1", headers=h("sv-analyst")))["items"] == [
        n for n in listed if n["risk"] >= 1.0
    ]
    refused = http.get(f"{query}&min_risk=2", headers=h("sv-analyst"))
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_show_expand_and_path(client: tuple[TestClient, Any]) -> None:
    http, h = client
    me = h("sv-analyst")
    net = _ok(http.get("/api/v1/networks?purpose=investigation&reference=CASE-T", headers=me))[
        "items"
    ][0]["id"]
    shown = _ok(
        http.get(f"/api/v1/networks/{net}?purpose=investigation&reference=CASE-T", headers=me)
    )
    top = shown["key_actors"][0]
    assert (top["entity_id"], top["caption"]) == ("pA3", "Mihai Ionescu")
    assert {c["measure"] for c in top["explanation"]} == {"degree", "betweenness", "brokerage"}
    assert shown["routes"][0]["destination"] == "SE"
    near = _ok(
        http.get(
            "/api/v1/network/expand/pA1?hops=1&limit=100&purpose=investigation&reference=CASE-T",
            headers=me,
        )
    )
    assert {n["id"] for n in near["nodes"]} == {"pA1", "pA2", "pX", "~phone:+447700900101"}
    capped = _ok(
        http.get(
            "/api/v1/network/expand/pA1?hops=3&limit=2&purpose=investigation&reference=CASE-T",
            headers=me,
        )
    )
    assert capped["truncated"] is True
    path = _ok(
        http.get(
            "/api/v1/network/path?from=pA2&to=pA3&time_ordered=true&purpose=investigation&reference=CASE-T",
            headers=me,
        )
    )
    assert [e["label"] for e in path["edges"]] == ["Payment", "UnknownLink", "Associate"]
    assert (
        http.get(
            f"/api/v1/networks/{net}?purpose=investigation&reference=CASE-T",
            headers=h("fr-analyst"),
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        (
            "/api/v1/network/expand/pH?purpose=investigation&reference=CASE-T",
            404,
            "no entity with id 'pH'",
        ),  # hidden = unknown
        ("/api/v1/network/expand/pA1?hops=9&purpose=investigation&reference=CASE-T", 422, "hops"),
        ("/api/v1/network/path?from=pA1&purpose=investigation&reference=CASE-T", 422, "to"),
        (
            "/api/v1/networks/net-0000000000?purpose=investigation&reference=CASE-T",
            404,
            "no network with id",
        ),
        (
            "/api/v1/networks/net-0000000000/export?format=pdf&purpose=investigation&reference=CASE-T",
            422,
            "format",
        ),
    ],
)
def test_errors_are_problems(
    client: tuple[TestClient, Any], url: str, status: int, detail: str
) -> None:
    http, h = client
    response = http.get(url, headers=h("sv-analyst"))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "ftm", "csv"])
def test_exports_download(client: tuple[TestClient, Any], fmt: str) -> None:
    http, h = client
    me = h("sv-analyst")
    net = _ok(http.get("/api/v1/networks?purpose=investigation&reference=CASE-T", headers=me))[
        "items"
    ][1]["id"]
    response = http.get(
        f"/api/v1/networks/{net}/export?format={fmt}&purpose=investigation&reference=CASE-T",
        headers=me,
    )
    assert response.status_code == 200, response.text
    assert f'filename="{net}.' in response.headers["content-disposition"]
    if fmt in ("graphml", "gexf"):
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        graph = reader(io.BytesIO(response.content))
        assert {n for n, d in graph.nodes(data=True) if d["kind"] == "entity"} == world.B_MEMBERS
    elif fmt == "ftm":
        assert len(response.text.strip().splitlines()) == len(world.B_MEMBERS)
    else:
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert sorted(archive.namelist()) == [f"{net}.edges.csv", f"{net}.nodes.csv"]
        assert "pB1,pB2,relation,Family," in archive.read(f"{net}.edges.csv").decode()


def test_victims_are_pseudonymised_and_not_ranked(
    client: tuple[TestClient, Any], store: Store
) -> None:
    http, h = client
    liaison = Actor("sv-liaison", "NCB Stockholm", "SE", frozenset({Role.VICTIM_LIAISON}))
    intake = build_intake(
        identified_on="2025-03-01",
        identified_how="border",
        identified_country="SE",
        personal={"name": "Elena Marin"},
        entity_ids=[world.VICTIM],
    )
    with store.begin() as conn:
        pseudonym = create_victim(conn, liaison, intake).pseudonym
    me = h("sv-analyst")
    net = _ok(http.get("/api/v1/networks?purpose=investigation&reference=CASE-T", headers=me))[
        "items"
    ][0]
    assert net["possible_victims"] == 1
    shown = _ok(
        http.get(f"/api/v1/networks/{net['id']}?purpose=investigation&reference=CASE-T", headers=me)
    )
    near = _ok(
        http.get(
            f"/api/v1/network/expand/{pseudonym}?hops=1&purpose=investigation&reference=CASE-T",
            headers=me,
        )
    )
    exported = http.get(
        f"/api/v1/networks/{net['id']}/export?format=ftm&purpose=investigation&reference=CASE-T",
        headers=me,
    ).text
    assert "Elena" not in str(shown) + str(near) + exported
    assert pseudonym in str(shown) and pseudonym in str(near) and pseudonym in exported
    assert world.VICTIM not in {a["entity_id"] for a in shown["key_actors"]}
    # Her node opens by the pseudonym shown; her own entity id names nothing.
    assert near["id"] == pseudonym and world.VICTIM not in str(near)
    raw = http.get(
        f"/api/v1/network/expand/{world.VICTIM}?hops=1&purpose=investigation&reference=CASE-T",
        headers=me,
    )
    assert raw.status_code == 404


def test_build_is_for_analysts_and_administrators(
    client: tuple[TestClient, Any], store: Store
) -> None:
    http, h = client
    denied = http.post(
        "/api/v1/network/build?purpose=investigation&reference=CASE-T",
        json={},
        headers=h("sv-auditor"),
    )
    assert denied.status_code == 403
    report = _ok(
        http.post(
            "/api/v1/network/build?purpose=investigation&reference=CASE-T",
            json={"full": True},
            headers=h("sv-analyst"),
        )
    )
    assert report["full"] is True
    assert report["networks"] == 1  # the platform's own view: counts only


def test_reads_are_audited_with_ids_and_counts(
    client: tuple[TestClient, Any], store: Store
) -> None:
    http, h = client
    me = h("sv-analyst")
    net = _ok(http.get("/api/v1/networks?purpose=investigation&reference=CASE-T", headers=me))[
        "items"
    ][0]["id"]
    _ok(http.get(f"/api/v1/networks/{net}?purpose=investigation&reference=SE-2025-7", headers=me))
    _ok(
        http.get(
            "/api/v1/network/path?from=pA1&to=pA3&purpose=investigation&reference=CASE-T",
            headers=me,
        )
    )
    with store.connect() as conn:
        events = (
            conn.execute(select(audit_event).where(audit_event.c.action.like("network.%")))
            .mappings()
            .all()
        )
    assert [(e["action"], e["component"]) for e in events] == [
        ("network.list", "api"),
        ("network.show", "api"),
        ("network.path", "api"),
    ]
    assert (events[1]["purpose"], events[1]["reference"]) == ("investigation", "SE-2025-7")
    assert events[1]["result_count"] == len(world.A_MEMBERS)
    assert "Anna" not in str(events) and "Mihai" not in str(events)

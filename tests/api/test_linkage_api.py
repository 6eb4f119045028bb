"""Entity resolution review over the API: the queue, judgements and clusters (analysts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from threadline.governance import SYSTEM
from threadline.governance.audit import iter_events
from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.linkage import run_linkage
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

PASSWORD = "a long enough password"
Api = tuple[TestClient, dict[str, str]]

# Two agencies' case files: the same man in two scripts (the model is unsure: a birth
# year against a full date), the same woman twice (clustered), and namesakes.
CASES: dict[str, list[tuple[str, str, str, str, dict[str, str]]]] = {
    "ru-cases": [("ru1", "Мухаммад Алиев", "1990-05-04", "male", {"passportNumber": "AB1234567"})],
    "de-cases": [
        ("de1", "Mohammed Aliev", "1990", "male", {"nationality": "ru"}),
        ("de2", "Svetlana Orlova", "1988-03", "female", {}),
    ],
    "fr-cases": [
        ("fr1", "ORLOVA Svetlana", "1988-03-17", "female", {}),
        ("fr2", "Muhammad Aliev", "1971-11-30", "male", {}),
        ("fr3", "Svetlana Orlova", "1979-01-02", "female", {}),
    ],
}


def _entity(ident: str, name: str, born: str, sex: str, extra: dict[str, str]) -> dict[str, Any]:
    props = {
        "name": [name],
        "birthDate": [born],
        "gender": [sex],
        **{k: [v] for k, v in extra.items()},
    }
    if "nationality" not in extra and ident.startswith("ru"):
        props["nationality"] = ["ru"]
    return {"id": ident, "schema": "Person", "properties": props}


@pytest.fixture
def linked(api: Api, store: Store, tmp_path: Path) -> Api:
    """Three collections shared with all members, linked once; a border officer too."""
    client, tokens = api
    with store.begin() as conn:
        for name in CASES:
            create_collection(
                conn,
                build_collection(
                    name, owner_agency="NCB Stockholm", owner_country="SE", sharing="all"
                ),
            )
        create_user(conn, "sv-officer", "NCB Stockholm", parse_roles(["border_officer"]), PASSWORD)
        tokens["sv-officer"] = issue_token(conn, "sv-officer", "tests")
    for name, people in CASES.items():
        path = tmp_path / f"{name}.ftm.jsonl"
        path.write_text("\n".join(json.dumps(_entity(*p)) for p in people) + "\n")
        ingest_file(store, path, name)
    run_linkage(store, SYSTEM)
    return client, tokens


def _as(tokens: dict[str, str], user: str = "sv-analyst") -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


def _cluster_members(client: TestClient, tokens: dict[str, str]) -> list[set[str]]:
    response = client.get(
        "/api/v1/linkage/clusters?purpose=investigation&reference=CASE-T", headers=_as(tokens)
    )
    assert response.status_code == 200, response.text
    return [{m["entity_id"] for m in c["members"]} for c in response.json()["items"]]


def test_review_queue_has_the_uncertain_pair_with_its_breakdown(linked: Api) -> None:
    client, tokens = linked
    response = client.get(
        "/api/v1/linkage/review?purpose=investigation&reference=CASE-T", headers=_as(tokens)
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["next_offset"] is None
    (pair,) = page["items"]
    assert (pair["left_id"], pair["right_id"]) == ("de1", "ru1")
    assert 0.05 <= pair["match_probability"] < 0.99
    steps = {c["comparison"]: c for c in pair["comparisons"]}
    assert steps["prior"]["log2_weight"] < 0 < steps["last_name"]["log2_weight"]
    assert (steps["dob"]["left"], steps["dob"]["right"]) == ("1990", "1990-05-04")


def test_review_queue_pages(linked: Api) -> None:
    client, tokens = linked
    first = client.get(
        "/api/v1/linkage/review?limit=1&offset=0&purpose=investigation&reference=CASE-T",
        headers=_as(tokens),
    ).json()
    assert len(first["items"]) == 1 and first["limit"] == 1
    after = client.get(
        "/api/v1/linkage/review?limit=1&offset=1&purpose=investigation&reference=CASE-T",
        headers=_as(tokens),
    ).json()
    assert after["items"] == [] and after["next_offset"] is None


def test_judgement_wins_and_can_be_retracted(linked: Api, store: Store) -> None:
    client, tokens = linked
    assert {"de2", "fr1"} in _cluster_members(client, tokens)
    body = {"left": "ru1", "right": "de1", "judgement": "same", "reason": "same passport photo"}
    made = client.post("/api/v1/linkage/judgements", json=body, headers=_as(tokens))
    assert made.status_code == 201, made.text
    assert made.json()["left_id"] == "de1" and made.json()["created_by"] == "sv-analyst"
    assert {"de1", "ru1"} in _cluster_members(client, tokens)
    queue = client.get(
        "/api/v1/linkage/review?purpose=investigation&reference=CASE-T", headers=_as(tokens)
    ).json()["items"]
    assert queue == []  # a judged pair leaves the queue
    gone = client.delete(
        "/api/v1/linkage/judgements", params={"left": "de1", "right": "ru1"}, headers=_as(tokens)
    )
    assert gone.status_code == 200 and gone.json()["retracted"] == 1
    assert {"de1", "ru1"} not in _cluster_members(client, tokens)
    assert (
        len(
            client.get(
                "/api/v1/linkage/review?purpose=investigation&reference=CASE-T", headers=_as(tokens)
            ).json()["items"]
        )
        == 1
    )
    with store.connect() as conn:
        actions = [e.action for e in iter_events(conn) if e.action.startswith("link.")]
    # Reading the queue and the clusters is a look at people: each leaves its event too.
    assert [a for a in actions if a in {"link.decide", "link.retract"}] == [
        "link.decide",
        "link.retract",
    ]
    assert {"link.review", "link.clusters"} <= set(actions)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "detail"),
    [
        (
            "post",
            "/judgements",
            {"json": {"left": "de1", "right": "ru1", "judgement": "maybe"}},
            422,
            "judgement",
        ),
        (
            "post",
            "/judgements",
            {"json": {"left": "de1", "right": "de1", "judgement": "same"}},
            422,
            "against itself",
        ),
        (
            "delete",
            "/judgements",
            {"params": {"left": "de1", "right": "fr3"}},
            404,
            "no active judgement",
        ),
    ],
)
def test_bad_judgements_are_refused(
    linked: Api, method: str, path: str, kwargs: dict[str, Any], status: int, detail: str
) -> None:
    client, tokens = linked
    response = client.request(
        method.upper(), f"/api/v1/linkage{path}", headers=_as(tokens), **kwargs
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/review"), ("get", "/clusters"), ("post", "/judgements")],
)
def test_linkage_review_is_for_analysts(linked: Api, method: str, path: str) -> None:
    client, tokens = linked
    body = {"left": "de1", "right": "ru1", "judgement": "same"}
    response = client.request(
        method.upper(),
        f"/api/v1/linkage{path}",
        headers=_as(tokens, "sv-officer"),
        json=body if method == "post" else None,
    )
    assert response.status_code == 403
    assert "analyst" in response.json()["detail"]

"""Missing-person tracing over the API: leads with evidence, a report's trail; purpose, roles."""

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
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection
from threadline.tracing import run_tracing

PASSWORD = "a long enough password"
Api = tuple[TestClient, dict[str, str]]
LOOK = {"purpose": "victim_identification"}


def _person(ident: str, name: str, born: str, **props: str) -> dict[str, Any]:
    values = {"name": [name], "birthDate": [born], "gender": ["female"]}
    return {
        "id": ident,
        "schema": "Person",
        "properties": {**values, **{k: [v] for k, v in props.items()}},
    }


def _ad(ident: str, text: str, posted: str, place: str) -> dict[str, Any]:
    props = {"title": ["New girl"], "bodyText": [text], "publishedAt": [posted], "address": [place]}
    return {"id": ident, "schema": "HyperText", "properties": props}


# (collection, kind, owner, sharing, entities)
WORLD: list[tuple[str, str, str, str, list[dict[str, Any]]]] = [
    ("se-missing", "missing-persons", "NCB Stockholm", "all",
     [_person("rep1", "Elin Marklund", "2008-02-11", country="se")]),
    ("de-raids", "identified-persons", "NCB Stockholm", "all",
     [_person("id1", "Marklund Elin", "2008-02", country="de",
              notes="Identified in a raid in Hamburg on 2025-04-28."),
      _person("id2", "Jonas Berg", "1980-01-01")]),
    ("ads", "ads", "NCB Stockholm", "all",
     [_ad("ad1", "Elin Marklund, 17 yo, new in town", "2025-03-02", "Berlin"),
      _ad("ad2", "Massage, call now", "2025-03-03", "Berlin")]),
    ("fr-missing", "missing-persons", "NCB Paris", "owner",
     [_person("rep2", "Jeanne Moreau", "2009-06-01", country="fr")]),
    ("fr-raids", "identified-persons", "NCB Paris", "owner",
     [_person("id3", "Jeanne Moreau", "2009-06-01", country="fr")]),
]  # fmt: skip


@pytest.fixture
def traced(api: Api, store: Store, tmp_path: Path) -> Api:
    """Reports and sightings of two bureaus, traced once; a liaison and a border officer."""
    client, tokens = api
    with store.begin() as conn:
        for name, kind, agency, sharing, _ in WORLD:
            country = "SE" if agency == "NCB Stockholm" else "FR"
            create_collection(
                conn,
                build_collection(
                    name, kind=kind, owner_agency=agency, owner_country=country, sharing=sharing
                ),
            )
        for user, role in [("sv-liaison", "victim_liaison"), ("sv-officer", "border_officer")]:
            create_user(conn, user, "NCB Stockholm", parse_roles([role]), PASSWORD)
            tokens[user] = issue_token(conn, user, "tests")
    for name, _, _, _, entities in WORLD:
        path = tmp_path / f"{name}.ftm.jsonl"
        path.write_text("\n".join(json.dumps(e) for e in entities) + "\n")
        ingest_file(store, path, name)
    run_tracing(store, SYSTEM)
    return client, tokens


def _as(tokens: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


@pytest.mark.parametrize("user", ["sv-analyst", "sv-liaison"])
def test_leads_with_evidence(traced: Api, user: str) -> None:
    client, tokens = traced
    response = client.get("/api/v1/tracing/leads", params=LOOK, headers=_as(tokens, user))
    assert response.status_code == 200, response.text
    page = response.json()
    leads = {lead["sighting_id"]: lead for lead in page["items"]}
    assert set(leads) == {"id1", "ad1"}  # not the French bureau's data, not the unrelated ad
    assert page["total"] == 2 and page["items"][0]["sighting_id"] == "id1"  # best first
    assert leads["id1"]["evidence"][0]["feature"] == "record_match"
    assert {e["feature"] for e in leads["ad1"]["evidence"]} == {"name_mentioned", "stated_age_fits"}


def test_leads_page_and_filter(traced: Api) -> None:
    client, tokens = traced
    headers = _as(tokens, "sv-analyst")
    first = client.get("/api/v1/tracing/leads", params={**LOOK, "limit": 1}, headers=headers)
    assert len(first.json()["items"]) == 1 and first.json()["next_offset"] == 1
    one = client.get("/api/v1/tracing/leads", params={**LOOK, "report": "nobody"}, headers=headers)
    assert one.json()["items"] == [] and one.json()["total"] == 0


def test_report_with_trail_in_time_order(traced: Api, store: Store) -> None:
    client, tokens = traced
    response = client.get(
        "/api/v1/tracing/reports/rep1",
        params={"purpose": "investigation", "reference": "SE-2025-118"},
        headers=_as(tokens, "sv-liaison"),
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert [step["sighting_id"] for step in view["trail"]] == ["ad1", "id1"]
    assert [step["when"] for step in view["trail"]] == ["2025-03-02", "2025-04-28"]
    assert view["last_seen"]["place"] == "de" and len(view["leads"]) == 2
    with store.connect() as conn:
        (event,) = [e for e in iter_events(conn) if e.action == "trace.show"]
    assert (event.user, event.purpose, event.reference, event.target_id) == (
        "sv-liaison",
        "investigation",
        "SE-2025-118",
        "rep1",
    )


@pytest.mark.parametrize(
    ("user", "path", "params", "status", "detail"),
    [
        ("sv-analyst", "/leads", {}, 403, "needs a purpose"),
        ("sv-analyst", "/reports/rep1", {"purpose": "investigation"}, 403, "reference"),
        ("sv-officer", "/leads", LOOK, 403, "analyst or victim_liaison"),
        ("sv-analyst", "/reports/rep2", LOOK, 404, "no leads you may see"),
        ("sv-analyst", "/leads", {"purpose": "curiosity"}, 422, "purpose"),
    ],
)
def test_tracing_refusals(
    traced: Api, user: str, path: str, params: dict[str, str], status: int, detail: str
) -> None:
    client, tokens = traced
    response = client.get(f"/api/v1/tracing{path}", params=params, headers=_as(tokens, user))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]

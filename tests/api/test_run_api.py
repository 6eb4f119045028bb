"""Linkage and tracing runs over the API: the options and the summary of ``threadline link
run`` and ``threadline trace run``, for the roles of their areas, audited.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from threadline.cli.main import main
from threadline.governance.audit import iter_events
from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

Api = tuple[TestClient, dict[str, str]]
PASSWORD = "a long enough password"
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


# (collection, kind, entities), all Sweden's bureau's and shared: two case files with the
# same woman twice, a missing-person report, a raid that found her, an ad naming her.
WORLD: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("se-cases", "other",
     [_person("se1", "Svetlana Orlova", "1988-03-17"), _person("se2", "Jonas Berg", "1980-01-01")]),
    ("de-cases", "other",
     [_person("de1", "ORLOVA Svetlana", "1988-03-17"), _person("de2", "Mira Holm", "1991-07-02")]),
    ("se-missing", "missing-persons",
     [_person("rep1", "Elin Marklund", "2008-02-11", country="se")]),
    ("de-raids", "identified-persons",
     [_person("id1", "Marklund Elin", "2008-02", country="de",
              notes="Identified in a raid in Hamburg on 2025-04-28.")]),
    ("ads", "ads", [_ad("ad1", "Elin Marklund, 17 yo, new in town", "2025-03-02", "Berlin")]),
]  # fmt: skip


@pytest.fixture
def world(api: Api, store: Store, tmp_path: Path) -> Api:
    """The world above, and a victim liaison and a border officer of the same bureau."""
    client, tokens = api
    with store.begin() as conn:
        for name, kind, _ in WORLD:
            create_collection(
                conn,
                build_collection(
                    name, kind=kind, owner_agency="NCB Stockholm", owner_country="SE", sharing="all"
                ),
            )
        for user, role in [("sv-liaison", "victim_liaison"), ("sv-officer", "border_officer")]:
            create_user(conn, user, "NCB Stockholm", parse_roles([role]), PASSWORD)
            tokens[user] = issue_token(conn, user, "tests")
    for name, _, entities in WORLD:
        path = tmp_path / f"{name}.ftm.jsonl"
        path.write_text("\n".join(json.dumps(e) for e in entities) + "\n")
        ingest_file(store, path, name)
    return client, tokens


def _as(tokens: dict[str, str], user: str = "sv-analyst") -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """What ``threadline --user sv-analyst ARGS`` prints as JSON (the same agency's run)."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--user", "sv-analyst", *args])
    out, err = capsys.readouterr()
    assert exit_info.value.code in (0, None), err
    return json.loads(out)


def _events(store: Store, action: str) -> list[Any]:
    with store.connect() as conn:
        return [e for e in iter_events(conn) if e.action == action]


# ---------------------------------------------------------------- linkage
def test_link_run_is_what_the_command_prints(
    world: Api, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = world
    first = client.post("/api/v1/linkage/run", json={}, headers=_as(tokens))
    assert first.status_code == 200, first.text
    run = first.json()
    assert (run["mode"], run["records"], run["scored"]) == ("full", 6, 6)  # the six people
    assert run["clusters"] >= 1 and run["links"] >= 1
    # The same retraining run, once by the command and once by the API, on the same store.
    by_cli = _cli(capsys, "link", "run", "--retrain", "--json")
    retrained = client.post("/api/v1/linkage/run", json={"retrain": True}, headers=_as(tokens))
    assert retrained.status_code == 200, retrained.text
    by_api = retrained.json()
    assert by_api["run_id"] > by_cli["run_id"] > run["run_id"]
    assert set(by_api) == set(by_cli) and set(by_api["seconds"]) == set(by_cli["seconds"])
    varying = {"run_id", "model_id", "seconds"}  # ids of the new run, and timings
    assert {k: v for k, v in by_api.items() if k not in varying} == {
        k: v for k, v in by_cli.items() if k not in varying
    }
    # Nothing new since: the stored model scores no record again.
    again = client.post("/api/v1/linkage/run", json={}, headers=_as(tokens)).json()
    assert (again["mode"], again["trained"], again["scored"]) == ("incremental", "reused", 0)
    runs = [(e.user, e.channel) for e in _events(store, "link.run")]
    assert runs == [("sv-analyst", "api"), ("sv-analyst", "cli"), ("sv-analyst", "api"),
                    ("sv-analyst", "api")]  # fmt: skip
    assert _events(store, "link.run")[0].detail["mode"] == "full"


def test_link_run_options(world: Api) -> None:
    client, tokens = world
    body = {"collections": ["se-cases", "de-cases"], "threshold": 0.5, "link_only": True}
    response = client.post("/api/v1/linkage/run", json=body, headers=_as(tokens))
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["records"] == 4 and run["clusters"] == 1  # Orlova across the two files
    clusters = client.get(
        "/api/v1/linkage/clusters",
        params={"purpose": "investigation", "reference": "SE-1"},
        headers=_as(tokens),
    ).json()["items"]
    assert [sorted(m["entity_id"] for m in c["members"]) for c in clusters] == [["de1", "se1"]]


def test_link_run_refusals(world: Api) -> None:
    client, tokens = world
    cases: list[tuple[str | None, dict[str, Any], int, str]] = [
        ("sv-analyst", {"collections": ["nope"]}, 422, "no collection named 'nope'"),
        ("sv-analyst", {"threshold": 0}, 422, "threshold"),
        ("sv-analyst", {"backend": "oracle"}, 422, "backend"),
        ("sv-analyst", {"backend": "spark"}, 422, "runs from the command line"),
        ("sv-analyst", {"min_training_records": -1}, 422, "min_training_records"),
        ("sv-analyst", {"min_training_records": 300_000}, 422, "training_records"),
        ("sv-liaison", {}, 403, "analyst"),
        ("sv-auditor", {}, 403, "analyst"),
        (None, {}, 401, "sign in"),
    ]
    for user, body, status, detail in cases:
        headers = _as(tokens, user) if user else {}
        response = client.post("/api/v1/linkage/run", json=body, headers=headers)
        assert response.status_code == status, (user, body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert detail in response.json()["detail"], (user, body, response.text)


# ---------------------------------------------------------------- tracing
@pytest.mark.parametrize("user", ["sv-analyst", "sv-liaison"])
def test_trace_run_is_what_the_command_prints(
    world: Api, store: Store, capsys: pytest.CaptureFixture[str], user: str
) -> None:
    client, tokens = world
    why = {"purpose": "investigation", "reference": "SE-2025-118"}
    response = client.post("/api/v1/tracing/run", params=why, headers=_as(tokens, user))
    assert response.status_code == 200, response.text
    run = response.json()
    assert (run["reports"], run["leads"], run["alerts"]) == (1, 2, 2)  # the raid and the ad
    by_cli = _cli(capsys, "trace", "run", "--json")
    assert by_cli["run_id"] > run["run_id"] and set(by_cli) == set(run)
    # The same counts; its leads are no longer new, so they raise no alert again.
    same = {"run_id": 0, "alerts": 0, "alerts_raised": 0}
    assert {**by_cli, **same} == {**run, **same} and by_cli["alerts_raised"] == 0
    assert by_cli["alerts"] == 0
    leads = client.get("/api/v1/tracing/leads", params=LOOK, headers=_as(tokens, user)).json()
    assert {lead["sighting_id"] for lead in leads["items"]} == {"id1", "ad1"}
    event = _events(store, "trace.run")[0]
    assert (event.user, event.channel, event.purpose, event.reference, event.result_count) == (
        user,
        "api",
        "investigation",
        "SE-2025-118",
        2,
    )


def test_trace_run_refusals(world: Api, store: Store) -> None:
    client, tokens = world
    cases: list[tuple[str | None, dict[str, str], int, str]] = [
        ("sv-analyst", {}, 403, "needs a purpose"),
        ("sv-analyst", {"purpose": "investigation"}, 403, "reference"),
        ("sv-analyst", {"purpose": "curiosity"}, 422, "purpose"),
        ("sv-officer", LOOK, 403, "analyst or victim_liaison"),
        ("sv-auditor", LOOK, 403, "analyst or victim_liaison"),
        (None, LOOK, 401, "sign in"),
    ]
    for user, params, status, detail in cases:
        headers = _as(tokens, user) if user else {}
        response = client.post("/api/v1/tracing/run", params=params, headers=headers)
        assert response.status_code == status, (user, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert detail in response.json()["detail"], (user, params, response.text)
    assert _events(store, "trace.run") == []  # nothing ran
    refused = {e.user for e in _events(store, "access.denied")}
    assert {"sv-analyst", "sv-officer", "sv-auditor"} <= refused


def test_tracing_leads_are_alerts_listed_and_triaged_alike_in_api_and_cli(
    world: Api, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run's leads are alerts of the report's agency: the API and ``threadline alerts``
    list the same items, and a dismissal made in one is what the other shows."""
    client, tokens = world
    run = client.post("/api/v1/tracing/run", params=LOOK, headers=_as(tokens)).json()
    assert run["alerts_raised"] >= 1 and run["alerts_reopened"] == 0
    listed = client.get("/api/v1/alerts", params=LOOK, headers=_as(tokens)).json()
    assert listed["total"] == run["alerts_raised"] == listed["states"]["new"]
    by_cli = _cli(capsys, "alerts", "list", "--json", "--purpose", "victim_identification")
    assert [a["id"] for a in by_cli["items"]] == [a["id"] for a in listed["items"]]
    assert by_cli["items"][0].keys() == listed["items"][0].keys()
    first = listed["items"][0]
    assert first["kind"] == "trace_lead" and first["subject_id"] == "rep1"
    refused = client.post(
        f"/api/v1/alerts/{first['id']}/triage", params=LOOK, json={"state": "dismissed"},
        headers=_as(tokens),
    )  # fmt: skip
    assert refused.status_code == 422 and "needs a reason" in refused.json()["detail"]
    body = {"state": "dismissed", "reason": "another girl of the same name"}
    done = client.post(
        f"/api/v1/alerts/{first['id']}/triage", params=LOOK, json=body, headers=_as(tokens)
    )
    assert done.status_code == 200 and done.json()["state"] == "dismissed"
    shown = _cli(capsys, "alerts", "show", str(first["id"]), "--json", "--purpose",
                 "victim_identification")  # fmt: skip
    assert [s["state"] for s in shown["history"]] == ["new", "dismissed"]
    again = client.post("/api/v1/tracing/run", params=LOOK, headers=_as(tokens)).json()
    assert again["alerts_raised"] == 0 and again["alerts_reopened"] == 0
    states = client.get("/api/v1/alerts", params=LOOK, headers=_as(tokens)).json()["states"]
    assert states["dismissed"] == 1
    # The border officer of the same agency may triage too; a user without such a role not.
    assert (
        client.get("/api/v1/alerts", params=LOOK, headers=_as(tokens, "sv-officer")).status_code
        == 200
    )
    assert [e.detail["to"] for e in _events(store, "alert.triage")] == ["dismissed"]


def test_a_confirmed_lead_becomes_a_linkage_judgement(world: Api, store: Store) -> None:
    client, tokens = world
    client.post("/api/v1/tracing/run", params=LOOK, headers=_as(tokens))
    item = client.get("/api/v1/alerts", params=LOOK, headers=_as(tokens)).json()["items"][0]
    body = {"state": "confirmed", "reason": "her mother recognised the photograph"}
    done = client.post(
        f"/api/v1/alerts/{item['id']}/triage", params=LOOK, json=body, headers=_as(tokens)
    ).json()
    assert done["state"] == "confirmed" and done["linkage"]["recorded"] is True
    judgement = done["linkage"]["judgement"]
    assert {judgement["left_id"], judgement["right_id"]} == {item["subject_id"], item["related_id"]}
    assert judgement["judgement"] == "same" and "confirmed" in judgement["reason"]
    # The border officer confirms too, but may not judge linkage: the triage stands, and
    # the answer says why no judgement was recorded.
    other = client.get("/api/v1/alerts", params={**LOOK, "state": "new"}, headers=_as(tokens))
    if other.json()["items"]:
        second = other.json()["items"][0]
        by_officer = client.post(
            f"/api/v1/alerts/{second['id']}/triage", params=LOOK, json={"state": "confirmed"},
            headers=_as(tokens, "sv-officer"),
        ).json()  # fmt: skip
        assert by_officer["state"] == "confirmed"
        assert by_officer["linkage"]["recorded"] is False and by_officer["linkage"]["reason"]

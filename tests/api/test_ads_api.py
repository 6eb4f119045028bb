"""Ad intelligence over the API: one ad's selectors and score, a collection's analysis,
personas, movement and ad results; the same answers as the command line, for analysts,
audited.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from threadline.cli.main import main
from threadline.governance.audit import iter_events
from threadline.governance.identity import issue_token
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

Api = tuple[TestClient, dict[str, str]]
ADS = "se-ads"
PHONE = "+447700900123"
RISKY = ("URGENT! Hotel workers needed in Dubai. No experience needed, earn £4,000 monthly. "
         "Flights and visa paid. Registration fee £300, we keep your passport. Contract on "
         "arrival. WhatsApp 07700 900123")  # fmt: skip


def _ad(ad_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": ad_id, "platform": "jobs.example", "url": f"https://jobs.example/{ad_id}",
            "posted_at": extra.pop("posted_at", "2025-01-05T10:00:00Z"),
            "country": extra.pop("country", "GB"), "location": extra.pop("location", "Leeds, GB"),
            "title": extra.pop("title", "Jobs"), "text": text, "language": "en",
            **extra}  # fmt: skip


# The recruiter's three ads (one phone, one account, two cities) and an honest employer.
WORLD = [
    _ad("a1", RISKY, poster={"handle": "@abroad.jobs", "display_name": "Jobs Abroad"}),
    _ad("a2", RISKY.replace("Dubai", "Doha"), location="Manchester, GB",
        posted_at="2025-01-09T10:00:00Z", images=[{"phash": "D1C4A0F0E0C0B0A0"}]),
    _ad("a3", "Room to rent near the station, quiet street. Call 07700 900123",
        poster={"handle": "@abroad.jobs"}, posted_at="2025-01-07T10:00:00Z"),
    _ad("z9", "Brightwater Hospitality Ltd, 14 Harbour Street, Leeds recruits cooks. "
        "Written contract before departure. Apply jobs@brightwater.example.com"),
]  # fmt: skip


def _as(tokens: dict[str, str], user: str = "sv-analyst") -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """What ``threadline --user sv-analyst ARGS`` prints as JSON (the same agency's view)."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--user", "sv-analyst", *args])
    out, err = capsys.readouterr()
    assert exit_info.value.code in (0, None), err
    return json.loads(out)  # one ad's line of JSON lines, or the command's JSON document


@pytest.fixture
def analysed(api: Api, store: Store, tmp_path: Path) -> Api:
    """Sweden's bureau's owner-only ads, ingested and analysed through the API."""
    client, tokens = api
    with store.begin() as conn:
        create_collection(
            conn,
            build_collection(ADS, kind="ads", owner_agency="NCB Stockholm", owner_country="SE"),
        )
    path = tmp_path / "ads.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in WORLD) + "\n", encoding="utf-8")
    ingest_file(store, path, ADS)
    response = client.post("/api/v1/ads/analyze", json={"collection": ADS}, headers=_as(tokens))
    assert response.status_code == 200, response.text
    return client, tokens


def _events(store: Store, action: str) -> list[Any]:
    with store.connect() as conn:
        return [e for e in iter_events(conn) if e.action == action]


# ---------------------------------------------------------------- one ad, not stored
def test_extract_is_what_the_command_prints(
    api: Api, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = api
    response = client.post("/api/v1/ads/extract", json=WORLD[0], headers=_as(tokens))
    assert response.status_code == 200, response.text
    found = response.json()
    assert [p["value"] for p in found["phones"]] == [PHONE]
    assert found["phones"][0]["spans"][0]["field"] == "text"
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(WORLD[0]) + "\n", encoding="utf-8")
    assert found == _cli(capsys, "ads", "extract", str(path))
    (event,) = _events(store, "ads.extract")
    assert (event.user, event.channel, event.target_id) == ("sv-analyst", "api", "a1")
    assert PHONE not in json.dumps(event.detail)  # ids and counts, never the values


def test_score_is_what_the_command_prints(
    api: Api, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = api
    response = client.post(
        "/api/v1/ads/score",
        json=WORLD[0],
        params={"purpose": "investigation", "reference": "SE-2025-7"},
        headers=_as(tokens),
    )
    assert response.status_code == 200, response.text
    scored = response.json()
    assert scored["risk"] > 0.5
    assert "recruitment.passport_retention" in {i["id"] for i in scored["indicators"]}
    assert sum(i["contribution"] for i in scored["indicators"]) == pytest.approx(scored["risk"])
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(WORLD[0]) + "\n", encoding="utf-8")
    assert scored == _cli(capsys, "ads", "score", str(path))
    (event,) = _events(store, "ads.score")
    assert (event.purpose, event.reference, event.target_id) == ("investigation", "SE-2025-7", "a1")
    stored = client.get("/api/v1/ads/results", headers=_as(tokens))
    assert stored.json()["items"] == []  # a sent ad is not kept


# (what is wrong with the ad, what the answer names)
MALFORMED: list[tuple[dict[str, Any], str]] = [
    ({"text": None}, "text"),
    ({"country": "Atlantis"}, "field 'country' is not an ISO 3166 country: 'Atlantis'"),
    ({"posted_at": "last Tuesday"}, "field 'posted_at' is not an ISO 8601 date"),
    ({"text": "   "}, "field 'text' is empty"),
    ({"poster": {"handle": "@x", "age": 30}}, "poster.age"),
    ({"images": [{}]}, "images[0] must be an object with 'file' or 'phash'"),
    ({"id": ""}, "id"),
]


@pytest.mark.parametrize("route", ["extract", "score"])
def test_a_malformed_ad_is_refused_naming_the_field(api: Api, route: str) -> None:
    client, tokens = api
    for change, detail in MALFORMED:
        body = {k: v for k, v in {**WORLD[0], **change}.items() if v is not None}
        response = client.post(f"/api/v1/ads/{route}", json=body, headers=_as(tokens))
        assert response.status_code == 422, (change, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert detail in response.json()["detail"], (change, response.text)


def test_a_read_only_token_may_not_send_an_ad(api: Api, store: Store) -> None:
    client, _ = api
    with store.begin() as conn:
        token = issue_token(conn, "sv-analyst", "reader", scopes=["read"])
    response = client.post(
        "/api/v1/ads/score", json=WORLD[0], headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


# ---------------------------------------------------------------- the stored analysis
def test_analysis_summary_is_what_the_command_prints(
    analysed: Api, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = analysed
    summary = client.post(
        "/api/v1/ads/analyze", json={"collection": ADS}, headers=_as(tokens)
    ).json()
    assert (summary["ads"], summary["personas"], summary["multi_ad_personas"]) == (4, 2, 1)
    assert summary["top_personas"][0]["ad_ids"] == ["a1", "a2", "a3"]
    again = _cli(capsys, "ads", "analyze", "--collection", ADS, "--json")
    assert again["run_id"] > summary["run_id"]
    assert {**again, "run_id": 0} == {**summary, "run_id": 0}
    runs = _events(store, "ads.analyze")
    assert [(e.user, e.channel, e.target_id) for e in runs] == [
        ("sv-analyst", "api", ADS),
        ("sv-analyst", "api", ADS),
        ("sv-analyst", "cli", ADS),
    ]
    assert runs[0].result_count == 2


def test_personas_are_what_the_command_prints(
    analysed: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = analysed
    filters: list[dict[str, str]] = [
        {}, {"min_risk": "0.99"}, {"collection": ADS}, {"collection": ADS, "min_risk": "0.5"}
    ]  # fmt: skip
    for chosen in filters:
        response = client.get("/api/v1/ads/personas", params=chosen, headers=_as(tokens))
        assert response.status_code == 200, response.text
        page = response.json()
        options = [a for k, v in chosen.items() for a in (f"--{k.replace('_', '-')}", v)]
        assert page["items"] == _cli(capsys, "ads", "personas", "--json", *options), chosen
        assert page["next_offset"] is None
    assert [p["id"] for p in page["items"]] == ["P-a1"]  # the last filter leaves the recruiter


def test_personas_page(analysed: Api) -> None:
    client, tokens = analysed
    first = client.get("/api/v1/ads/personas", params={"limit": 1}, headers=_as(tokens)).json()
    assert [p["id"] for p in first["items"]] == ["P-a1"] and first["next_offset"] == 1
    rest = client.get(
        "/api/v1/ads/personas", params={"limit": 1, "offset": 1}, headers=_as(tokens)
    ).json()
    assert [p["id"] for p in rest["items"]] == ["P-z9"] and rest["next_offset"] is None


def test_persona_and_its_movement_are_what_the_command_prints(
    analysed: Api, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = analysed
    why = {"purpose": "investigation", "reference": "SE-2025-7"}
    shown = client.get("/api/v1/ads/personas/P-a1", params=why, headers=_as(tokens))
    assert shown.status_code == 200, shown.text
    persona = shown.json()
    assert persona == _cli(capsys, "ads", "show", "P-a1", "--json")
    assert [s["ad_id"] for s in persona["timeline"]] == ["a1", "a3", "a2"]
    assert {r["kind"] for r in persona["reasons"]["a3"]} == {"phone", "account"}
    assert {a["id"] for a in persona["ads"]} == {"a1", "a2", "a3"}
    moved = client.get("/api/v1/ads/personas/P-a1/movement", headers=_as(tokens))
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"id": "P-a1", **persona["movement"]}
    assert moved.json()["multi_city"] is True and moved.json()["cross_border"] is False
    looks = {
        e.action: e
        for e in _events(store, "ads.persona") + _events(store, "ads.movement")
        if e.channel == "api"
    }
    assert (looks["ads.persona"].purpose, looks["ads.persona"].reference) == (
        "investigation",
        "SE-2025-7",
    )
    assert looks["ads.persona"].target_id == looks["ads.movement"].target_id == "P-a1"


def test_ad_results_are_what_the_command_prints(
    analysed: Api, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    client, tokens = analysed
    listed = client.get("/api/v1/ads/results", params={"min_risk": 0.5}, headers=_as(tokens))
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == _cli(capsys, "ads", "results", "--min-risk", "0.5", "--json")
    one = client.get("/api/v1/ads/results/a3", headers=_as(tokens))
    assert one.status_code == 200, one.text
    result = one.json()
    assert result["persona_id"] == "P-a1"
    assert {"kind": "phone", "value": PHONE} in result["selectors"]
    assert {"kind": "account", "value": "jobs.example:abroad.jobs"} in result["selectors"]
    # The room ad is risky only through its persona: the explanation says so.
    assert "persona.linked_to_high_risk_ads" in {c["id"] for c in result["explanation"]}
    assert sum(c["contribution"] for c in result["explanation"]) == pytest.approx(result["risk"])
    listed_a3 = next(r for r in _cli(capsys, "ads", "results", "--json") if r["id"] == "a3")
    assert {k: result[k] for k in listed_a3} == listed_a3
    assert [e.target_id for e in _events(store, "ads.result")] == ["a3"]
    assert [e.result_count for e in _events(store, "ads.results") if e.channel == "api"] == [
        len(listed.json()["items"])
    ]


# (method, path under /api/v1/ads, body, status, what the answer says)
UNKNOWN: list[tuple[str, str, Any, int, str]] = [
    ("get", "/personas/P-nope", None, 404, "no persona 'P-nope'"),
    ("get", "/personas/P-nope/movement", None, 404, "no persona 'P-nope'"),
    ("get", "/results/nope", None, 404, "no analysed ad 'nope'"),
    ("get", "/personas?collection=nope", None, 404, "no collection named 'nope'"),
    ("get", "/results?collection=nope", None, 404, "no collection named 'nope'"),
    ("get", "/personas/P-a1?collection=nope", None, 404, "no collection named 'nope'"),
    ("get", "/personas?min_risk=2", None, 422, "min_risk"),
    ("post", "/analyze", {"collection": "nope"}, 404, "no collection named 'nope'"),
    ("post", "/analyze", {}, 422, "collection"),
]


def test_unknown_things_are_clear_4xx(analysed: Api) -> None:
    client, tokens = analysed
    for method, path, body, status, detail in UNKNOWN:
        url = f"/api/v1/ads{path}"
        response = client.request(method.upper(), url, json=body, headers=_as(tokens))
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert detail in response.json()["detail"], (path, response.text)


def test_another_agency_sees_none_of_it(analysed: Api) -> None:
    client, tokens = analysed
    headers = _as(tokens, "fr-analyst")
    assert client.get("/api/v1/ads/personas", headers=headers).json()["items"] == []
    assert client.get("/api/v1/ads/results", headers=headers).json()["items"] == []
    # Hidden answers as missing.
    assert client.get("/api/v1/ads/personas/P-a1", headers=headers).status_code == 404
    assert client.get("/api/v1/ads/results/a1", headers=headers).status_code == 404
    refused = client.post("/api/v1/ads/analyze", json={"collection": ADS}, headers=headers)
    assert refused.status_code == 404


ROUTES = [
    ("post", "/extract", WORLD[0]),
    ("post", "/score", WORLD[0]),
    ("post", "/analyze", {"collection": ADS}),
    ("get", "/personas", None),
    ("get", "/personas/P-a1", None),
    ("get", "/personas/P-a1/movement", None),
    ("get", "/results", None),
    ("get", "/results/a1", None),
]


def test_ads_are_for_analysts(analysed: Api, store: Store) -> None:
    client, tokens = analysed
    for method, path, body in ROUTES:
        url = f"/api/v1/ads{path}"
        refused = client.request(method.upper(), url, json=body, headers=_as(tokens, "sv-auditor"))
        assert refused.status_code == 403, (path, refused.text)
        assert "analyst" in refused.json()["detail"]
        anonymous = client.request(method.upper(), url, json=body)
        assert anonymous.status_code == 401, path
        assert anonymous.headers["content-type"] == "application/problem+json"
        allowed = client.request(method.upper(), url, json=body, headers=_as(tokens))
        assert allowed.status_code == 200, (path, allowed.text)
    denied = [e.target_id for e in _events(store, "access.denied") if e.user == "sv-auditor"]
    assert denied == [f"{m.upper()} /api/v1/ads{path}" for m, path, _ in ROUTES]

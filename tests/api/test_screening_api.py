"""Border screening over the API: person, document, MRZ and manifest; roles, purpose, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support.operations import define_operation
from threadline.governance.audit import iter_events
from threadline.governance.identity import create_user, issue_token, parse_roles
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.store import Store
from threadline.store.collections import create_collection

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
PASSWORD = "a long enough password"
Api = tuple[TestClient, dict[str, str]]
CHECK = {"purpose": "border_check"}
SPECIMEN = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


@pytest.fixture
def border(api: Api, store: Store) -> tuple[TestClient, dict[str, str]]:
    """Notices and a stolen/lost list of the Swedish bureau; an officer and a liaison officer."""
    client, tokens = api
    with store.begin() as conn:
        for name, kind in [("notices", "notices"), ("sltd", "travel-documents")]:
            create_collection(
                conn,
                build_collection(name, kind=kind, owner_agency="NCB Stockholm", owner_country="SE"),
            )
        for user, role in [("sv-officer", "border_officer"), ("sv-liaison", "victim_liaison")]:
            create_user(conn, user, "NCB Stockholm", parse_roles([role]), PASSWORD)
            tokens[user] = issue_token(conn, user, "tests")
    for notice in ("red/2021-11111.json", "red/2018-22222.json", "yellow/2022-33333.json"):
        ingest_file(store, BORDER / "notices" / notice, "notices")
    ingest_file(store, BORDER / "stolen_lost.csv", "sltd")
    return client, tokens


def _as(tokens: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


@pytest.mark.parametrize("user", ["sv-officer", "sv-analyst"])
def test_person_screening_explains_the_best_candidate(border: Api, user: str) -> None:
    client, tokens = border
    body = {"names": ["Иван Сергеевич Петров"], "dob": "1975", "sex": "M"}
    response = client.post(
        "/api/v1/screening/person", json=body, params=CHECK, headers=_as(tokens, user)
    )
    assert response.status_code == 200, response.text
    result = response.json()
    best = result["candidates"][0]
    assert best["entity_id"] == "interpol-red-2021-11111"
    assert best["notice"] == "red" and result["decision"] == best["decision"] != "no_match"
    assert "name" in {part["feature"] for part in best["explanation"]}
    assert result["sources"]["watchlists"] == ["notices"]


def test_person_screening_is_a_person_query(border: Api, store: Store) -> None:
    client, tokens = border
    body = {"names": ["Anna Novakova"]}
    refused = client.post("/api/v1/screening/person", json=body, headers=_as(tokens, "sv-officer"))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "needs a purpose" in refused.json()["detail"]
    no_ref = client.post(
        "/api/v1/screening/person",
        json=body,
        params={"purpose": "investigation"},
        headers=_as(tokens, "sv-officer"),
    )
    assert no_ref.status_code == 403 and "reference" in no_ref.json()["detail"]
    done = client.post(
        "/api/v1/screening/person",
        json=body,
        params={"purpose": "investigation", "reference": "CASE-7"},
        headers=_as(tokens, "sv-officer"),
    )
    assert done.json()["candidates"][0]["notice"] == "yellow"
    with store.connect() as conn:
        events = [e for e in iter_events(conn) if e.action == "screening.person"]
    assert [(e.user, e.purpose, e.reference) for e in events] == [
        ("sv-officer", "investigation", "CASE-7")
    ]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("person", {"names": ["Anna Novakova"]}),
        ("document", {"number": "751234567"}),
        ("mrz", {"lines": SPECIMEN}),
    ],
)
def test_screening_is_for_border_officers_and_analysts(border: Api, path: str, body: Any) -> None:
    client, tokens = border
    response = client.post(
        f"/api/v1/screening/{path}", json=body, params=CHECK, headers=_as(tokens, "sv-liaison")
    )
    assert response.status_code == 403
    assert "border_officer or analyst" in response.json()["detail"]


def test_other_agencies_lists_are_not_used(border: Api) -> None:
    client, tokens = border
    body = {"names": ["Ivan Petrov"], "dob": "1975-03-14"}
    response = client.post(
        "/api/v1/screening/person", json=body, params=CHECK, headers=_as(tokens, "fr-analyst")
    )
    assert response.json()["candidates"] == []
    assert response.json()["decision"] == "no_match"


@pytest.mark.parametrize(
    ("body", "listed", "expired"),
    [
        ({"number": "751234567", "issuing_country": "RUS", "expiry": "2027-01-01"}, True, False),
        ({"number": "75I234567", "issuing_country": "RU"}, True, None),  # OCR confusion I/1
        ({"number": "C01X00T47", "issuing_country": "SE", "expiry": "2020-05-01"}, False, True),
    ],
)
def test_document_check(
    border: Api, body: dict[str, str], listed: bool, expired: bool | None
) -> None:
    client, tokens = border
    response = client.post(
        "/api/v1/screening/document", json=body, headers=_as(tokens, "sv-officer")
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["listed"] is listed
    if listed:
        assert result["hits"][0]["status"] == "stolen" and result["hits"][0]["reasons"]
    assert (result["expiry"] or {}).get("expired") is expired


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"number": "751234567", "issuing_country": "Atlantis"}, "unknown country 'Atlantis'"),
        ({"number": "751234567", "expiry": "next year"}, "expiry"),
        ({"number": ""}, "number"),
    ],
)
def test_document_check_rejects_bad_input(border: Api, body: dict[str, str], detail: str) -> None:
    client, tokens = border
    response = client.post(
        "/api/v1/screening/document", json=body, headers=_as(tokens, "sv-officer")
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


def test_mrz_check_reads_checks_and_screens_the_holder(border: Api) -> None:
    client, tokens = border
    response = client.post(
        "/api/v1/screening/mrz",
        json={"lines": SPECIMEN},
        params=CHECK,
        headers=_as(tokens, "sv-officer"),
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["mrz"]["fields"]["surname"] == "ERIKSSON"
    assert result["mrz"]["specimen"] is True and result["document"]["specimen"] is True
    assert {"warnings", "variants", "check_digits", "dates", "suggestions"} <= set(result["mrz"])
    assert result["document"]["valid_mrz"] is True
    assert result["document"]["expiry"]["expired"] is True  # the specimen expired in 2012
    assert result["holder"]["decision"] == "no_match"
    broken = [SPECIMEN[0], SPECIMEN[1][:-1] + "9"]
    bad = client.post(
        "/api/v1/screening/mrz",
        json={"lines": broken},
        params=CHECK,
        headers=_as(tokens, "sv-officer"),
    )
    assert bad.json()["document"]["valid_mrz"] is False and bad.json()["mrz"]["errors"]
    short = client.post(
        "/api/v1/screening/mrz",
        json={"lines": SPECIMEN[:1]},
        params=CHECK,
        headers=_as(tokens, "sv-officer"),
    )
    assert short.status_code == 422 and "lines" in short.json()["detail"]


def test_manifest_upload_returns_every_traveller_with_safeguarding(
    border: Api, store: Store
) -> None:
    client, tokens = border
    define_operation(store, "LIBERTERRA-III")
    with (BORDER / "manifest.csv").open("rb") as handle:
        response = client.post(
            "/api/v1/screening/manifests",
            files={"file": ("manifest.csv", handle, "text/csv")},
            data={"operation": "LIBERTERRA-III", "country": "SE"},
            params={"purpose": "operation"},  # the operation code is the reference
            headers=_as(tokens, "sv-officer"),
        )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["operation"], result["country"], result["travellers"]) == (
        "LIBERTERRA-III",
        "SE",
        9,
    )
    assert [r["record_id"] for r in result["results"]] == [f"R00{i}" for i in range(1, 10)]
    by_record = {r["record_id"]: r for r in result["results"]}
    assert by_record["R009"]["person_hits"][0]["entity_id"] == "interpol-red-2021-11111"
    assert by_record["R005"]["document_hits"][0]["document_number"] == "43218765"
    assert by_record["R003"]["safeguarding"][0].startswith("consider a safeguarding interview")
    assert by_record["R001"]["safeguarding"] == []
    kinds = {(i["record_id"], i["indicator"]) for i in result["victim_indicators"]}
    assert ("R005", "yellow_notice_match") in kinds and ("R003", "minor_without_guardian") in kinds
    assert [r["position"] for r in result["rejected"]] == [11, 12]
    with store.connect() as conn:
        (event,) = [e for e in iter_events(conn) if e.action == "screening.manifest"]
    assert (event.purpose, event.reference, event.target_id) == (
        "operation",
        "LIBERTERRA-III",
        "manifest.csv",
    )


@pytest.mark.parametrize(
    ("filename", "params", "status", "detail"),
    [
        ("manifest.pdf", CHECK, 422, "PAXLST .edi or a manifest .csv"),
        ("manifest.csv", {}, 403, "needs a purpose"),
    ],
)
def test_manifest_upload_refusals(
    border: Api, filename: str, params: dict[str, str], status: int, detail: str
) -> None:
    client, tokens = border
    response = client.post(
        "/api/v1/screening/manifests",
        files={"file": (filename, (BORDER / "manifest.csv").read_bytes(), "text/csv")},
        params=params,
        headers=_as(tokens, "sv-officer"),
    )
    assert response.status_code == status
    assert detail in response.json()["detail"]

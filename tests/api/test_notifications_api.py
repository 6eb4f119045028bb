"""Notifications over the API: the addressed agency lists and acknowledges; others get 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support.notified import NAME, REPORT, SENDER, notify
from threadline.governance.audit import iter_events
from threadline.store import Store
from threadline.victims import notify_reporting_country

Api = tuple[TestClient, dict[str, str]]


def _as(tokens: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


def test_the_reporting_agency_lists_and_acknowledges(api: Api, store: Store) -> None:
    client, tokens = api
    pseudonym, note_id = notify(store, "NCB Stockholm")
    listed = client.get("/api/v1/notifications", headers=_as(tokens, "sv-analyst"))
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 1 and page["next_offset"] is None
    note = page["items"][0]
    assert (note["id"], note["report"], note["pseudonym"]) == (note_id, REPORT, pseudonym)
    assert note["status"] == "pending" and note["can_acknowledge"] is True
    assert NAME.split()[0] not in listed.text and "SE8812345" not in listed.text
    # France's bureau sees nothing and may not acknowledge it
    assert (
        client.get("/api/v1/notifications", headers=_as(tokens, "fr-analyst")).json()["items"] == []
    )
    url = f"/api/v1/notifications/{note_id}/acknowledge"
    hidden = client.post(url, headers=_as(tokens, "fr-analyst"))
    assert hidden.status_code == 404 and "no notification" in hidden.json()["detail"]
    auditor = client.post(url, headers=_as(tokens, "sv-auditor"))
    assert auditor.status_code == 403
    done = client.post(url, headers=_as(tokens, "sv-analyst"))
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["acknowledged_by"]) == ("acknowledged", "sv-analyst")
    again = client.post(url, headers=_as(tokens, "sv-analyst"))
    assert again.status_code == 422 and "already acknowledged" in again.json()["detail"]
    pending = client.get(
        "/api/v1/notifications", params={"status": "pending"}, headers=_as(tokens, "sv-analyst")
    )
    assert pending.json()["items"] == []
    with store.connect() as conn:
        events = [(e.action, e.user, e.component) for e in iter_events(conn)]
    assert ("notification.acknowledge", "sv-analyst", "api") in events


def test_pagination_and_bad_status(api: Api, store: Store) -> None:
    client, tokens = api
    pseudonym, _note = notify(store, "NCB Stockholm")
    with store.begin() as conn:
        for _ in range(2):
            notify_reporting_country(conn, SENDER, pseudonym, message="Update: care continues.")
    first = client.get(
        "/api/v1/notifications", params={"limit": 2}, headers=_as(tokens, "sv-analyst")
    ).json()
    second = client.get(
        "/api/v1/notifications",
        params={"limit": 2, "offset": first["next_offset"]},
        headers=_as(tokens, "sv-analyst"),
    ).json()
    assert (len(first["items"]), first["next_offset"], first["total"]) == (2, 2, 3)
    assert len(second["items"]) == 1 and second["next_offset"] is None
    ids = [n["id"] for n in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    bad = client.get(
        "/api/v1/notifications", params={"status": "sent"}, headers=_as(tokens, "sv-analyst")
    )
    assert bad.status_code == 422 and "status: unknown value" in bad.json()["detail"]

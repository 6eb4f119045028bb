"""The worker: manifests sent to the API screened as they arrive, alerts waiting for their
agency, follow-up analyses queued by ingestion, each agency's work its own."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from support.conformance import MESSAGES
from support.holdings import person
from threadline.api.app import create_app
from threadline.exc import InputError, NotFound
from threadline.governance import Actor, Role
from threadline.governance.accounts import set_disabled
from threadline.governance.audit import iter_events
from threadline.governance.identity import issue_token
from threadline.model.collections import build_collection
from threadline.services import collections as collections_service
from threadline.services.worker import Worker, get_task, list_tasks, submit_manifest
from threadline.store import Store
from threadline.store.collections import create_collection

from .conftest import BORDER, officer

LOOK = {"purpose": "border_check"}


def _client(store: Store, *users: str) -> tuple[TestClient, dict[str, dict[str, str]]]:
    with store.begin() as conn:
        headers = {u: {"Authorization": f"Bearer {issue_token(conn, u, 'tests')}"} for u in users}
    return TestClient(create_app(store), raise_server_exceptions=True), headers


def _send(
    client: TestClient, headers: dict[str, str], path: Path = BORDER / "manifest.csv"
) -> dict:
    with path.open("rb") as handle:
        answer = client.post(
            "/api/v1/manifests",
            params=LOOK,
            files={"file": (path.name, handle, "text/csv")},
            data={"country": "SE"},
            headers=headers,
        )
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/v1/tasks/{answer.json()['id']}"
    return answer.json()


def test_a_manifest_sent_to_the_api_is_screened_by_the_worker_and_its_alerts_listed(
    border: Store,
) -> None:
    client, headers = _client(border, "officer-1")
    started = time.perf_counter()
    sent = _send(client, headers["officer-1"])
    assert (sent["state"], sent["kind"], sent["requested_by"]) == (
        "queued",
        "screen_manifest",
        "officer-1",
    )
    assert sent["arguments"]["file"] == "manifest.csv"
    assert Worker(border).drain() == 1
    task = client.get(f"/api/v1/tasks/{sent['id']}", headers=headers["officer-1"]).json()
    alerts = client.get("/api/v1/alerts", params=LOOK, headers=headers["officer-1"]).json()
    elapsed = time.perf_counter() - started
    assert task["state"] == "done" and task["error"] is None
    assert (
        task["result"]["travellers"] + task["result"]["rejected"] == 11
        and task["result"]["alerts_raised"] > 0
    )
    assert len(alerts["items"]) == task["result"]["alerts_raised"]
    assert {a["kind"] for a in alerts["items"]} >= {"safeguarding"}
    assert elapsed < 5, elapsed
    # the screening ran as the officer who sent it, with the purpose sent: audited as such
    events = [e for e in _events(border) if e.action == "screening.manifest"]
    assert [(e.user, e.purpose, e.channel) for e in events] == [
        ("officer-1", "border_check", "api")
    ]
    # nothing of the manifest is kept once screened
    from threadline.store import queue

    with border.connect() as conn:
        content = conn.execute(
            queue.task.select().with_only_columns(queue.task.c.content)
        ).scalar_one()
    assert content is None


def test_a_dismissed_hit_stays_dismissed_when_the_same_manifest_arrives_again(
    border: Store,
) -> None:
    client, headers = _client(border, "officer-1")
    _send(client, headers["officer-1"])
    Worker(border).drain()
    first = client.get("/api/v1/alerts", params=LOOK, headers=headers["officer-1"]).json()["items"]
    target = first[0]["id"]
    moved = client.post(
        f"/api/v1/alerts/{target}/triage",
        params=LOOK,
        json={"state": "dismissed", "reason": "travelling with her aunt"},
        headers=headers["officer-1"],
    )
    assert moved.status_code == 200, moved.text
    again = _send(client, headers["officer-1"])
    Worker(border).drain()
    assert (
        client.get(f"/api/v1/tasks/{again['id']}", headers=headers["officer-1"]).json()["result"][
            "alerts_raised"
        ]
        == 0
    )
    after = client.get("/api/v1/alerts", params=LOOK, headers=headers["officer-1"]).json()["items"]
    assert {a["id"]: a["state"] for a in after}[target] == "dismissed"
    assert len(after) == len(first)


def test_two_agencies_never_touch_each_others_tasks_or_alerts(border: Store) -> None:
    client, headers = _client(border, "officer-1", "officer-9")
    mine = _send(client, headers["officer-1"])
    Worker(border).drain()
    other = headers["officer-9"]
    assert client.get(f"/api/v1/tasks/{mine['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/tasks", headers=other).json()["items"] == []
    assert client.get("/api/v1/alerts", params=LOOK, headers=other).json()["items"] == []
    theirs = _send(client, other)
    Worker(border).drain()
    own = client.get("/api/v1/alerts", params=LOOK, headers=headers["officer-1"]).json()["items"]
    their = client.get("/api/v1/alerts", params=LOOK, headers=other).json()["items"]
    assert own and their and not {a["id"] for a in own} & {a["id"] for a in their}
    assert [t["id"] for t in client.get("/api/v1/tasks", headers=other).json()["items"]] == [
        theirs["id"]
    ]


def test_a_task_runs_as_its_user_stands_now(border: Store) -> None:
    """A user disabled after sending a manifest: the manifest is not screened in their name."""
    task = submit_manifest(
        border, officer(border, "officer-1"), "manifest.csv", (BORDER / "manifest.csv").read_bytes()
    )
    with border.begin() as conn:
        set_disabled(conn, "officer-1", True)
    Worker(border).drain()
    failed = get_task(border, Actor("officer-1", "Border Police", "SE", frozenset()), task.id)
    assert failed.state == "failed" and failed.attempts == 1  # not retried: it cannot pass
    assert "disabled" in (failed.error or "")
    assert not [e for e in _events(border) if e.action == "screening.manifest"]


def test_only_screeners_with_a_purpose_may_send_and_bad_files_are_refused(border: Store) -> None:
    client, headers = _client(border, "officer-1")
    with (BORDER / "manifest.csv").open("rb") as handle:
        no_purpose = client.post(
            "/api/v1/manifests",
            files={"file": ("manifest.csv", handle, "text/csv")},
            headers=headers["officer-1"],
        )
    assert no_purpose.status_code in (400, 403, 422), no_purpose.text
    wrong = client.post(
        "/api/v1/manifests",
        params=LOOK,
        files={"file": ("notes.doc", b"hello", "text/plain")},
        headers=headers["officer-1"],
    )
    assert wrong.status_code == 422 and "send a PAXLST .edi or a manifest .csv" in wrong.text
    broken = client.post(
        "/api/v1/manifests",
        params=LOOK,
        files={"file": ("flight.edi", b"UNA:+.? 'UNB+UNOA:4+AIR+GOV'", "text/plain")},
        headers=headers["officer-1"],
    )
    assert broken.status_code == 422 and "manifest file 'flight.edi'" in broken.text, broken.text
    assert client.get("/api/v1/tasks", headers=headers["officer-1"]).json()["items"] == []


def test_ingested_data_queues_its_follow_ups_once(store: Store, tmp_path: Path) -> None:
    """Reports loaded by an analyst queue one trace and one link run for the analyst's
    agency, however many files arrive before a worker takes them."""
    import json

    from threadline.governance import Actor, Role

    analyst = Actor("analyst-1", "NCB Stockholm", "SE", frozenset({Role.ANALYST}))
    with store.begin() as conn:
        made = build_collection(
            "se-missing", kind="missing-persons", owner_agency="NCB Stockholm", owner_country="SE"
        )
        create_collection(conn, made)
    for i in range(2):
        path = tmp_path / f"reports-{i}.ftm.jsonl"
        ident, schema, props = person(f"m{i}", "Elin Marklund", birthDate="2008-02-11")
        path.write_text(json.dumps({"id": ident, "schema": schema, "properties": props}) + "\n")
        collections_service.ingest(store, analyst, path, "se-missing")
    tasks = list_tasks(store, analyst)
    assert sorted(t.kind for t in tasks) == ["link", "trace"]
    assert all(t.payload["because"] == "new data in collection se-missing" for t in tasks)
    with pytest.raises(NotFound):
        get_task(store, Actor("x", "NCB Paris", "FR", frozenset({Role.ANALYST})), tasks[0].id)


def _events(store: Store) -> list:
    with store.connect() as conn:
        return list(iter_events(conn))


def test_a_new_notice_rescreens_the_recent_manifests_of_the_agencies_that_see_it(
    border: Store,
) -> None:
    """A red notice loaded after a flight was screened: the flight's traveller it concerns
    becomes a new alert for the agency that screened him; the other alerts do not come
    back, a dismissed one stays dismissed, and an agency with no recent flight gets no
    task. A second change re-screens again without duplicating an alert."""
    from threadline.alerts import list_alerts, triage_alert

    sender = officer(border, "officer-1")
    submit_manifest(
        border, sender, "manifest.csv", (BORDER / "manifest.csv").read_bytes(), country="SE"
    )
    Worker(border).drain()
    with border.begin() as conn:
        before, _, _ = list_alerts(conn, sender, limit=500)
        triage_alert(conn, sender, int(before[0]["id"]), "dismissed", "travelling with family")
    assert not any(a["related_id"] == "interpol-red-2021-11111" for a in before)

    analyst = Actor("analyst-1", "Border Police", "SE", frozenset({Role.ANALYST}))
    collections_service.ingest(
        border, analyst, BORDER / "notices" / "red" / "2021-11111.json", "notices",
        format="notices",
    )  # fmt: skip
    queued = list_tasks(border, sender, kind="rescreen")
    assert [(t.state, t.payload["because"]) for t in queued] == [
        ("queued", "list notices changed (loaded by analyst-1)")
    ]
    assert list_tasks(border, officer(border, "officer-9"), kind="rescreen") == []
    Worker(border).drain()
    done = get_task(border, sender, queued[0].id)
    assert done.state == "done", done.error
    assert (done.result or {})["manifests"] == 1 and (done.result or {})["alerts_raised"] == 1
    with border.begin() as conn:
        after, _, _ = list_alerts(conn, sender, limit=500)
    new = [a for a in after if a["id"] not in {b["id"] for b in before}]
    assert [(a["kind"], a["subject_id"] is not None, a["related_id"]) for a in new] == [
        ("screening_hit", True, "interpol-red-2021-11111")
    ]
    assert {a["id"]: a["state"] for a in after}[before[0]["id"]] == "dismissed"
    # the platform's re-screening is audited in the agency's name, with the purpose
    events = [e for e in _events(border) if e.action == "screening.manifest"]
    assert [(e.user, e.agency, e.purpose) for e in events][-1] == (
        "system:rescreen",
        "Border Police",
        "border_check",
    )
    collections_service.ingest(
        border, analyst, BORDER / "notices" / "red" / "2018-22222.json", "notices",
        format="notices",
    )  # fmt: skip
    Worker(border).drain()
    with border.begin() as conn:
        again, _, _ = list_alerts(conn, sender, limit=500)
    assert len(again) >= len(after) and len({a["id"] for a in again}) == len(again)


def test_a_rescreen_cut_short_resumes_after_the_last_manifest_it_finished(
    border: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-screening commits manifest by manifest with its progress: the attempt after a
    failure screens only what the failed one had not finished."""
    from sqlalchemy import update

    import threadline.screening.rescreen as rescreen
    from threadline.store import queue

    sender = officer(border, "officer-1")
    content = (BORDER / "manifest.csv").read_bytes()
    for name, data in (("first.csv", content), ("second.csv", content.replace(b"ZZ100", b"ZZ200"))):
        submit_manifest(border, sender, name, data, country="SE")
    Worker(border).drain()
    real = rescreen.screen_manifest
    calls: list[str] = []

    def flaky(store: Store, actor: Actor, path: Path, **kw: object):  # type: ignore[no-untyped-def]
        calls.append(path.name)
        if len(calls) == 2:
            raise ConnectionError("database connection lost")
        return real(store, actor, path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(rescreen, "screen_manifest", flaky)
    analyst = Actor("analyst-1", "Border Police", "SE", frozenset({Role.ANALYST}))
    collections_service.ingest(
        border, analyst, BORDER / "notices" / "red" / "2021-11111.json", "notices",
        format="notices",
    )  # fmt: skip
    (task,) = list_tasks(border, sender, kind="rescreen")
    Worker(border).drain()
    retry = get_task(border, sender, task.id)
    assert (retry.state, retry.attempts) == ("queued", 1)
    assert "database connection lost" in (retry.error or "")
    assert len((retry.result or {})["rescreened"]) == 1  # the first manifest's progress kept
    with border.begin() as conn:  # due now rather than after its back-off
        conn.execute(
            update(queue.task)
            .where(queue.task.c.id == task.id)
            .values(run_after=queue.task.c.created_at)
        )
    Worker(border).drain()
    done = get_task(border, sender, task.id)
    assert done.state == "done" and done.attempts == 2
    assert ((done.result or {})["manifests"], (done.result or {})["skipped"]) == (1, 1)
    assert calls == ["first.csv", "second.csv", "second.csv"]


def test_erasing_a_traveller_reaches_the_alerts_and_the_manifest_archive(border: Store) -> None:
    """A traveller known only from a screened manifest: erasure removes the alerts about
    them, the findings, and every archived manifest with them on board, and says so."""
    from threadline.alerts import list_alerts
    from threadline.screening.archive import recent_manifests
    from threadline.services.rights import erase_person

    sender = officer(border, "officer-1")
    submit_manifest(
        border, sender, "manifest.csv", (BORDER / "manifest.csv").read_bytes(), country="SE"
    )
    Worker(border).drain()
    with border.begin() as conn:
        alerts, _, _ = list_alerts(conn, sender, limit=500)
    traveller = next(a["subject_id"] for a in alerts if a["kind"] == "safeguarding")
    about = [a for a in alerts if traveller in (a["subject_id"], a["related_id"])]
    counts = erase_person(border, sender, traveller, "the traveller asked for erasure")
    assert counts["alerts"] == len(about) and counts["archived_manifests"] == 1
    assert counts["findings"] >= len(about)
    with border.begin() as conn:
        left, _, _ = list_alerts(conn, sender, limit=500)
        assert recent_manifests(conn, "Border Police", "SE") == []
    assert len(left) == len(alerts) - len(about)
    assert not [a for a in left if traveller in (a["subject_id"], a["related_id"])]
    with pytest.raises(NotFound):  # nothing is left to erase
        erase_person(border, sender, traveller, "the traveller asked for erasure")


def test_a_manifest_ingested_again_is_screened_again_and_a_dismissed_hit_stays_dismissed(
    border: Store,
) -> None:
    """A manifest loaded into a manifests collection is queued for screening as the officer
    who loaded it; loaded again, it raises nothing new and the dismissed hit stays so."""
    from threadline.alerts import list_alerts, triage_alert

    sender = officer(border, "officer-1")
    with border.begin() as conn:
        made = build_collection(
            "arrivals", kind="manifests", owner_agency="Border Police", owner_country="SE"
        )
        create_collection(conn, made)
    collections_service.ingest(border, sender, BORDER / "manifest.csv", "arrivals")
    assert [t.kind for t in list_tasks(border, sender)] == ["screen_manifest", "trace"]
    Worker(border).drain()
    with border.begin() as conn:
        first, _, _ = list_alerts(conn, sender, limit=500)
        triage_alert(conn, sender, int(first[0]["id"]), "dismissed", "travelling with family")
    collections_service.ingest(border, sender, BORDER / "manifest.csv", "arrivals")
    Worker(border).drain()
    screened = list_tasks(border, sender, kind="screen_manifest")
    newest, oldest = ((t.state, (t.result or {}).get("alerts_raised", 0)) for t in screened)
    assert newest == ("done", 0) and oldest[0] == "done" and oldest[1] > 0
    with border.begin() as conn:
        again, _, _ = list_alerts(conn, sender, limit=500)
    assert {a["id"]: a["state"] for a in again}[first[0]["id"]] == "dismissed"
    assert len(again) == len(first)


def test_erasing_a_traveller_withdraws_a_manifest_still_waiting_to_be_screened(
    border: Store,
) -> None:
    from threadline.ingest.readers.travel_records import traveller_id
    from threadline.screening.archive import travel_records
    from threadline.services.rights import erase_person

    sender = officer(border, "officer-1")
    content = (BORDER / "manifest.csv").read_bytes()
    waiting = submit_manifest(border, sender, "manifest.csv", content, country="SE")
    other = submit_manifest(
        border, sender, "other.csv", content.replace(b"ZZ100", b"ZZ300"), country="SE"
    )
    person = traveller_id(travel_records("manifest.csv", content)[0])
    counts = erase_person(border, sender, person, "the traveller asked for erasure")
    assert counts["queued_manifests"] == 1 and counts["archived_manifests"] == 0
    gone = get_task(border, sender, waiting.id)
    assert gone.state == "failed" and "erased before it was screened" in (gone.error or "")
    assert Worker(border).drain() == 1  # only the other flight is screened
    assert get_task(border, sender, other.id).state == "done"
    assert not [e for e in _events(border) if e.action == "screening.manifest" and
                e.target_id == "manifest.csv"]  # fmt: skip


def _paxlst_samples() -> list[Path]:
    """Every PAXLST message the tests hold: the border fixtures and the real messages from
    other systems in the shared conformance set (when present)."""
    return [*sorted((BORDER / "paxlst").glob("*.edi")), BORDER / "manifest.edi", *MESSAGES]


def test_the_quick_check_refuses_no_manifest_a_full_reading_accepts() -> None:
    """A manifest is checked on arrival without being read whole when it has a PAXLST
    message's shape; whatever the reader can read is accepted, and a file the quick look
    doubts is read whole, so a refusal always carries the reader's reason."""
    from threadline.screening.manifest import check_manifest, manifest_file, read_manifest

    samples = _paxlst_samples()
    assert len(samples) >= 3
    for path in samples:
        content = path.read_bytes()
        with manifest_file(path.name, content) as copy:
            try:
                readable = bool(read_manifest(copy)[0])
            except InputError:
                readable = False
        if readable:
            check_manifest(path.name, content)  # never refused
    with pytest.raises(InputError, match=r"'x.edi': no traveller could be read \(segment 1"):
        check_manifest("x.edi", b"not an interchange at all")
    with pytest.raises(InputError, match=r"'x\.edi' is empty"):
        check_manifest("x.edi", b"")
    with pytest.raises(InputError, match="header lacks"):
        check_manifest("x.csv", b"name,born\nA,1990\n")


def test_a_message_shaped_file_without_a_readable_traveller_fails_its_task_with_the_reason(
    border: Store,
) -> None:
    """Accepted on its shape, read by the worker: the task fails with the reader's reason
    and nothing is screened."""
    content = (
        b"UNA:+.? 'UNB+UNOA:4+AIR+GOV+260301:0730+1'UNH+1+PAXLST:D:05B:UN:IATA'"
        b"NAD+ZZ'UNT+3+1'UNZ+1+1'"
    )
    task = submit_manifest(border, officer(border, "officer-1"), "flight.edi", content)
    assert Worker(border).drain() == 1
    failed = get_task(border, officer(border, "officer-1"), task.id)
    assert failed.state == "failed"
    assert "no traveller could be read" in (failed.error or ""), failed

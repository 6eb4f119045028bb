"""``threadline notifications``: the addressed agency's users list and acknowledge."""

from __future__ import annotations

import io

import orjson
import pytest

from support.notified import NAME, REPORT, notify
from threadline.cli.main import main
from threadline.store import open_store

PASSWORD = "a long enough password"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def note(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    for agency, country in (("NCB Stockholm", "SE"), ("NCB Oslo", "NO")):
        assert run(capsys, "agencies", "create", agency, "--country", country)[0] == 0
    for name, agency, roles in (
        ("sv-analyst", "NCB Stockholm", "analyst"),
        ("sv-auditor", "NCB Stockholm", "auditor"),
        ("no-analyst", "NCB Oslo", "analyst"),
    ):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        args = ["users", "create", name, "--agency", agency, "--roles", roles, "--password-stdin"]
        assert run(capsys, *args)[0] == 0
    store = open_store()
    try:
        return notify(store, "NCB Stockholm")
    finally:
        store.close()


def test_list_and_acknowledge(capsys: pytest.CaptureFixture[str], note: tuple[str, int]) -> None:
    pseudonym, note_id = note
    code, out, err = run(capsys, "--user", "sv-analyst", "notifications", "list")
    assert code == 0, err
    assert "PENDING" in out and REPORT in out and pseudonym in out and "NCB Manila" in out
    assert NAME.split()[0] not in out
    code, out, _ = run(capsys, "--user", "no-analyst", "notifications", "list")
    assert "No notifications for your agency." in out
    code, _, err = run(capsys, "--user", "no-analyst", "notifications", "ack", str(note_id))
    assert code == 2 and f"no notification {note_id}" in err
    code, _, err = run(capsys, "--user", "sv-auditor", "notifications", "ack", str(note_id))
    assert code == 2 and "auditors read notifications" in err
    code, out, err = run(
        capsys, "--user", "sv-analyst", "notifications", "ack", str(note_id), "--json"
    )
    assert code == 0, err
    done = orjson.loads(out)
    assert (done["status"], done["acknowledged_by"]) == ("acknowledged", "sv-analyst")
    code, out, _ = run(
        capsys, "--user", "sv-analyst", "notifications", "list", "--status", "pending", "--json"
    )
    assert orjson.loads(out)["items"] == []
    code, out, _ = run(capsys, "--user", "sv-analyst", "notifications", "list")
    assert "acknowledged by sv-analyst" in out


def test_bad_status(capsys: pytest.CaptureFixture[str], note: tuple[str, int]) -> None:
    code, _, err = run(capsys, "--user", "sv-analyst", "notifications", "list", "--status", "x")
    assert code == 2 and "status: unknown value 'x'" in err

"""``threadline victims``: a liaison officer's workflow; others see pseudonyms only."""

from __future__ import annotations

import io

import orjson
import pytest

from support.holdings import hold, person
from threadline.cli.main import main
from threadline.store import open_store

PASSWORD = "a long enough password"
LIAISON = ["--user", "sv-liaison"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture(autouse=True)
def people(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Sweden's liaison officer and analyst, another agency's and Norway's liaison officers,
    and the records the liaison officer's unit holds."""
    for agency, country in (("test-unit", "SE"), ("other-unit", "SE"), ("NCB Oslo", "NO")):
        assert run(capsys, "agencies", "create", agency, "--country", country)[0] == 0
    for name, agency, roles in (
        ("sv-liaison", "test-unit", "victim_liaison"),
        ("sv-analyst", "test-unit", "analyst"),
        ("other-liaison", "other-unit", "victim_liaison"),
        ("no-liaison", "NCB Oslo", "victim_liaison"),
    ):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        args = ["users", "create", name, "--agency", agency, "--roles", roles, "--password-stdin"]
        assert run(capsys, *args)[0] == 0
    # What the liaison officer's unit holds: the case-file person the record links to,
    # and the copy of Viet Nam's yellow notice for him it is reunited under.
    store = open_store()
    try:
        hold(store, "se-cases", [person("se-case-p1", "Nguyen Van Example")], agency="test-unit")
        hold(
            store,
            "se-missing",
            [person("yellow-2025-77", "Nguyen Van Example")],
            agency="test-unit",
            kind="missing-persons",
        )
    finally:
        store.close()


def _create(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(
        capsys,
        *LIAISON,
        "victims",
        "create",
        "--how",
        "hotline",
        "--identified-on",
        "2026-04-01",
        "--sex",
        "M",
        "--adult",
        "--nationality",
        "VN",
        "--forms",
        "forced_labour",
        "--needs",
        "shelter,interpretation",
        "--language",
        "vi",
        "--name",
        "Nguyen Van Example",
        "--dob",
        "1990-07-15",
        "--document",
        "C9876543",
        "--phone",
        "+44 7700 900456",
        "--entity",
        "se-case-p1",
        "--compelled-offence",
        "cannabis cultivation",
        "--json",
    )
    assert code == 0, err
    return str(orjson.loads(out)["pseudonym"])


def test_care_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    pseudonym = _create(capsys)
    assert run(capsys, *LIAISON, "victims", "consent", pseudonym, "referral")[0] == 0
    code, out, _ = run(
        capsys,
        "victims",
        "services",
        "add",
        "SE",
        "shelter",
        "Safe Harbour",
        "--languages",
        "vi,en",
        "--json",
    )
    service = orjson.loads(out)["id"]
    code, out, _ = run(
        capsys, *LIAISON, "victims", "refer", pseudonym, "shelter", "--service", str(service)
    )
    assert "referral 1 (shelter) requested" in out
    for status in ("accepted", "in_progress", "completed"):
        assert run(capsys, *LIAISON, "victims", "referral", pseudonym, "1", status)[0] == 0
    code, _out, err = run(
        capsys, *LIAISON, "victims", "link-missing", pseudonym, "yellow-2025-77", "--country", "VN"
    )
    assert code == 0, err
    code, out, _ = run(capsys, *LIAISON, "victims", "notify", pseudonym)
    assert "notification 1 queued" in out
    code, out, _ = run(
        capsys,
        *LIAISON,
        "victims",
        "reunite",
        pseudonym,
        "--date",
        "2026-05-10",
        "--relationship",
        "sister",
        "--with",
        "Nguyen Thi Example",
    )
    assert code == 0
    code, out, _ = run(capsys, *LIAISON, "victims", "show", pseudonym)
    assert "Nguyen Van Example" in out and "requested → accepted → in_progress → completed" in out
    code, out, _ = run(capsys, "victims", "outbox", "--json")
    assert orjson.loads(out)[0]["country"] == "VN"
    code, out, _ = run(capsys, "victims", "services", "list", "--country", "SE")
    assert "Safe Harbour" in out


@pytest.mark.parametrize(
    "actor",
    [
        [],  # the console operator: no victim-liaison role
        ["--user", "sv-analyst"],  # the owning agency, but not a liaison officer
        ["--user", "other-liaison"],
        ["--user", "no-liaison"],
    ],
)
def test_pseudonymised_by_default(capsys: pytest.CaptureFixture[str], actor: list[str]) -> None:
    pseudonym = _create(capsys)
    for args in (["show", pseudonym], ["show", pseudonym, "--json"], ["list"], ["list", "--json"]):
        code, out, _ = run(capsys, *actor, "victims", *args)
        assert code == 0
        assert pseudonym in out
        for secret in ("Nguyen", "1990-07-15", "C9876543", "7700 900456", "se-case-p1"):
            assert secret not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["victims", "consent", "@", "referral"], "only victim liaison officers may change"),
        (
            ["--user", "sv-analyst", "victims", "refer", "@", "medical"],
            "only victim liaison officers may change",
        ),
        (
            ["--user", "other-liaison", "victims", "consent", "@", "referral"],
            "only the owning agency",
        ),
        ([*LIAISON, "victims", "consent", "@", "gossip"], "consent scope: unknown value 'gossip'"),
        ([*LIAISON, "victims", "refer", "@", "spa"], "referral kind: unknown value 'spa'"),
        ([*LIAISON, "victims", "referral", "@", "7", "accepted"], "has no referral 7"),
        (
            [*LIAISON, "victims", "reunite", "@", "--date", "2026-02-30", "--relationship", "x"],
            "date: not a date",
        ),
        (["victims", "show", "V-AAAA-AAAA"], "no victim record 'V-AAAA-AAAA'"),
        (["--user", "sheriff", "victims", "show", "@"], "no user named 'sheriff'"),
        (
            ["victims", "services", "add", "Atlantis", "shelter", "X"],
            "country: unknown country 'Atlantis'",
        ),
        (
            [*LIAISON, "victims", "create", "--how", "raid", "--identified-on", "yesterday"],
            "identified_on: not a date",
        ),
    ],
)
def test_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    pseudonym = _create(capsys)
    code, _out, err = run(capsys, *[pseudonym if a == "@" else a for a in args])
    assert code == 2
    assert err.startswith("threadline: error: ") and message in err


def test_every_read_and_change_is_audited(capsys: pytest.CaptureFixture[str]) -> None:
    pseudonym = _create(capsys)
    run(capsys, *LIAISON, "victims", "consent", pseudonym, "interview")
    run(capsys, "--user", "sv-analyst", "victims", "show", pseudonym)
    run(capsys, "--user", "other-liaison", "victims", "list")
    _code, out, _ = run(capsys, "audit", "export")
    events = [orjson.loads(line) for line in out.splitlines()]
    victim = [e for e in events if e["action"].startswith("victim.")]
    assert [(e["action"], e["user"], e["target_id"]) for e in victim] == [
        ("victim.create", "sv-liaison", pseudonym),
        ("victim.consent", "sv-liaison", pseudonym),
        ("victim.read", "sv-analyst", pseudonym),
        ("victim.list", "other-liaison", None),
    ]
    assert victim[2]["detail"] == {"identity_visible": False}
    assert victim[3]["result_count"] == 1
    assert "Nguyen" not in out and "C9876543" not in out


CLOSE = "care completed; returned home"


def test_close_and_reopen(capsys: pytest.CaptureFixture[str]) -> None:
    pseudonym = _create(capsys)
    code, out, err = run(capsys, *LIAISON, "victims", "close", pseudonym, "--reason", CLOSE)
    assert code == 0, err
    assert out.strip() == f"{pseudonym}: closed (reopen with 'threadline victims reopen')."
    # a closed record takes no changes
    code, out, err = run(capsys, *LIAISON, "victims", "refer", pseudonym, "shelter")
    assert code == 2
    assert f"{pseudonym} is closed" in err and f"threadline victims reopen {pseudonym}" in err
    code, out, _ = run(capsys, *LIAISON, "victims", "list")
    assert pseudonym not in out and "No open victim records" in out and "--status all" in out
    code, out, _ = run(capsys, *LIAISON, "victims", "list", "--status", "closed")
    assert pseudonym in out and "closed" in out
    code, out, _ = run(capsys, *LIAISON, "victims", "list", "--status", "all", "--json")
    assert [v["status"] for v in orjson.loads(out)] == ["closed"]
    code, out, err = run(
        capsys, *LIAISON, "victims", "reopen", pseudonym, "--reason", "new need", "--json"
    )
    assert code == 0, err
    data = orjson.loads(out)
    assert data["status"] == "open"
    assert [(s["status"], s["reason"]) for s in data["status_timeline"]] == [
        ("closed", CLOSE),
        ("open", "new need"),
    ]
    code, out, _ = run(capsys, *LIAISON, "victims", "list")
    assert pseudonym in out and "open" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*LIAISON, "victims", "close", "@", "--reason", "  "], "reason: say why"),
        ([*LIAISON, "victims", "reopen", "@", "--reason", "why"], "is open already"),
        (["--user", "sv-analyst", "victims", "close", "@", "--reason", "x"], "only victim liaison"),
        (["--user", "other-liaison", "victims", "close", "@", "--reason", "x"], "owning agency"),
        ([*LIAISON, "victims", "list", "--status", "gone"], "status: unknown value 'gone'"),
    ],
)
def test_close_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    pseudonym = _create(capsys)
    code, _out, err = run(capsys, *[pseudonym if a == "@" else a for a in args])
    assert code == 2
    assert err.startswith("threadline: error: ") and message in err


def test_show_prints_the_whole_record(capsys: pytest.CaptureFixture[str]) -> None:
    pseudonym = _create(capsys)
    run(capsys, *LIAISON, "victims", "consent", pseudonym, "referral", "--note", "explained")
    run(capsys, *LIAISON, "victims", "refer", pseudonym, "shelter", "--note", "bed needed")
    run(capsys, *LIAISON, "victims", "link-missing", pseudonym, "yellow-2025-77", "--country", "VN")
    run(capsys, *LIAISON, "victims", "notify", pseudonym)
    run(capsys, *LIAISON, "victims", "close", pseudonym, "--reason", CLOSE)
    code, out, _ = run(capsys, *LIAISON, "victims", "show", pseudonym)
    assert code == 0
    for expected in (
        "Status: closed",
        CLOSE,
        "Person",
        "Nguyen Van Example",
        "C9876543",
        "Identification",
        "nationality: VN",
        "language: vi",
        "sex: M",
        "minor: no",
        "Consent",
        "explained",
        "Referrals",
        "bed needed",
        "Linked entities",
        "se-case-p1",
        "Missing-person report",
        "yellow-2025-77 (VN)",
        "Notifications",
        "Status history",
    ):
        assert expected in out, expected
    code, out, _ = run(capsys, "--user", "sv-analyst", "victims", "show", pseudonym)
    assert "Status: closed" in out and "Linked entities" in out
    for secret in ("Nguyen", "C9876543", "se-case-p1", "yellow-2025-77", CLOSE):
        assert secret not in out, secret
    code, out, _ = run(capsys, "--user", "sv-analyst", "victims", "show", pseudonym, "--json")
    data = orjson.loads(out)
    assert data["status"] == "closed" and "closed_reason" not in data
    assert data["linked_entities"] == 1 and data["missing_report_linked"] is True

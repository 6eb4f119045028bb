"""``threadline victims``: a liaison officer's workflow; others see pseudonyms only."""

from __future__ import annotations

import orjson
import pytest

from threadline.cli.main import main

LIAISON = ["--as-agency", "test-unit", "--as-country", "SE", "--role", "victim_liaison"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def _create(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(
        capsys,
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
        *LIAISON,
        "--json",
    )
    assert code == 0, err
    return str(orjson.loads(out)["pseudonym"])


def test_care_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    pseudonym = _create(capsys)
    assert run(capsys, "victims", "consent", pseudonym, "referral", *LIAISON)[0] == 0
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
        capsys, "victims", "refer", pseudonym, "shelter", "--service", str(service), *LIAISON
    )
    assert "referral 1 (shelter) requested" in out
    for status in ("accepted", "in_progress", "completed"):
        assert run(capsys, "victims", "referral", pseudonym, "1", status, *LIAISON)[0] == 0
    run(capsys, "victims", "link-missing", pseudonym, "yellow-2025-77", "--country", "VN", *LIAISON)
    code, out, _ = run(capsys, "victims", "notify", pseudonym, *LIAISON)
    assert "notification 1 queued" in out
    code, out, _ = run(
        capsys,
        "victims",
        "reunite",
        pseudonym,
        "--date",
        "2026-05-10",
        "--relationship",
        "sister",
        "--with",
        "Nguyen Thi Example",
        *LIAISON,
    )
    assert code == 0
    code, out, _ = run(capsys, "victims", "show", pseudonym, *LIAISON)
    assert "Nguyen Van Example" in out and "requested → accepted → in_progress → completed" in out
    code, out, _ = run(capsys, "victims", "outbox", "--json")
    assert orjson.loads(out)[0]["country"] == "VN"
    code, out, _ = run(capsys, "victims", "services", "list", "--country", "SE")
    assert "Safe Harbour" in out


@pytest.mark.parametrize(
    "actor",
    [
        [],  # default: configured agency, role analyst
        ["--as-agency", "other-unit", "--role", "victim_liaison"],
        ["--as-country", "NO", "--role", "victim_liaison"],
    ],
)
def test_pseudonymised_by_default(capsys: pytest.CaptureFixture[str], actor: list[str]) -> None:
    pseudonym = _create(capsys)
    for args in (["show", pseudonym], ["show", pseudonym, "--json"], ["list"], ["list", "--json"]):
        code, out, _ = run(capsys, "victims", *args, *actor)
        assert code == 0
        assert pseudonym in out
        for secret in ("Nguyen", "1990-07-15", "C9876543", "7700 900456", "se-case-p1"):
            assert secret not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["consent", "@", "referral"], "only victim liaison officers may change"),
        (
            ["consent", "@", "referral", "--as-agency", "x", "--role", "victim_liaison"],
            "only the owning agency",
        ),
        (["consent", "@", "gossip", *LIAISON], "consent scope: unknown value 'gossip'"),
        (["refer", "@", "spa", *LIAISON], "referral kind: unknown value 'spa'"),
        (["referral", "@", "7", "accepted", *LIAISON], "has no referral 7"),
        (
            ["reunite", "@", "--date", "2026-02-30", "--relationship", "aunt", *LIAISON],
            "date: not a date",
        ),
        (["show", "V-AAAA-AAAA"], "no victim record 'V-AAAA-AAAA'"),
        (["show", "@", "--role", "sheriff"], "--role: unknown role"),
        (["services", "add", "Atlantis", "shelter", "X"], "country: 'Atlantis' is not a country"),
        (
            ["create", "--how", "raid", "--identified-on", "yesterday", *LIAISON],
            "identified_on: not a date",
        ),
    ],
)
def test_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    pseudonym = _create(capsys)
    code, _out, err = run(capsys, "victims", *[pseudonym if a == "@" else a for a in args])
    assert code == 2
    assert err.startswith("threadline: error: ") and message in err

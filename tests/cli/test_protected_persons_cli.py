"""``threadline screen`` and ``threadline trace``: a person with a victim record is protected.

The bureau's officer and analyst see the pseudonym and none of her values, in the
text output and in JSON; the bureau's victim liaison officer sees her.
"""

from __future__ import annotations

import pytest

from support.protected import (
    QUERY,
    REPORT,
    SCREENING_SECRETS,
    SIGHTED,
    TRACING_SECRETS,
    WATCHED,
    Protected,
    build,
)
from threadline.cli.main import main
from threadline.store import open_store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def world() -> Protected:
    store = open_store()
    try:
        return build(store)
    finally:
        store.close()


def _screen(capsys: pytest.CaptureFixture[str], user: str, *extra: str) -> str:
    code, out, err = run(
        capsys, "--user", user, "screen", "person", "--name", QUERY["name"],
        "--dob", QUERY["dob"], "--nationality", QUERY["nationality"], *extra,
    )  # fmt: skip
    assert code == 0, err
    return out


@pytest.mark.parametrize("fmt", [[], ["--json"]], ids=["text", "json"])
def test_officer_screens_a_protected_person(
    capsys: pytest.CaptureFixture[str], world: Protected, fmt: list[str]
) -> None:
    out = _screen(capsys, "sv-officer", *fmt)
    assert world.watched in out and "protected" in out
    for secret in SCREENING_SECRETS:
        assert secret not in out, secret


def test_liaison_screens_with_identity(
    capsys: pytest.CaptureFixture[str], world: Protected
) -> None:
    out = _screen(capsys, "sv-liaison")
    assert WATCHED in out and "not a suspect" in out and world.watched in out


@pytest.mark.parametrize("command", [["leads"], ["leads", "--json"], ["show", "@"]])
def test_analyst_traces_a_protected_person(
    capsys: pytest.CaptureFixture[str], world: Protected, command: list[str]
) -> None:
    args = [world.sighted if a == "@" else a for a in command]
    code, out, err = run(capsys, "--user", "sv-analyst", "trace", *args)
    assert code == 0, err
    assert world.sighted in out and "protected person (possible victim)" in out
    for secret in TRACING_SECRETS:
        assert secret not in out, secret


def test_liaison_traces_with_identity(capsys: pytest.CaptureFixture[str], world: Protected) -> None:
    code, out, err = run(capsys, "--user", "sv-liaison", "trace", "show", REPORT)
    assert code == 0, err
    assert SIGHTED in out and "Reeperbahn" in out

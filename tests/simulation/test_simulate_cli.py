"""``threadline simulate`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.cli.main import main


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code or 0)


def test_simulate_writes_the_world_and_prints_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "w"
    argv = [
        "simulate",
        "--seed",
        "4",
        "--out",
        str(out),
        "--ads",
        "120",
        "--networks",
        "2",
        "--travellers",
        "100",
        "--countries",
        "8",
    ]
    assert _run(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"]["ads"] == 120
    assert (out / "truth.json").exists() and (out / "ads.jsonl").exists()
    # A second run into the same directory needs --force.
    assert _run(argv) == 2
    assert "is not empty (use --force" in capsys.readouterr().err
    assert _run([*argv, "--force"]) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scale", "huge"], "unknown scale 'huge'"),
        (["--networks", "0"], "--networks must be at least 1"),
        (["--noise", "1.5"], "--noise must be between 0 and 1"),
        (["--ads", "5"], "--ads must be at least 10 per network"),
    ],
)
def test_bad_knobs_are_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert _run(["simulate", "--out", str(tmp_path / "x"), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("threadline: error:") and message in err

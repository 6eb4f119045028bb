"""``threadline rules``: the whole life of a rule at the console, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from threadline.cli.main import main

MANIFEST = Path(__file__).parent.parent / "fixtures" / "border" / "manifest.csv"
WHY = ("--purpose", "border_check")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_write_test_activate_screen_retire(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "screen", "manifest", str(MANIFEST), *WHY)[0] == 0
    code, out, _ = run(
        capsys, "rules", "create", "child-alone", "--expression", "minor and booking_adults == 0",
        "--description", "a child with no adult on the booking",
    )  # fmt: skip
    assert code == 0
    assert "Rule child-alone version 1 written as a draft; it uses minor, booking_adults" in out

    code, _, err = run(capsys, "rules", "activate", "child-alone")
    assert code == 2 and err.count("\n") == 1
    assert "has not been back-tested: run 'threadline rules test child-alone --version 1'" in err

    code, out, _ = run(capsys, "rules", "test", "child-alone", *WHY)
    assert code == 0
    assert "1 manifest of the last 30 days, 9 travellers, evaluated on 9" in out
    assert "would have flagged 1" in out
    assert "e.g. R003 on ZZ100 2025-03-01 (manifest.csv): minor yes, booking_adults 0" in out
    assert run(capsys, "rules", "activate", "child-alone")[1].startswith(
        "Rule child-alone version 1 is active."
    )

    code, out, _ = run(capsys, "screen", "manifest", str(MANIFEST), *WHY)
    assert "1 analyst rule match" in out
    assert "consider a safeguarding referral: analyst rule 'child-alone' (version 1)" in out
    code, out, _ = run(capsys, "alerts", "list", "--kind", "rule", *WHY)
    assert "analyst rule (referral)" in out

    code, out, _ = run(capsys, "rules", "list", "--json")
    (item,) = orjson.loads(out)
    assert item["active"]["version"] == 1 and item["latest"]["backtest_flagged"] == 1
    code, out, _ = run(capsys, "rules", "show", "child-alone", *WHY)
    assert "v1 ACTIVE (referral)" in out and "expression: minor and booking_adults == 0" in out
    code, out, _ = run(capsys, "rules", "retire", "child-alone", "--reason", "replaced")
    assert out.startswith("Rule child-alone version 1 is retired.")


def test_refusals_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "rules", "create", "x1", "--expression", "nationality =~ 'N.*'",
        "--description", "why",
    )  # fmt: skip
    assert code == 2 and err.startswith("threadline: error: regular-expression matching")
    code, _, err = run(capsys, "rules", "show", "nothing", *WHY)
    assert code == 2 and "no screening rule 'nothing' for your agency" in err
    code, out, _ = run(capsys, "rules", "fields")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["age", "number", "traveller"]

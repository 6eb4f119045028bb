"""``threadline mrz check``: single MRZs, files of MRZ blocks, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.cli.main import main

TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
# IK4M7AC3X read with a 1 for its I; a visa has no composite to confirm the fix.
VISA_MISREAD = [
    "V<D<<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "1K4M7AC3X1XXX4009078F9612109<<<<<<<<",
]
# A Belgian card whose long number's check digit is computed over the filler too.
BELGIAN = [
    "IDBEL000590240<6013<<<<<<<<<<<",
    "8512017F3111046BEL851201002003",
    "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
]
TD2_BAD_CHECK = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458903UTO7408122F1204159<<<<<<<6",
]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_check_lines_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["mrz", "check", *TD3, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["type"] == "TD3" and data["valid"] is True
    assert data["fields"]["document_number"] == "L898902C3"
    assert {"type", "valid", "checks", "fields", "corrections", "errors"} <= set(data)
    assert data["specimen"] is True
    assert any("specimen" in w for w in data["warnings"])
    (check,) = [c for c in data["check_digits"] if c["check"] == "document_number"]
    assert check == {
        "check": "document_number",
        "passed": True,
        "read": "6",
        "expected": 6,
        "data": "L898902C3",
        "line": 2,
        "position": 10,
        "rule": "icao",
    }
    assert [d["field"] for d in data["dates"]] == ["date_of_birth", "expiry_date"]
    assert data["suggestions"] == [] and data["suggested_fields"] is None


def test_human_output_explains_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["mrz", "check", *TD3], capsys)
    assert code == 0
    assert "TD3 MRZ: valid (SPECIMEN: not a real travel document)" in out
    assert "warning: specimen: issuing state UTO" in out
    assert "date of birth 740812: 1974-08-12, not 2074-08-12" in out
    # Each check digit: what was read, what the data gives, where.
    assert "document_number" in out and "L898902C3" in out and "line 2, position 10" in out


def test_visa_misread_gets_a_suggestion_not_a_correction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["mrz", "check", *VISA_MISREAD], capsys)
    assert code == 0
    assert "MRVB MRZ: INVALID" in out
    assert "corrected" not in out
    assert (
        "suggestion: document_number '1K4M7AC3X' may read 'IK4M7AC3X' "
        "(line 2 position 1: '1' -> 'I')"
    ) in out
    assert "no composite check digit" in out


def test_issuer_variant_is_named_in_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["mrz", "check", *BELGIAN, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["valid"] is True
    assert [v["code"] for v in data["variants"]] == [
        "long_document_number",
        "check_digit_over_filler",
    ]
    _code, out, _ = run(["mrz", "check", *BELGIAN], capsys)
    assert "warning: Belgian check digit over the filler" in out


def test_check_three_lines_human(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["mrz", "check", *TD1], capsys)
    assert code == 0
    assert "TD1 MRZ: valid" in out
    assert "D23145890" in out


def test_invalid_document_still_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["mrz", "check", *TD2_BAD_CHECK, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["valid"] is False
    assert data["checks"]["document_number"] is False
    assert any("document number check digit" in e for e in data["errors"])


def test_file_of_blocks_gives_json_lines_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "\n".join(TD3) + "\n\n\n" + "this is not\nan mrz\n\n" + "\n".join(TD1) + "\n"
    text += "\n" + "\n".join(TD2_BAD_CHECK)
    path = tmp_path / "zones.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(["mrz", "check", "--file", str(path), "--json"], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row.get("type") for row in rows] == ["TD3", None, "TD1", "TD2"]
    assert [row["valid"] for row in rows] == [True, False, True, False]
    assert rows[1]["block"] == 2
    assert "not a machine readable zone" in rows[1]["error"]


def test_file_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "zones.txt"
    path.write_text("\n".join(TD3) + "\n\ngarbage\n", encoding="utf-8")
    code, out, _ = run(["mrz", "check", "--file", str(path)], capsys)
    assert code == 0
    assert "TD3 MRZ: valid" in out and "not an MRZ" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mrz", "check"], "no MRZ given"),
        (["mrz", "check", "--file", "/nonexistent/zones.txt"], "cannot read"),
        (["mrz", "check", "P<UTO", "L898"], "not a machine readable zone"),
    ],
)
def test_usage_errors_exit_two(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("threadline: error:") and message in err

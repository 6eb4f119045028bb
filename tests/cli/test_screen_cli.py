"""``threadline screen``: JSON contracts, human output and one-line errors."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from threadline.cli.main import main
from threadline.screening.sources import clear_cache

BORDER = Path(__file__).parent.parent / "fixtures" / "border"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def world(capsys: pytest.CaptureFixture[str]) -> None:
    clear_cache()
    run(capsys, "ingest", str(BORDER / "notices" / "red" / "2021-11111.json"), "-c", "notices")
    run(capsys, "ingest", str(BORDER / "notices" / "yellow" / "2022-33333.json"), "-c", "notices")
    run(capsys, "collections", "update", "notices", "--kind", "notices")
    run(capsys, "ingest", str(BORDER / "stolen_lost.csv"), "-c", "sltd")


def test_screen_person_json(capsys: pytest.CaptureFixture[str], world: None) -> None:
    code, out, _ = run(
        capsys, "screen", "person", "--name", "Иван Петров", "--dob", "1975-03-14",
        "--sex", "M", "--nationality", "RU", "--json",
    )  # fmt: skip
    assert code == 0
    data = orjson.loads(out)
    assert set(data) == {"query", "decision", "sources", "candidates"}
    best = data["candidates"][0]
    assert best["entity_id"] == "interpol-red-2021-11111"
    assert best["notice"] == "red" and best["decision"] == "match"
    assert {"feature", "weight", "value", "points", "detail"} <= set(best["explanation"][0])
    code, out, _ = run(capsys, "screen", "person", "--name", "Ivan Petrov")
    assert "interpol-red-2021-11111" in out and "name" in out


def test_screen_document_and_mrz(capsys: pytest.CaptureFixture[str], world: None) -> None:
    code, out, _ = run(capsys, "screen", "document", "751234567", "--country", "RUS", "--json")
    assert code == 0
    data = orjson.loads(out)
    assert data["listed"] is True and data["hits"][0]["status"] == "stolen"
    code, out, _ = run(capsys, "screen", "document", "ZZ9999999", "--country", "RUS")
    assert "not listed as stolen or lost" in out
    code, out, _ = run(
        capsys, "screen", "mrz",
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )  # fmt: skip
    assert code == 0
    assert "Document list: LISTED" in out and "Holder: no_match" in out


def test_screen_manifest_json_and_operation(
    capsys: pytest.CaptureFixture[str], world: None
) -> None:
    define = ["ops", "create", "OP-1", "--name", "One", "--start", "2026-03-01"]
    assert run(capsys, *define, "--end", "2026-03-10", "--countries", "SE")[0] == 0
    code, out, _ = run(
        capsys, "screen", "manifest", str(BORDER / "manifest.csv"), "--operation", "OP-1",
        "--country", "SE", "--json",
    )  # fmt: skip
    assert code == 0
    data = orjson.loads(out)
    assert (data["operation"], data["country"], data["travellers"], data["checks"]) == (
        "OP-1",
        "SE",
        9,
        18,
    )
    indicators = {(i["record_id"], i["indicator"]) for i in data["victim_indicators"]}
    assert ("R005", "yellow_notice_match") in indicators
    code, out, _ = run(capsys, "screen", "manifest", str(BORDER / "manifest.edi"))
    assert "Not checked: contact_in_high_risk_ads" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen", "person", "--name", "X", "--purpose", "curiosity"], "unknown purpose"),
        (["screen", "person", "--name", "X", "--purpose", "investigation"], "needs a case"),
        (["screen", "person", "--name", " "], "needs a name"),
        (["screen", "document", "123", "--country", "Atlantis"], "unknown country 'Atlantis'"),
        (["screen", "document", "123", "--expiry", "soon"], "expiry: not a date in the form"),
        (["screen", "manifest", "missing.csv"], "no such file"),
        (["screen", "manifest", str(BORDER / "stolen_lost.csv")], "not a manifest CSV"),
        (["screen", "mrz", "NOT AN MRZ"], "not a machine readable zone"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1

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


def test_screen_manifest_names_its_flight(capsys: pytest.CaptureFixture[str], world: None) -> None:
    code, out, _ = run(capsys, "screen", "manifest", str(BORDER / "manifest.edi"), "--json")
    assert code == 0
    data = orjson.loads(out)
    assert data["source"] == "manifest.edi"
    assert [(f["carrier"], f["number"], f["departure_airport"], f["arrival_airport"])
            for f in data["flights"]] == [("ZZ", "100", "LED", "CDG")]  # fmt: skip
    assert data["flights"][0]["travellers"] == data["travellers"] == 3
    code, out, _ = run(capsys, "screen", "manifest", str(BORDER / "manifest.csv"))
    assert out.splitlines()[0] == (
        "manifest.csv: ZZ100 LED 2025-03-01 10:00 → CDG 2025-03-01 13:30, 9 travellers"
    )


def test_screen_manifest_folder_screens_every_file_and_reports_the_broken_one(
    capsys: pytest.CaptureFixture[str], world: None, tmp_path: Path
) -> None:
    for name in ("manifest.csv", "manifest.edi"):
        (tmp_path / name).write_bytes((BORDER / name).read_bytes())
    (tmp_path / "a-broken.edi").write_text("not a manifest\n")
    (tmp_path / "notes.md").write_text("not read: not a manifest suffix\n")
    code, out, err = run(capsys, "screen", "manifest", str(tmp_path), "--json")
    assert code == 1  # one file could not be screened; the others were
    data = orjson.loads(out)
    assert [m["source"] for m in data["manifests"]] == ["manifest.csv", "manifest.edi"]
    assert [f["source"] for f in data["failed"]] == [str(tmp_path / "a-broken.edi")]
    assert "an interchange must start with UNA or UNB" in data["failed"][0]["error"]
    assert "Not screened:" in err and "a-broken.edi" in err
    totals = data["totals"]
    assert (totals["manifests"], totals["failed"], totals["flights"]) == (2, 1, 2)
    assert totals["travellers"] == sum(m["travellers"] for m in data["manifests"]) == 12
    assert totals["checks"] == 24 and totals["rejected_records"] == 2
    assert totals["listed_documents"] == sum(m["listed_documents"] for m in data["manifests"])
    assert set(totals["hits_by_decision"]) == {"match", "possible", "protected_person"}
    # The same batch for a person: each manifest under its flight, then a totals table.
    code, out, _ = run(
        capsys, "screen", "manifest", str(tmp_path / "manifest.csv"), str(tmp_path / "manifest.edi")
    )
    assert code == 0
    assert out.index("manifest.csv: ZZ100") < out.index("manifest.edi: ZZ100") < out.index("Totals")
    assert "manifests screened" in out and "travellers with safeguarding referrals" in out


def test_screen_manifest_empty_folder_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "screen", "manifest", str(tmp_path))
    assert code == 2
    assert "the folder holds no manifest file" in err and len(err.strip().splitlines()) == 1

"""``threadline ingest`` over several files: one unreadable file never stops the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from threadline.cli.main import main

FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two good files around two it cannot read (in the order the folder is walked)."""
    root = tmp_path / "delivery"
    root.mkdir()
    shutil.copy(FIXTURES / "cases.ftm.jsonl", root / "a_cases.ftm.jsonl")
    (root / "b_notes.txt").write_text("call the liaison officer on Monday\n", encoding="utf-8")
    (root / "c_blank.ftm.jsonl").write_text("\n \n", encoding="utf-8")
    shutil.copy(FIXTURES / "broken.ftm.jsonl", root / "d_broken.ftm.jsonl")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return root


def test_folder_continues_past_unreadable_files_and_reports_them(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    code, out, err = run(capsys, "ingest", str(folder), "-c", "delivery")
    assert code == 2
    assert "a_cases.ftm.jsonl → delivery: read 10, stored 10" in out
    assert "d_broken.ftm.jsonl → delivery: read 10" in out
    assert "Failed: cannot tell the format of " in err and "b_notes.txt" in err
    assert "c_blank.ftm.jsonl" in err and "no records" in err
    assert ".DS_Store" not in out + err
    totals = out.strip().splitlines()[-1]
    assert totals.startswith("4 files: 2 ingested, 2 failed; records read 20, stored ")
    assert err.strip().splitlines()[-1].startswith("threadline: error: 2 of 4 files failed")


def test_folder_json_lists_every_file(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, _ = run(capsys, "ingest", str(folder), "-c", "delivery", "--json")
    assert code == 2
    report = orjson.loads(out)
    assert [Path(f["source"]).name for f in report["files"]] == [
        "a_cases.ftm.jsonl",
        "b_notes.txt",
        "c_blank.ftm.jsonl",
        "d_broken.ftm.jsonl",
    ]
    assert [f["status"] for f in report["files"]] == ["completed", "failed", "failed", "completed"]
    assert "cannot tell the format" in report["files"][1]["error"]
    assert report["totals"]["files_ok"] == 2 and report["totals"]["files_failed"] == 2
    assert report["totals"]["read"] == 20


def test_one_good_file_keeps_its_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "c", "--json")
    assert code == 0
    assert orjson.loads(out)["stored"] == 10


def test_one_unreadable_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "blank.ftm.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", str(path), "-c", "c")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "blank.ftm.jsonl" in err


def test_xlsx_sheet_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    sheet = book.create_sheet("Suspects")
    sheet.append(["case_no", "full_name", "dob", "nationality", "phone", "passport_no"])
    sheet.append(["SE-1", "Anna Eriksson", "12.08.1974", "se", "+44 7700 900123", ""])
    book.save(tmp_path / "cases.xlsx")
    mapping = str(FIXTURES / "suspects.mapping.yml")
    args = ["ingest", str(tmp_path / "cases.xlsx"), "-c", "c", "--mapping", mapping]
    code, _, err = run(capsys, *args)
    assert code == 2 and "sheet 'Cover'" in err
    code, out, _ = run(capsys, *args, "--sheet", "Suspects", "--json")
    assert code == 0 and orjson.loads(out)["stored"] == 1

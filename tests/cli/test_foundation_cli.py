"""The foundation commands as a user runs them: exit codes, one-line errors, JSON."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from threadline.cli.main import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
# Reading person data (entities, exports) needs a purpose; a case reference goes with it.
CASE = ("--purpose", "investigation", "--reference", "CASE-CLI-1")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_ingest_json_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys, "ingest", str(FIXTURES / "broken.ftm.jsonl"), "-c", "cases", "--json"
    )
    assert code == 0
    job = orjson.loads(out)
    assert (job["read"], job["stored"], job["rejected"]) == (10, 5, 5)
    assert job["values_rejected"] == 2
    assert job["collection_created"] is True


def test_new_collection_is_announced(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "fresh")
    assert code == 0
    assert "Created collection 'fresh' (owner test-unit, SE; sharing: owner only)" in err
    assert "read 10, stored 10, rejected 0" in out


def test_jobs_show_lists_rejections(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(FIXTURES / "broken.ftm.jsonl"), "-c", "cases")
    code, out, _ = run(capsys, "jobs", "show", "1", "--json")
    assert code == 0
    data = orjson.loads(out)
    assert [r["position"] for r in data["rejections"]] == [2, 3, 5, 6, 7, 8, 10]
    code, out, _ = run(capsys, "jobs", "show", "1")
    assert "3: unknown schema 'Persn'" in out
    code, out, _ = run(capsys, "jobs", "list", "--json")
    assert [j["id"] for j in orjson.loads(out)] == [1]


def test_paxlst_warnings_are_reported_and_shown(capsys: pytest.CaptureFixture[str]) -> None:
    paxlst = FIXTURES / "border" / "paxlst"
    code, out, _ = run(capsys, "ingest", str(paxlst / "text_places.edi"), "-c", "api")
    assert code == 0
    assert "read 2, stored 2, rejected 0, warnings 2" in out
    assert "See the rejections and warnings with 'threadline jobs show 1'." in out
    code, out, _ = run(capsys, "jobs", "show", "1")
    assert "37: TP0002: segment 37 (LOC+91+'): LOC+91 without a place" in out
    code, out, _ = run(capsys, "jobs", "show", "1", "--json")
    assert [w["position"] for w in orjson.loads(out)["warning_report"]] == [26, 37]
    code, _, err = run(capsys, "ingest", str(paxlst / "no_traveller.edi"), "-c", "api")
    assert code == 2
    assert err.count("\n") == 1 and "no traveller could be read" in err


def test_export_to_file_and_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "cases")
    code, out, _ = run(capsys, "export", "-c", "cases", *CASE)
    assert code == 0
    assert len(out.splitlines()) == 10
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "out.ftm.jsonl"
    code, _, err = run(capsys, "export", "-c", "cases", "--out", str(target), *CASE)
    assert "Wrote 10 entities" in err
    assert target.read_text(encoding="utf-8") == out
    # A refused export (no purpose, or no such collection) leaves the earlier file whole.
    for refused in ([], ["-c", "nope", *CASE]):
        argv = ["export", "-c", "cases", *refused, "--out", str(target)]
        code, _, err = run(capsys, *argv)
        assert code == 2, err
        assert target.read_text(encoding="utf-8") == out
    assert [p.name for p in target.parent.iterdir()] == ["out.ftm.jsonl"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "missing.jsonl", "-c", "x"], "no such file or folder: missing.jsonl"),
        (["ingest", "x.jsonl"], "Missing option '--collection'"),
        (["jobs", "show", "42"], "no job with id 42"),
        (["jobs", "show", "abc"], "Invalid value for 'job_id'"),
        (["export", "-c", "nope", *CASE], "no collection named 'nope'"),
        (["export", "-c", "x", "--format", "xml"], "unknown export format 'xml'"),
        (["collections", "create", "Bad Name"], "invalid collection name"),
        (["entities", "show", "ghost", *CASE], "no entity with id 'ghost'"),
        # No lookup happens before the purpose is known, so without one a missing (or
        # hidden) collection or entity answers like any other: the purpose is asked for.
        (["export", "-c", "nope"], "a person query needs a purpose"),
        (["entities", "show", "ghost"], "a person query needs a purpose"),
        (["nonsense"], "No such command 'nonsense'"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert err.startswith("threadline: error: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_collections_lifecycle(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The console's administrator creates a collection for another, registered agency...
    code, _, err = run(capsys, "collections", "create", "red-notices", "--agency", "NCB Paris")
    assert code == 2 and "no agency named 'NCB Paris'" in err
    assert run(capsys, "agencies", "create", "NCB Paris", "--country", "FR")[0] == 0
    code, out, _ = run(
        capsys,
        "collections",
        "create",
        "red-notices",
        "--kind",
        "notices",
        "--country",
        "FR",
        "--agency",
        "NCB Paris",
        "--sharing",
        "countries",
        "--shared-with",
        "de,es",
        "--json",
    )
    assert code == 0
    assert orjson.loads(out)["shared_countries"] == ["DE", "ES"]
    # ...which the owner then governs: to the creator (SE, not listed) it is not there.
    code, _, err = run(capsys, "collections", "update", "red-notices", "--sharing", "all")
    assert code == 2 and "no collection named 'red-notices'" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    roles = ("--roles", "operation_coordinator", "--password-stdin")
    assert run(capsys, "users", "create", "paris-coord", "--agency", "NCB Paris", *roles)[0] == 0
    code, out, _ = run(
        capsys,
        *("--user", "paris-coord"),
        *("collections", "update", "red-notices", "--sharing", "all", "--json"),
    )
    assert code == 0
    data = orjson.loads(out)
    assert (data["sharing"], data["shared_countries"]) == ("all", [])
    code, out, _ = run(capsys, "collections", "show", "red-notices", "--json")  # now shared
    assert code == 0 and orjson.loads(out)["entities"] == 0


def test_merge_and_split_commands(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "cases")
    code, out, _ = run(capsys, "entities", "merge", "se-case-p1", "se-case-p2", "--json")
    assert code == 0
    merged = orjson.loads(out)["id"]
    code, out, _ = run(capsys, "entities", "show", "se-case-p2", "--json", *CASE)
    assert code == 0
    view = orjson.loads(out)
    assert view["id"] == merged
    assert {v["source_id"] for v in view["values"]} == {"se-case-p1", "se-case-p2"}
    # the id 'entities merge' printed opens the merged entity too
    code, out, err = run(capsys, "entities", "show", merged, "--json", *CASE)
    assert code == 0, err
    assert orjson.loads(out)["id"] == merged
    _code, out, _ = run(capsys, "entities", "split", merged, "--json")
    assert orjson.loads(out)["remaining"] == []
    code, out, _ = run(capsys, "entities", "show", "se-case-p2", "--json", *CASE)
    assert code == 0 and orjson.loads(out)["id"] == "se-case-p2"

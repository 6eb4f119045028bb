"""``threadline ops`` as a coordinator uses it: define, submit, revise, confirm, report."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from pypdf import PdfReader

from threadline.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


OPERATION_YML = """\
code: LIBRA-2026
name: Libra
edition: "2026"
start: 2026-09-01
end: 2026-09-10
coordinators: [INTERPOL, Frontex]
focus: [forced_labour, migrant_smuggling]
countries:
  - {country: ES, contact_agency: Policia Nacional UCRIF}
  - {country: MA, contact_agency: DGSN}
  - SN
hotspots: [Algeciras, Tarifa]
border_points: [Ceuta]
"""


@pytest.fixture
def outcomes(tmp_path: Path) -> dict[str, Path]:
    files = {
        "es.csv": "metric,value\narrests_trafficking,9\narrests_smuggling,21\nvictims_rescued,33\n"
        "victims_minors,4\nflights_checked,120\nnotices.red,1\n",
        "es2.csv": "metric,value\narrests_trafficking,11\narrests_smuggling,21\n"
        "victims_rescued,35\nvictims_minors,4\nflights_checked,120\nnotices.red,1\n",
        "ma.json": '{"arrests_smuggling": 40, "migrants_identified": 610,'
        ' "migrant_nationalities": {"GN": 300, "ML": 200}}',
        "bad.csv": "metric,value\narrests_trafficking,9\nvictim_rescued,3\n",
        "neg.csv": "metric,value\nvictims_rescued,-3\n",
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _users(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Spain's bureau (submits Spain's figures) and a coordinator at Frontex."""
    run(capsys, "agencies", "create", "UCRIF", "--country", "ES")
    run(capsys, "agencies", "create", "Frontex", "--country", "PL")
    for name, agency, roles in (
        ("ucrif", "UCRIF", "analyst"),
        ("frontex", "Frontex", "operation_coordinator"),
    ):
        monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
        args = ["users", "create", name, "--agency", agency, "--roles", roles, "--password-stdin"]
        assert run(capsys, *args)[0] == 0


def test_operation_lifecycle(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    outcomes: dict[str, Path],
) -> None:
    _users(capsys, monkeypatch)
    spec = tmp_path / "op.yml"
    spec.write_text(OPERATION_YML, encoding="utf-8")
    code, out, err = run(capsys, "--user", "ucrif", "ops", "create", "--file", str(spec))
    assert code == 2 and "only operation coordinators may define" in err
    code, out, _ = run(capsys, "--user", "frontex", "ops", "create", "--file", str(spec), "--json")
    assert code == 0
    assert [p["country"] for p in orjson.loads(out)["participants"]] == ["ES", "MA", "SN"]
    ucrif = ["--user", "ucrif", "ops", "submit", "LIBRA-2026"]
    assert run(capsys, *ucrif, "ES", str(outcomes["es.csv"]))[0] == 0
    code, _, err = run(capsys, *ucrif, "MA", str(outcomes["ma.json"]))
    assert code == 2 and "only an agency of MA (or a coordinator) may submit" in err
    assert (
        run(capsys, "ops", "submit", "LIBRA-2026", "MA", str(outcomes["ma.json"]), "--confirm")[0]
        == 0
    )
    code, out, _ = run(capsys, *ucrif, "ES", str(outcomes["es2.csv"]), "--note", "two late arrests")
    assert "revision 2, preliminary" in out
    code, out, _ = run(capsys, "--user", "frontex", "ops", "confirm", "LIBRA-2026", "ES")
    assert "revision 3, confirmed" in out
    code, out, _ = run(capsys, "ops", "history", "LIBRA-2026", "ES")
    entries = out.split("\nr")
    assert len(entries) == 3
    assert "two late arrests" in entries[1]
    assert "arrests_trafficking: 9 → 11" in entries[1] and "victims_rescued: 33 → 35" in entries[1]
    assert "flights_checked" not in entries[1]  # resent unchanged: not a change
    assert "confirmed" in entries[2] and "by frontex" in entries[2]
    code, out, _ = run(capsys, "ops", "show", "LIBRA-2026", "--json")
    shown = orjson.loads(out)
    assert shown["totals"]["arrests_total"] == 72
    assert shown["headline"].startswith("Operation Libra (2026): 3 countries across two continents")
    assert shown["status"] == "preliminary"  # SN has not reported
    code, out, _ = run(capsys, "ops", "list", "--json")
    assert [o["code"] for o in orjson.loads(out)] == ["LIBRA-2026"]
    for fmt in ("html", "pdf", "csv"):
        target = tmp_path / f"libra.{fmt}"
        code, _, err = run(
            capsys, "ops", "report", "LIBRA-2026", "--format", fmt, "--out", str(target)
        )
        assert code == 0 and "preliminary figures" in err
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(tmp_path / "libra.pdf").pages).split()
    )
    assert "72 arrests (11 for trafficking, 82 for smuggling)" not in text
    assert "72 arrests (11 for trafficking, 61 for smuggling)" in text
    assert "610 irregular migrants identified" in text
    # without --out the report goes to standard output, as written to the file
    code, out, err = run(capsys, "ops", "report", "LIBRA-2026", "--format", "csv")
    assert code == 0 and err == ""
    assert out == (tmp_path / "libra.csv").read_text(encoding="utf-8")


def test_create_from_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "ops",
        "create",
        "WEKA-III",
        "--name",
        "Weka",
        "--edition",
        "III",
        "--start",
        "2026-06-01",
        "--end",
        "2026-06-30",
        "--countries",
        "KE=DCI,UG,TZ",
        "--focus",
        "forced_labour",
        "--coordinator",
        "INTERPOL",
        "--json",
    )
    assert code == 0
    data = orjson.loads(out)
    assert data["participants"][0] == {"country": "KE", "contact_agency": "DCI"}
    assert data["coordinators"] == ["INTERPOL"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["submit", "LIBRA-2026", "ES", "@bad.csv"], "line 3: unknown metric 'victim_rescued'"),
        (["submit", "LIBRA-2026", "ES", "@neg.csv"], "victims_rescued: a count cannot be negative"),
        (["submit", "LIBRA-2026", "FR", "@es.csv"], "FR is not a participating country"),
        (["submit", "LIBRA-2026", "ZZ", "@es.csv"], "country: unknown country 'ZZ'"),
        (["submit", "LIBRA-2026", "ES", "missing.csv"], "no such file: missing.csv"),
        (["confirm", "LIBRA-2026", "SN"], "SN has submitted no figures"),
        (
            ["report", "LIBRA-2026", "--format", "docx", "--out", "x.docx"],
            "unknown report format 'docx'",
        ),
        (["show", "NOPE"], "no operation with code 'NOPE'"),
        (
            ["create", "X1", "--start", "2026-09-31", "--end", "2026-10-01", "--countries", "ES"],
            "start: not a date in the form YYYY-MM-DD: '2026-09-31'",
        ),
        (
            [
                "create",
                "X1",
                "--start",
                "2026-09-01",
                "--end",
                "2026-10-01",
                "--countries",
                "ES,Mordor",
            ],
            "countries: unknown country 'Mordor'",
        ),
        (["create", "--file", "absent.yml"], "no such file: absent.yml"),
    ],
)
def test_errors_are_one_clear_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    outcomes: dict[str, Path],
    args: list[str],
    message: str,
) -> None:
    spec = tmp_path / "op.yml"
    spec.write_text(OPERATION_YML, encoding="utf-8")
    run(capsys, "ops", "create", "--file", str(spec))
    argv = [str(outcomes[a[1:]]) if a.startswith("@") else a for a in args]
    code, _out, err = run(capsys, "ops", *argv)
    assert code == 2
    assert err.startswith("threadline: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_partial_resubmission_keeps_the_other_metrics(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    outcomes: dict[str, Path],
) -> None:
    """Resending one corrected figure changes that figure only; the other six stay."""
    _users(capsys, monkeypatch)
    spec = tmp_path / "op.yml"
    spec.write_text(OPERATION_YML, encoding="utf-8")
    assert run(capsys, "ops", "create", "--file", str(spec))[0] == 0
    ucrif = ["--user", "ucrif", "ops", "submit", "LIBRA-2026", "ES"]
    assert run(capsys, *ucrif, str(outcomes["es.csv"]))[0] == 0
    one = tmp_path / "one.csv"
    one.write_text("metric,value\nvictims_rescued,35\n", encoding="utf-8")
    code, out, err = run(capsys, *ucrif, str(one), "--note", "recount at the shelter")
    assert code == 0, err
    assert "revision 2" in out and "victims_rescued 33 → 35" in out and "5 kept" in out
    code, out, _ = run(capsys, "ops", "show", "LIBRA-2026", "--json")
    (spain,) = [c for c in orjson.loads(out)["countries"] if c["country"] == "ES"]
    assert spain["figures"] == {
        "arrests_trafficking": 9,
        "arrests_smuggling": 21,
        "victims_rescued": 35,
        "victims_minors": 4,
        "flights_checked": 120,
        "notices": {"red": 1},
    }
    code, out, _ = run(capsys, "ops", "history", "LIBRA-2026", "ES")
    latest = out.split("\nr")[-1]
    assert "by ucrif" in latest and "recount at the shelter" in latest
    assert "victims_rescued: 33 → 35" in latest and "arrests_trafficking" not in latest


def test_history_json_is_the_api_answer(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    outcomes: dict[str, Path],
) -> None:
    """``ops history --json`` and ``GET …/outcomes/{country}`` give the same entries."""
    from fastapi.testclient import TestClient

    from threadline.api.app import create_app
    from threadline.governance.identity import issue_token
    from threadline.store import open_store

    _users(capsys, monkeypatch)
    spec = tmp_path / "op.yml"
    spec.write_text(OPERATION_YML, encoding="utf-8")
    assert run(capsys, "ops", "create", "--file", str(spec))[0] == 0
    ucrif = ["--user", "ucrif", "ops", "submit", "LIBRA-2026", "ES"]
    assert run(capsys, *ucrif, str(outcomes["es.csv"]))[0] == 0
    assert run(capsys, *ucrif, str(outcomes["es2.csv"]), "--note", "two late arrests")[0] == 0
    assert run(capsys, "--user", "frontex", "ops", "confirm", "LIBRA-2026", "ES")[0] == 0
    code, out, _ = run(capsys, "ops", "history", "LIBRA-2026", "ES", "--json")
    assert code == 0
    cli = orjson.loads(out)
    assert [c["changes"] for c in cli[1:]] == [
        [
            {"metric": "arrests_trafficking", "old": 9, "new": 11},
            {"metric": "victims_rescued", "old": 33, "new": 35},
        ],
        [],
    ]
    store = open_store()
    try:
        with store.begin() as conn:
            token = issue_token(conn, "ucrif", "tests")
        with TestClient(create_app(store)) as client:
            answer = client.get(
                "/api/v1/operations/LIBRA-2026/outcomes/ES",
                headers={"Authorization": f"Bearer {token}"},
            )
    finally:
        store.close()
    assert answer.status_code == 200, answer.text
    assert answer.json()["items"] == cli

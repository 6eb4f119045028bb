"""The README's first command, without serving: a world loaded, a user per role."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.cli.main import main
from threadline.governance.identity import authenticate
from threadline.store import open_store
from threadline.store.collections import list_collections


def test_demo_loads_a_world_and_prints_working_credentials(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--no-serve", "--world", str(tmp_path / "world")])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "simulated a world" in out
    ingested = [line for line in out.splitlines() if "ingested" in line]
    assert len(ingested) >= 10
    assert all(line.endswith(", 0 rejected") for line in ingested), ingested
    store = open_store()
    with store.connect() as conn:
        names = {c.name for c in list_collections(conn)}
    assert {"identified-persons", "cases-gb", "interpol-red", "sltd", "manifests"} <= names
    assert "operation DEMO-LIBERTY" in out and "built the network graph" in out
    assert "analysed 400 ads" in out
    assert "person records across countries" in out and "missing-person reports" in out
    waiting = next(line for line in out.splitlines() if "wait in the inbox" in line)
    assert int(waiting.split("new alerts")[0].split()[-1]) > 0  # the demo shows a filled inbox
    rows = [line.split("│") for line in out.splitlines() if "│ analyst" in line]
    password = rows[0][3].strip()
    assert authenticate(store, "analyst", password).username == "analyst"


def test_an_operation_runs_end_to_end_on_the_simulated_world(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Create, screen under it, submit from three countries, revise, report in three formats."""
    from pypdf import PdfReader

    with pytest.raises(SystemExit):
        main(["demo", "--no-serve", "--world", str(tmp_path / "world")])
    capsys.readouterr()
    revision = tmp_path / "fr.json"
    revision.write_text('{"arrests_trafficking": 6, "victims_identified": 11}', encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--user", "coordinator", "ops", "submit", "DEMO-LIBERTY", "FR", str(revision)])
    assert done.value.code == 0
    for fmt in ("pdf", "html", "csv"):
        with pytest.raises(SystemExit) as done:
            out = tmp_path / f"report.{fmt}"
            main(
                [
                    "--user",
                    "coordinator",
                    "ops",
                    "report",
                    "DEMO-LIBERTY",
                    "--format",
                    fmt,
                    "--out",
                    str(out),
                ]
            )
        assert done.value.code == 0 and out.stat().st_size > 0
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "3 countries" in text
    assert "800 database checks" in text  # counted from the manifests screened under it
    assert "16 arrests" in text  # GB 7 + ES 3 + FR's revision 6
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "DEMO-LIBERTY" in html


def test_demo_refuses_an_unknown_scale_before_writing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--no-serve", "--scale", "huge", "--world", str(tmp_path / "world")])
    assert done.value.code != 0
    assert "unknown scale 'huge'" in capsys.readouterr().err
    assert not (tmp_path / "world").exists()


def test_demo_seed_gives_another_world(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import orjson

    with pytest.raises(SystemExit) as done:
        main(["demo", "--no-serve", "--seed", "2", "--world", str(tmp_path / "world")])
    assert done.value.code == 0
    truth = orjson.loads((tmp_path / "world" / "truth.json").read_bytes())
    assert (truth["seed"], truth["scale"]) == (2, "small")

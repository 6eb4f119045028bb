"""``threadline match pairs`` as a user runs it: JSON lines, table, bad rows."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from threadline.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pairs.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_pairs_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = write(
        tmp_path,
        "name1,name2,schema\n"
        "Aleksandr Shcherbakov,Александр Щербаков,\n"
        "Maria Gonzalez,Dmitri Volkov,Person\n"
        "Acme Trading Ltd,ACME TRADING LLC,Company\n",
    )
    code, out, err = run(capsys, "match", "pairs", csv_file, "--json")
    assert code == 0, err
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert [row["match"] for row in rows] == [True, False, True]
    assert [row["decision"] for row in rows] == ["match", "no_match", "match"]
    assert set(rows[0]) == {"name1", "name2", "score", "decision", "match"}
    assert rows[0]["score"] > 0.9 > rows[1]["score"]


def test_bad_rows_are_reported_and_the_rest_processed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = write(
        tmp_path,
        "name1,name2,schema\n,Nobody,\nJohn Smith,Jon Smith,Spaceship\nJohn Smith,Jon Smith,\n",
    )
    code, out, err = run(capsys, "match", "pairs", csv_file, "--json")
    assert code == 1
    assert "row 1: name1 and name2 must both be given" in err
    assert "row 2: unknown schema 'Spaceship'" in err
    assert len(out.splitlines()) == 1


def test_table_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = write(tmp_path, "name1,name2\nMukhammad Karimov,Mohammed Karimov\n")
    code, out, _err = run(capsys, "match", "pairs", csv_file)
    assert code == 0
    assert "Mukhammad Karimov" in out and "match" in out


def test_vessels_and_the_three_decisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Forced labour at sea: vessel names are matched like organisations', ship-type
    prefixes aside, and a "possible" is shown as such, not folded into "no"."""
    csv_file = write(
        tmp_path,
        "name1,name2,schema\n"
        "MV Ocean Star,OCEAN STAR,Vessel\n"
        "FV Hai Feng 718,Hai Feng 718,Vessel\n"
        "Ocean Star,Northern Light,Vessel\n"
        "Anna Ivanova,Anna Ivanov Smirnova,Person\n",
    )
    code, out, err = run(capsys, "match", "pairs", csv_file, "--json")
    assert code == 0, err
    decisions = [orjson.loads(line)["decision"] for line in out.splitlines()]
    assert decisions[:3] == ["match", "match", "no_match"]
    assert decisions[3] in {"possible", "no_match"}
    code, out, _err = run(capsys, "match", "pairs", csv_file)
    assert "no match" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [("first,second\nA,B\n", "missing name1, name2"), (None, "cannot read")],
)
def test_unusable_file_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | None, message: str
) -> None:
    path = write(tmp_path, text) if text is not None else str(tmp_path / "absent.csv")
    code, _out, err = run(capsys, "match", "pairs", path)
    assert code == 2
    assert err.startswith("threadline: error:") and message in err

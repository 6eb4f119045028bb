"""Outcome files: every metric name and value is checked, with the bad field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.exc import InputError
from threadline.operations.metrics import read_figures, validate_figures


def test_csv_and_json_give_the_same_figures(tmp_path: Path) -> None:
    csv_file = tmp_path / "fr.csv"
    csv_file.write_text(
        "metric,value\n"
        "arrests_trafficking,12\n"
        'victims_rescued,"1,204"\n'
        "victims_minors,80\n"
        "notices.red,3\n"
        "notices.Yellow,2\n"
        "migrant_nationalities.SY,40\n"
        "migrants_identified,55\n"
        "forms_of_exploitation,forced_labour;sexual exploitation\n"
        "assets_seized_eur,15000.50\n",
        encoding="utf-8",
    )
    json_file = tmp_path / "fr.json"
    json_file.write_text(
        '{"arrests_trafficking": 12, "victims_rescued": 1204, "victims_minors": 80,'
        ' "notices": {"red": 3, "yellow": 2}, "migrant_nationalities": {"Syria": 40},'
        ' "migrants_identified": 55,'
        ' "forms_of_exploitation": ["forced_labour", "sexual_exploitation"],'
        ' "assets_seized_eur": 15000.5}',
        encoding="utf-8",
    )
    from_csv, from_json = read_figures(csv_file), read_figures(json_file)
    assert from_csv == from_json
    assert from_csv["notices"] == {"red": 3, "yellow": 2}
    assert from_csv["migrant_nationalities"] == {"SY": 40}
    assert from_csv["victims_rescued"] == 1204


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"arrests_trafikking": 3}, "unknown metric 'arrests_trafikking'"),
        ({"arrests_trafficking": -2}, "arrests_trafficking: a count cannot be negative"),
        ({"victims_rescued": "many"}, "victims_rescued: expected a whole number"),
        ({"victims_rescued": 2.5}, "victims_rescued: expected a whole number"),
        ({"notices.pink": 1}, "notices.pink: unknown key 'pink'"),
        ({"migrant_nationalities.XX": 1}, "migrant_nationalities.XX: 'XX' is not a country"),
        ({"forms_of_exploitation": "organ_trade"}, "unknown code 'organ_trade'"),
        ({"assets_seized_eur": -10}, "assets_seized_eur: an amount cannot be negative"),
        ({"victims_identified": 5, "victims_minors": 6}, "victims_minors (6) exceeds"),
        ({"database_checks": 5, "database_hits": 9}, "database_hits (9) exceeds database_checks"),
    ],
)
def test_bad_figures_name_the_field(figures: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_figures(figures)


def test_csv_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "es.csv"
    path.write_text("metric,value\narrests_other,4\nvictims_rescued,-1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"es.csv, line 3: victims_rescued: a count cannot be"):
        read_figures(path)


def test_missing_file_and_bad_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_figures(tmp_path / "nope.csv")
    bad = tmp_path / "bad.json"
    bad.write_text('{"arrests_other": 1,', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read_figures(bad)

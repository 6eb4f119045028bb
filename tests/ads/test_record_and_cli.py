from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.ads import parse_ad
from threadline.cli.main import main
from threadline.exc import InputError

GOOD = {
    "id": "ad-7", "platform": "example-classifieds", "url": "https://example.org/7",
    "posted_at": "2024-05-01T10:00:00+02:00", "country": "fr", "location": "Lyon",
    "title": "Serveuse", "text": "Appelez le 06 39 98 12 34",
    "poster": {"handle": "lola"}, "images": [{"phash": "d1c4a0f0e0c0b0a0"}],
}  # fmt: skip


def test_parse_ad_normalises() -> None:
    ad = parse_ad(GOOD)
    assert ad.country == "FR" and ad.poster is not None and ad.poster.handle == "lola"
    assert ad.images[0].phash == "d1c4a0f0e0c0b0a0"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": None}, "missing field 'id'"),
        ({"text": None}, "missing field 'text'"),
        ({"text": "  "}, "field 'text' is empty"),
        ({"posted_at": "01/05/2024"}, "not an ISO 8601 date"),
        ({"country": "Atlantis"}, "not an ISO 3166 country"),
        ({"images": [{"size": 3}]}, "images[0]"),
        ({"poster": "lola"}, "field 'poster' must be an object"),
    ],
)
def test_parse_ad_rejects_with_reason(change: dict[str, object], message: str) -> None:
    record = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_ad(record)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_cli_extract_reports_bad_lines_and_continues(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ads.jsonl"
    lines = [json.dumps(GOOD), "{oops", json.dumps({**GOOD, "id": "ad-8", "country": "XX"}),
             json.dumps({**GOOD, "id": "ad-9"})]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = _run(["ads", "extract", str(path), "--json"], capsys)
    assert [r.get("id") for r in rows] == ["ad-7", None, None, "ad-9"]
    assert rows[1]["position"] == 2 and "JSON" in str(rows[1]["error"])
    assert rows[2]["position"] == 3 and "country" in str(rows[2]["error"])
    assert rows[0]["phones"] == [
        {"value": "+33639981234", "spans": [{"field": "text", "start": 11, "end": 25}],
         "attributes": {"obscured": False, "methods": []}}
    ]  # fmt: skip


def test_cli_score_from_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ads.csv"
    path.write_text(
        "id,platform,url,posted_at,country,location,title,text\n"
        'c1,x,https://example.org/c1,2024-05-01,GB,London,Jobs,"URGENT, no experience needed, '
        'we keep your passport. WhatsApp 07700 900123"\n',
        encoding="utf-8",
    )
    (row,) = _run(["ads", "score", str(path), "--json"], capsys)
    assert row["id"] == "c1" and float(row["risk"]) > 0.3  # type: ignore[arg-type]
    assert "recruitment.passport_retention" in {i["id"] for i in row["indicators"]}  # type: ignore[union-attr,index]


def test_cli_missing_file_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ads", "extract", "/nonexistent/ads.jsonl"])
    assert exit_info.value.code == 2
    assert "no such file" in capsys.readouterr().err


FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize("command", ["score", "extract"])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cases.ftm.jsonl", (FIXTURES / "cases.ftm.jsonl").read_bytes()),
        ("suspects.csv", (FIXTURES / "suspects.csv").read_bytes()),
        ("photo.jsonl", bytes(range(256)) * 40),
        ("photo.csv", b"id,text\n" + bytes(range(128, 256)) * 40),
        ("two.jsonl", b'{"schema": "Person"}\n{"schema": "Person"}\n'),
    ],
)
def test_a_file_that_is_not_ads_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["ads", command, str(path)])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"{path} does not look like ads:" in err


def test_bad_lines_before_the_first_good_ad_are_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ads.jsonl"
    lines = ["{oops", json.dumps({**GOOD, "country": "XX"}), json.dumps(GOOD)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = _run(["ads", "score", str(path)], capsys)
    assert [r.get("position") for r in rows] == [1, 2, None]
    assert rows[2]["id"] == "ad-7"

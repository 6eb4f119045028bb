"""What the command line prints reads as text: "1 ad", never "1 ads"; "NO, SE", never a
Python list."""

from __future__ import annotations

import pytest

from threadline.cli.output import counted


@pytest.mark.parametrize(
    ("number", "noun", "plural", "text"),
    [
        (1, "ad", None, "1 ad"),
        (0, "lead", None, "0 leads"),
        (2, "hit", None, "2 hits"),
        (1204, "traveller", None, "1,204 travellers"),
        (1, "safeguarding indicator", None, "1 safeguarding indicator"),
        (3, "person", "people", "3 people"),
    ],
)
def test_counted(number: int, noun: str, plural: str | None, text: str) -> None:
    assert counted(number, noun, plural) == text


def test_values_are_shown_as_people_read_them() -> None:
    from datetime import UTC, datetime

    from threadline.cli.output import shown

    assert shown(["NO", "SE"]) == "NO, SE"
    assert (shown(None), shown([]), shown(True), shown(False)) == ("-", "-", "yes", "no")
    assert shown(1234567) == "1,234,567"
    assert shown(datetime(2026, 12, 7, 4, 49, tzinfo=UTC)) == "2026-12-07 04:49 UTC"
    assert shown("2031-12-07T04:49:22.918748+00:00") == "2031-12-07 04:49 UTC"
    assert shown("2031-12-07 is not a time") == "2031-12-07 is not a time"


def test_collections_show_prints_no_python_reprs(capsys: pytest.CaptureFixture[str]) -> None:
    from threadline.cli.main import main

    for args in (
        ["collections", "create", "oslo-ads", "--kind", "ads", "--sharing", "countries",
         "--shared-with", "SE,NO"],
        ["collections", "show", "oslo-ads"],
    ):  # fmt: skip
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code in (0, None)
    out = capsys.readouterr().out
    assert "shared countries  NO, SE" in out
    for repr_text in ("['", "None", "False", "+00:00"):
        assert repr_text not in out

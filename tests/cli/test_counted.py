"""Counts read as sentences: "1 ad", "2 ads", never "1 ads"."""

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

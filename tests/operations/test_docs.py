"""Every outcome metric is documented (an undocumented metric fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.operations.metrics import NOTICE_COLOURS, metric_catalogue

DOC = (Path(__file__).parents[2] / "docs" / "operations.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [m.name for m in metric_catalogue()])
def test_metric_is_documented(name: str) -> None:
    assert f"| `{name}` |" in DOC


@pytest.mark.parametrize("colour", NOTICE_COLOURS)
def test_notice_colour_is_documented(colour: str) -> None:
    assert f"`{colour}`" in DOC

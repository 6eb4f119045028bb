"""IATA codes placed: country and position for trails and maps."""

from __future__ import annotations

import pytest

from threadline.primitives.airports import airport


def test_known_airports() -> None:
    cmn = airport("cmn ")
    assert cmn is not None
    assert (cmn.country, cmn.city) == ("MA", "Casablanca")
    assert cmn.lat == pytest.approx(33.37, abs=0.05) and cmn.lon == pytest.approx(-7.59, abs=0.05)
    assert cmn.describe() == "CMN (Casablanca, MA)"
    assert airport("MNL") is not None and airport("MNL").country == "PH"  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["", None, "ZZZ9", "XQZ"])
def test_unknown_codes_are_none(code: str | None) -> None:
    assert airport(code) is None

from __future__ import annotations

import pytest

from threadline.primitives.phones import is_fiction, normalise_phone


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("07700 900123", "GB", "+447700900123"),
        ("020 7946 0123", "GB", "+442079460123"),
        ("0114 496 0999", "GB", "+441144960999"),
        ("06 39 98 12 34", "FR", "+33639981234"),
        ("01 99 00 12 34", "FR", "+33199001234"),
        ("(212) 555-0142", "US", "+12125550142"),
        ("0491 570 156", "AU", "+61491570156"),
        ("+46 70 174 06 05", None, "+46701740605"),
        ("555-0142", "US", None),
        ("12", "GB", None),
        ("not a number", "GB", None),
    ],
)
def test_normalise(raw: str, region: str | None, expected: str | None) -> None:
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("number", "fiction"),
    [
        ("+447700900000", True),
        ("+447700901000", False),
        ("+12125550199", True),
        ("+12125550200", False),
        ("+442079461000", False),
    ],
)
def test_fiction_ranges(number: str, fiction: bool) -> None:
    assert is_fiction(number) is fiction

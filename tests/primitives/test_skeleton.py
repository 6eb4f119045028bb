"""A name part's consonant skeleton: what its romanisations and its Arabic-script spelling
share once vowels and the letters written for them are left out."""

from __future__ import annotations

import pytest

from threadline.primitives.names import part_token
from threadline.primitives.skeleton import skeleton


def _skeleton(part: str) -> str | None:
    token = part_token(part)
    assert token is not None
    return skeleton(token)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("منصور", "Mansoor"),
        ("منصور", "Mansour"),
        ("الحسن", "Hassan"),
        ("المصري", "Masry"),
        ("المصري", "Masri"),
        ("إبراهيم", "Ebrahim"),
        ("محمد", "Muhammad"),
        ("Mohamed", "Muhammad"),
        ("خديجة", "Khadidja"),
        ("يوسف", "Youssef"),
        ("Nacer", "Nasser"),
        ("Gamal", "Jamal"),
        ("Chaiyaphon", "Chaiyaaphon"),
        ("Boonmee", "Bunmi"),
        ("Fatimah", "Fatima"),
        ("مروان", "Marwan"),  # waw before alif is a consonant
        ("Ivanov", "Iwanow"),  # the German scheme
        ("Kozlov", "Koslow"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(left: str, right: str) -> None:
    assert _skeleton(left) is not None
    assert _skeleton(left) == _skeleton(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("Hassan", "Hamid"), ("Mansour", "Masri"), ("Nacer", "Nader"), ("Karim", "Kamal")],
)
def test_other_names_do_not(left: str, right: str) -> None:
    assert _skeleton(left) != _skeleton(right)


def test_a_skeleton_of_one_letter_says_nothing() -> None:
    assert _skeleton("علي") is None  # Ali: "l" alone would join too many names
    assert _skeleton("Aly") is None

"""Korean names written in Hangul against their romanisations (Revised Romanization on
South Korean passports, McCune-Reischauer on lists of North Korean names, and the usual
surname spellings Kim, Lee, Park, Choi)."""

from __future__ import annotations

import pytest

from threadline.primitives import hangul
from threadline.screening.matching import score_names


@pytest.mark.parametrize(
    ("text", "rr", "mr"),
    [
        ("김", "gim", "kim"),
        ("민준", "minjun", "minchun"),
        ("성철", "seongcheol", "songchol"),
        ("박", "bak", "pak"),
        ("최", "choe", "choe"),
        ("서연", "seoyeon", "soyon"),
    ],
)
def test_romanisation_tables(text: str, rr: str, mr: str) -> None:
    assert hangul.forms(text)[:2] == (rr, mr)


def test_a_surname_also_has_its_usual_spelling() -> None:
    assert "park" in hangul.forms("박") and "lee" in hangul.forms("이")
    assert hangul.forms("민준") == ("minjun", "minchun")


@pytest.mark.parametrize(
    ("text", "parts"),
    [("김민준", ["김", "민준"]), ("남궁민", ["남궁", "민"]), ("최", ["최"]), ("Kim", ["Kim"])],
)
def test_surname_first(text: str, parts: list[str]) -> None:
    assert hangul.split_name(text) == parts


@pytest.mark.parametrize(
    ("hangul_name", "romanised"),
    [
        ("김민준", "Kim Min-jun"),
        ("김민준", "MINJUN KIM"),
        ("박서연", "Park Seo-yeon"),
        ("김성철", "KIM SONG CHOL"),
        ("이지은", "Lee Ji-eun"),
        ("최영호", "Choi Young-ho"),
        ("남궁민", "Namgung Min"),
    ],
)
def test_hangul_matches_its_romanisations(hangul_name: str, romanised: str) -> None:
    result = score_names(hangul_name, romanised)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("hangul_name", "other"),
    [("김민준", "Kim Min-seo"), ("김민준", "Park Min-jun"), ("박서연", "Park Ji-yeon")],
)
def test_another_korean_name_is_not_a_match(hangul_name: str, other: str) -> None:
    assert score_names(hangul_name, other).decision != "match"


def test_a_name_already_in_parts_is_not_split_again() -> None:
    from threadline.primitives.names import parse_name

    assert [t.text for t in parse_name("정식 김").tokens] == ["jeongsik", "gim"]
    assert [t.text for t in parse_name("김정식").tokens] == ["gim", "jeongsik"]


def test_one_syllable_is_compared_whole() -> None:
    """Korean syllables romanised differ by a letter (Yeong, Jong, Song): not a typo."""
    assert score_names("최영", "Choe Song").decision == "no_match"

"""Name normalisation: transliteration, tokens, variants, phonetics and part alignment."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.primitives.name_compare import align_names, compare_tokens
from threadline.primitives.names import canonical_key, is_common, parse_name, phonetic_key
from threadline.primitives.translit import ascii_forms, icao_transliterate, to_ascii


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jürgen Müßig", "JUERGEN MUESSIG"),
        ("Åsa Østergård", "AASA OESTERGAARD"),
        ("Þór", "THOR"),
        ("Жанна Хорошева", "ZHANNA KHOROSHEVA"),
        ("Щукин Юрий", "SHCHUKIN IURII"),
        ("Цой Чайковский", "TSOI CHAIKOVSKII"),
        ("Мария Ильич", "MARIIA ILICH"),
        ("Рыбаков", "RYBAKOV"),
    ],
)
def test_icao_transliteration_follows_doc_9303(text: str, expected: str) -> None:
    assert icao_transliterate(text).upper() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"),
        ("José Núñez", "Jose Nunez"),
        ("徐", "xu"),
    ],
)
def test_to_ascii_handles_any_script(text: str, expected: str) -> None:
    assert to_ascii(text) == expected


def test_ascii_forms_offer_every_scheme() -> None:
    forms = {form.lower() for form in ascii_forms("Щербаков")}
    assert "shcherbakov" in forms  # ICAO and anyascii
    assert len(forms) >= 2  # ICU's ISO 9 based form differs
    assert ascii_forms("Smith") == ("Smith",)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Dr. Sab'awi Ibrahim AL-TIKRITI", ["sabawi", "ibrahim", "tikriti"]),
        ("SALEK, ABDULHAI", ["salek", "abdulhai"]),
        ("Jennifer L. McClellan", ["jennifer", "l", "mcclellan"]),
        ("Maulavi Abdul Kabir Jr.", ["abdul", "kabir"]),
        ("Ludwig van Beethoven", ["ludwig", "beethoven"]),
        ("Sheikh", ["sheikh"]),
        ("  ", []),
    ],
)
def test_parse_name_tokens(text: str, tokens: list[str]) -> None:
    assert [token.text for token in parse_name(text).tokens] == tokens


def test_particles_fold_into_the_next_part() -> None:
    (token,) = parse_name("al-Zawahiri").tokens
    assert {"zawahiri", "alzawahiri"} <= token.forms
    joined = parse_name("Alzawahiri").tokens[0]
    assert compare_tokens(token, joined)[1] == "transliteration"


@pytest.mark.parametrize(
    "spelling", ["Mohammed", "Muhammad", "Mohamed", "Mukhammad", "Muhamed", "Мухаммад", "محمد"]
)
def test_variant_spellings_share_a_key(spelling: str) -> None:
    assert parse_name(spelling).tokens[0].key == "muhammad"


@pytest.mark.parametrize(
    ("left", "right"),
    [("aleksandr", "alexander"), ("ekaterina", "yekaterina"), ("yusuf", "youssef")],
)
def test_variant_table(left: str, right: str) -> None:
    assert canonical_key(left) == canonical_key(right) is not None


def test_unrelated_names_have_no_variant_key() -> None:
    assert canonical_key("zimurinda") is None


def test_phonetic_key_is_metaphone_like() -> None:
    assert phonetic_key("youssef") == phonetic_key("yusuf")
    assert phonetic_key("smith") != phonetic_key("jones")
    assert phonetic_key("1974") == ""


def test_common_names_are_flagged() -> None:
    assert is_common(parse_name("Smith").tokens[0])
    assert is_common(parse_name("Mohamed").tokens[0])  # through the variant key
    assert not is_common(parse_name("Nkalubo").tokens[0])


@pytest.mark.parametrize(
    ("left", "right", "kind"),
    [
        ("Youssef", "Youssef", "exact"),
        ("Müller", "Mueller", "transliteration"),
        ("Mohammed", "Mukhammad", "variant"),
        ("Lakahl", "Lakhal", "fuzzy"),  # a transposition is one edit
        ("Parlindungan", "Parilndungan", "fuzzy"),
        ("L", "Lynn", "initial"),
        ("Smith", "Jones", "none"),
        ("Hannah", "Hahn", "none"),  # short metaphone collisions are not enough
    ],
)
def test_compare_tokens_kinds(left: str, right: str, kind: str) -> None:
    a, b = parse_name(left).tokens[0], parse_name(right).tokens[0]
    assert compare_tokens(a, b)[1] == kind


def _score(left: str, right: str) -> float:
    return align_names(parse_name(left), parse_name(right)).score


def test_alignment_ignores_order() -> None:
    assert _score("SALEK, ABDULHAI", "ABDULHAI SALEK") == 1.0


def test_missing_middle_name_costs_less_than_a_different_surname() -> None:
    missing_middle = _score("John Smith", "John Paul Smith")
    other_surname = _score("John Smith", "John Brown")
    assert 0.75 < missing_middle < 1.0
    assert other_surname < 0.6


def test_split_and_joined_parts_align() -> None:
    alignment = align_names(parse_name("Abdul Hai Salek"), parse_name("Abdulhai Salek"))
    assert alignment.score > 0.95
    assert any(match.kind == "joined" for match in alignment.matches)


def test_shifted_word_boundary_uses_the_joined_name() -> None:
    assert _score("AREFULLAHA REF GHAZI", "AREFULLAH AREF GHAZI") > 0.9


def test_cross_script_names_align() -> None:
    alignment = align_names(parse_name("Александр Щербаков"), parse_name("Aleksandr Shcherbakov"))
    assert alignment.score > 0.95


def test_rare_parts_count_only_uncommon_names() -> None:
    assert align_names(parse_name("John Smith"), parse_name("John Smith")).rare_parts == 0
    assert align_names(parse_name("Joseph Kony"), parse_name("Kony Joseph")).rare_parts == 1


def test_empty_names_score_zero() -> None:
    assert _score("", "John Smith") == 0.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_any_text_normalises_to_ascii_tokens_and_bounded_scores(left: str, right: str) -> None:
    a, b = parse_name(left), parse_name(right)
    for token in a.tokens:
        assert token.text and token.text.isascii() and token.text.isalnum()
        assert token.text == token.text.lower()
    score = align_names(a, b).score
    assert 0.0 <= score <= 1.0
    if a.tokens:
        assert align_names(a, a).score == 1.0

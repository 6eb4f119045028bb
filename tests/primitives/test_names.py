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


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("DOST MOHAMMAD", "DOST MOHAMMAD KHAN HAQQANI"),
        ("JANAN AGHA", "JANAN MOHAMMAD AHMED AGHA"),
        ("Boris Johnson", "Alexandre Boris de Pfeffel Johnson"),
        ("SHER ABBAS STANEKZAI", "SHER MOHAMMAD ABBAS STANEKZAI PADSHAH KHAN"),
    ],
)
def test_a_name_written_short_matches_its_full_form(short: str, full: str) -> None:
    """Lists write a person's full chain of names, documents and other lists a few of them:
    every part of the shorter name found in the longer one is a name left short, not a
    different name, and the parts left out weigh less."""
    for left, right in ((short, full), (full, short)):
        alignment = align_names(parse_name(left), parse_name(right))
        assert alignment.score >= 0.8, (left, right, alignment.score)
        assert alignment.shortened


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Michaela", "Michaela Michelle Micheli"),  # one part says too little
        ("V Putin", "Vladimir Putin"),  # an initial is not the part written out
        ("John Brown", "John Paul Smith"),  # a part that differs is not a part left out
        ("Jon Smiht", "John Paul Smith Jones"),  # parts only alike by a slip
    ],
)
def test_only_whole_parts_found_in_the_longer_name_make_it_short(left: str, right: str) -> None:
    alignment = align_names(parse_name(left), parse_name(right))
    assert alignment.score < 0.8, (left, right, alignment.score)
    assert not alignment.shortened


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("OTHMAN AHMED OTHMAN AL-HARBI", "OTHMAN AHMED OTHMAN AL-GHAMDI"),
        ("ABDUL GHANI BARADAR ABDUL HASIB TURK", "ABDUL GHANI BARADAR ABDUL AHMAD TURK"),
        ("NAZIRULLAH HANAFI HAMIDULLAH", "NAZIRULLAH HANAFI WALIULLAH"),
        ("Милош Јовановић", "Milan Jovanovic"),
    ],
)
def test_the_whole_name_does_not_paper_over_a_part_that_differs(left: str, right: str) -> None:
    """Long names that differ in one part are alike written together, letter by letter; the
    part that differs (a father's or a family name) still makes them two people."""
    alignment = align_names(parse_name(left), parse_name(right))
    assert alignment.score < 0.8, (left, right, alignment.score)
    assert alignment.unmatched_query and alignment.unmatched_candidate


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


def _bound_pairs() -> list[tuple[str, str]]:
    """Name pairs of every kind the matcher meets: the same person in other spellings and
    orders, parts written together or apart, initials, namesakes and strangers sharing a
    surname, names in their own script against romanisations."""
    import random

    from threadline.simulation.namedata import CULTURES

    rng = random.Random(11)
    pairs: list[tuple[str, str]] = []
    cultures = sorted(CULTURES)

    def name(culture: str) -> list[str]:
        male, female, surnames = CULTURES[culture]
        given = rng.choice(male if rng.random() < 0.5 else female)
        parts = [rng.choice(given.split("|"))]
        if rng.random() < 0.4:
            parts.append(rng.choice(rng.choice(male + female).split("|")))
        parts.append(rng.choice(rng.choice(surnames).split("|")))
        return parts

    for _ in range(4000):
        culture = rng.choice(cultures)
        left = name(culture)
        right = list(left) if rng.random() < 0.5 else name(culture)
        if rng.random() < 0.3:
            right[-1] = left[-1]  # a shared surname
        if rng.random() < 0.3 and len(right) > 1:
            right = ["".join(right[:2]), *right[2:]]  # two parts written as one
        if rng.random() < 0.2:
            right[0] = right[0][0]  # an initial
        if rng.random() < 0.3:
            rng.shuffle(right)
        if rng.random() < 0.3:
            word = right[-1]
            at = rng.randrange(len(word))
            right[-1] = word[:at] + rng.choice("aeiouyh") + word[at + 1 :]  # a slip
        pairs.append((" ".join(left), " ".join(right)))
    pairs += [
        ("Abdul Hai Salek", "Abdulhai Salek"), ("Mohammed Abdullah", "محمد عبد الله"),
        ("Kim Jong Un", "김정은"), ("Wei Zhang", "Wen Zhang"), ("Luis Garcia", "Luisa Garcia"),
        ("Ivan Petrov", "Иван Петров"), ("Arefullaha Ref", "Arefullah Aref"),
        ("Ben Okafor", "Benjamin Okafor"), ("Ted Marlowe", "Theodore J Marlowe"),
        ("Bill Carrow", "William Denholm"), ("BEN ALI Zineb", "Zineb Ben Ali"),
        ("Sergejs Lavrinovs", "Sergey Lavrinov"), ("Li Wei", "Lee Wei"),
        ("Benjamin Okafor", "Ben Jamin Okafor"), ("Dost Mohammad", "Dost Mohammad Khan Haqqani"),
        ("Boris Johnson", "Alexandre Boris de Pfeffel Johnson"), ("Jon Smyth", "John Paul Smith"),
        ("Akhtar Mansour", "Akhtar Mohammad Mansour Shah Mohammed"), ("V Putin", "Vladimir Putin"),
    ]  # fmt: skip
    return pairs


def test_the_score_bound_is_never_below_the_score() -> None:
    """A screening leaves a candidate's names uncompared when the bound says they cannot
    reach the threshold: the bound must hold for every pair, or a real hit is lost."""
    from threadline.primitives.name_compare import score_bound

    tight = 0
    for left, right in _bound_pairs():
        a, b = parse_name(left), parse_name(right)
        for x, y in ((a, b), (b, a)):
            score, bound = align_names(x, y).score, score_bound(x, y)
            assert score <= bound + 1e-12, (x.original, y.original, score, bound)
            tight += bound < 0.8
    assert tight > 1000  # and it is low often enough to save work


@given(
    st.lists(st.sampled_from(["an", "anh", "abdul", "hai", "abdulhai", "maria", "mario",
                              "j", "john", "jon", "smith", "smyth", "ali", "al", "li", "ben",
                              "benjamin", "ted", "bill", "sergejs", "b"]),
             min_size=1, max_size=4),
    st.lists(st.sampled_from(["an", "anh", "abdul", "hai", "abdulhai", "maria", "marie",
                              "j", "jhon", "john", "smith", "smiths", "ali", "alli", "li", "lee",
                              "ben", "benjamin", "theodore", "william", "sergey", "jamin"]),
             min_size=1, max_size=4),
)  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_the_score_bound_holds_for_any_parts(left: list[str], right: list[str]) -> None:
    from threadline.primitives.name_compare import score_bound

    a, b = parse_name(" ".join(left)), parse_name(" ".join(right))
    assert align_names(a, b).score <= score_bound(a, b) + 1e-12


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI"),
        ("ABDULLAH BIN OMAR AL-MUHAMMAD", "OMAR BIN ABDULLAH AL-MUHAMMAD"),
        ("IBRAHIM BIN AL-DIN AL-MASRI", "SAIF-AL-DIN BIN IBRAHIM AL-MASRI"),
        ("Fatima bint Ahmed", "Ahmed ibn Fatima"),
    ],
)
def test_a_son_and_his_father_are_two_people(left: str, right: str) -> None:
    """In "Salman bin Muhammad" the part before "bin" is the person's own name and the part
    after it the father's: the same two names the other way round are the father (or the
    son), not the same person, however the parts align without their order."""
    alignment = align_names(parse_name(left), parse_name(right))
    assert alignment.score < 0.8, (left, right, alignment.score)
    assert alignment.lineage_crossed


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("MUHAMMAD BIN SALMAN AL-RAWI", "AL-RAWI, MUHAMMAD BIN SALMAN"),  # surname first
        ("Osama bin Laden", "Usama bin Muhammad ibn Awad ibn Ladin"),
        ("Zineb Ben Ali", "BEN ALI Zineb"),  # a surname with "Ben", not a father's name
        ("Salman Muhammad al-Rawi", "Muhammad bin Salman al-Rawi"),  # order unknown on one side
    ],
)
def test_the_order_around_bin_decides_only_when_both_names_state_it(left: str, right: str) -> None:
    alignment = align_names(parse_name(left), parse_name(right))
    assert not alignment.lineage_crossed

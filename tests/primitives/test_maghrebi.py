"""Arabic names in French (Maghrebi) spelling meet their English-style spellings and the
Arabic script; different names stay apart.

Morocco, Algeria and Tunisia write Arabic names by French spelling rules: س and ص before
e or i as "c" (Nacer, Yacine, Hacen), ش as "ch" (Cherif), ج as "dj" (Djamel, Khadidja), the
vowel u as "ou" (Mouloud, Outhmane), the article joined and assimilated to the next
consonant (Ezzine, Abderrahmane) or reduced to "l-" (Lakhdar), and a silent final "e"
(Yacine, Outhmane). English-style spellings follow ALA-LC or BGN/PCGN without their
diacritics (Qasim, Zayn, Nasir, Sharif, Mawlud, Khadija). The names are common given names
and family names, no person's.
"""

from __future__ import annotations

import itertools

import pytest

from threadline.primitives.name_compare import align_names, compare_tokens, score_bound
from threadline.primitives.names import parse_name
from threadline.screening.matching import score_names

# Each group: spellings of one Arabic name (Maghrebi, English-style, Arabic script).
SAME_NAME = [
    ("El Kacem", "Al Qasim", "Alkasim", "القاسم"),
    ("Ezzine", "El Zein", "Al-Zain", "الزين"),
    ("Nacer", "Nasser", "Naser", "ناصر"),
    ("Hacen", "Hassan", "حسن"),
    ("Outhmane", "Othman", "Osman", "Usman", "عثمان"),
    ("Djamel", "Jamal", "جمال"),
    ("Cherif", "Sharif", "شريف"),
    ("Mouloud", "Mawlud", "مولود"),
    ("Abderrahmane", "Abdelrahman", "Abdul Rahman", "عبد الرحمن"),
    ("Khadidja", "Khadija", "خديجة"),
    ("Yacine", "Yassin", "Yasin", "ياسين"),
    ("Boualem", "Bu Alam", "بوعلام"),
    ("Lakhdar", "Al Akhdar", "الأخضر"),
    ("Houcine", "Hussein", "Husayn", "حسين"),
]
AGREEING = [pair for group in SAME_NAME for pair in itertools.combinations(group, 2)]

# Different names that share most of their letters (and a man's and a woman's name).
APART = [
    ("Hassan", "Hussein"),
    ("Hacen", "Hussein"),
    ("Hacen", "حسين"),
    ("Houcine", "Hassan"),
    ("Omar", "Amir"),
    ("Karim", "Kamel"),
    ("Nacer", "Nader"),
    ("Nacer", "نادر"),
    ("Samir", "Samira"),
    ("Karim", "Karima"),
    ("Jamil", "Jamila"),
    ("Said", "Saad"),
    ("Saïd", "Saad"),
]


@pytest.mark.parametrize(("left", "right"), AGREEING)
def test_maghrebi_english_and_arabic_spellings_agree(left: str, right: str) -> None:
    for a, b in ((left, right), (right, left)):
        result = score_names(a, b)
        assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(("left", "right"), APART)
def test_different_names_stay_apart(left: str, right: str) -> None:
    for a, b in ((left, right), (right, left)):
        result = score_names(a, b)
        assert result.decision != "match", result.to_dict()


@pytest.mark.parametrize(
    ("left", "right"),
    [("Nacer Benali", "Nader Benali"), ("Samir Haddad", "Samira Haddad"),
     ("Hacen Belkacem", "Hussein Belkacem"), ("Omar Mansouri", "Amir Mansouri")],
)  # fmt: skip
def test_relatives_sharing_a_family_name_stay_apart(left: str, right: str) -> None:
    """A brother and a sister, or two brothers, share the family name: the given names decide."""
    assert score_names(left, right).decision != "match"


@pytest.mark.parametrize(
    ("left", "right"),
    [("Nacer Bensalah", "Nasser Bin Salah"), ("Djamel Eddine Cherif", "Jamal al-Din Sharif"),
     ("Mouloud Ouali", "Mawlud Wali"), ("Yacine Ezzine", "Yassin al-Zain")],
)  # fmt: skip
def test_whole_names_in_both_spellings_match(left: str, right: str) -> None:
    assert score_names(left, right).decision == "match"


def test_the_explanation_says_why_names_stay_apart() -> None:
    detail = score_names("Nacer Benali", "Nader Benali").explanation[0].detail
    assert "'nacer' and 'nader' read as Arabic names have other consonants" in detail


def test_the_maghrebi_reading_is_its_own_kind_of_agreement() -> None:
    a, b = parse_name("Cherif").tokens[0], parse_name("Sharif").tokens[0]
    similarity, kind = compare_tokens(a, b)
    assert kind == "maghrebi"
    assert similarity < 0.97  # below a transliteration: a reading, not the same letters


# Ordinary French given names and family names, some spelled with "c", "ch" and "ou" as
# Maghrebi spellings are: the Maghrebi reading must not join any two of them.
FRENCH = [
    "Vincent", "Lucie", "Lucien", "Lucas", "Luc", "Cecile", "Maurice", "Francis", "Marcel",
    "Marceau", "Macon", "Mason", "Masson", "Macé", "Louis", "Louise", "Luis", "Simon",
    "Simone", "Martin", "Martine", "Justin", "Justine", "Michel", "Michelle", "Michal",
    "Denis", "Denise", "Celine", "Sandrine", "Alice", "Clarisse", "Laurence", "Laurent",
    "Roussel", "Russell", "Moulin", "Mullin", "Bouchard", "Richard", "Charles", "Chantal",
    "Rachel", "Mouton", "Dumoulin", "Joubert", "Jules", "Julie", "Julien", "Cyril", "Sylvie",
    "Patrice", "Patricia", "Beatrice", "Pascal", "Pascale", "Elena", "Alena", "Elise",
    "Alice", "Eliane", "Albert", "Elbert", "Alina", "Lina", "Estelle", "Ettore", "Tore",
]  # fmt: skip


def test_the_maghrebi_reading_never_joins_ordinary_french_names() -> None:
    joined = []
    for left, right in itertools.combinations(sorted(set(FRENCH)), 2):
        a, b = parse_name(left).tokens[0], parse_name(right).tokens[0]
        if compare_tokens(a, b)[1] == "maghrebi" or compare_tokens(b, a)[1] == "maghrebi":
            joined.append((left, right))
    assert joined == []


@pytest.mark.parametrize(("left", "right"), AGREEING + APART)
def test_the_score_bound_holds_on_maghrebi_pairs(left: str, right: str) -> None:
    for extra in ("", " Benali", " Ben Ali"):
        a, b = parse_name(left + extra), parse_name(right + " Benali")
        for x, y in ((a, b), (b, a)):
            assert align_names(x, y).score <= score_bound(x, y) + 1e-12, (x.original, y.original)


@pytest.mark.parametrize(
    ("native", "maghrebi"),
    [("الأمين", "Lamine"), ("العربي", "Larbi"), ("نورالدين", "Noureddine"),
     ("عبدالقادر", "Abdelkader"), ("محمد", "Mouhamed"), ("بشرى", "Bouchra"),
     ("الشريف", "Echcherif"), ("السعيد", "Essaid"), ("هشام", "Hicham"), ("سفيان", "Soufiane")],
)  # fmt: skip
def test_arabic_script_reads_maghrebi_spellings(native: str, maghrebi: str) -> None:
    assert score_names(native, maghrebi).decision == "match"


@pytest.mark.parametrize(
    ("native", "romanised"),
    [("محمد", "Mahmoud"), ("حسن", "Houcine"), ("حسين", "Hacene"), ("نادر", "Nacer")],
)
def test_arabic_script_keeps_written_long_vowels(native: str, romanised: str) -> None:
    """An "ou" after the first consonant is a written و: محمد is never Mahmoud."""
    assert score_names(native, romanised).decision == "no_match"


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ech-Cherif", "Ash-Sharif"), ("Ez-Zine", "Al-Zain"), ("Es-Said", "As-Saeed"),
     ("Yacine Ez-Zine", "Yassin al-Zain")],
)  # fmt: skip
def test_the_assimilated_article_written_apart_is_a_particle(left: str, right: str) -> None:
    assert score_names(left, right).decision == "match"


def test_ed_stays_a_given_name() -> None:
    assert [t.text for t in parse_name("Ed Davis").tokens] == ["ed", "davis"]


@pytest.mark.parametrize(("left", "right"), [("Khadidja Benali", "Khalida Benali")])
def test_other_consonants_are_another_name_even_where_the_letters_are_close(
    left: str, right: str
) -> None:
    """Read as Arabic, Khadidja (خديجة) and Khalida (خالدة) have other roots; the whole
    names written without spaces are close, but that is no reason to join them."""
    assert score_names(left, right).decision != "match"


@pytest.mark.parametrize(("left", "right"), [("Vincent", "Vincenz"), ("Patrice", "Patrick")])
def test_names_spelled_with_letters_arabic_names_lack_are_not_read_as_arabic(
    left: str, right: str
) -> None:
    """A v, p, x or hard c is no romanisation of an Arabic name: the reading neither joins
    nor keeps apart such parts, and the ordinary comparison decides."""
    a, b = parse_name(left).tokens[0], parse_name(right).tokens[0]
    assert compare_tokens(a, b)[1] not in ("maghrebi", "distinct")

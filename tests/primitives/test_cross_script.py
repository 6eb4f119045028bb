"""Names written in their own script against their romanisations, and the near misses.

A name in Arabic script is written without its short vowels, so "محمد" is "Mohammed",
"Muhammad" and "Mohamed" at once, and "حسن" (Hassan) is not "حسين" (Hussein). A Chinese
given name is one name however it is spaced ("Xiaoming", "Xiao Ming"), and "Wei" is not
"Wen". Korean passports spell syllables their own way ("Ji-hoon", "Hyun-woo", "Young-soo").
A woman's form of a surname stays apart whatever the script it was written in.
"""

from __future__ import annotations

import pytest

from threadline.screening.matching import score_names


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("محمد عبد الله", "Mohammed Abdullah"),
        ("محمد عبدالله", "Muhammad Abdallah"),
        ("عمر خالد", "Omar Khaled"),
        ("عمر خالد", "Umar Khalid"),
        ("فاطمة علي", "Fatimah Ali"),
        ("خالد عبد الرحمن", "Khalid Abdul Rahman"),
        ("خالد عبد الرحمن", "Khaled Abdelrahman"),
        ("عبد العزيز محمود", "Abd al-Aziz Mahmud"),
        ("نور الدين علي", "Nur al-Din Ali"),
        ("يوسف حسين", "Yousef Hussein"),
    ],
)
def test_arabic_script_matches_its_romanisations(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("أحمد حسن", "Ahmed Hussein"),  # حسن is Hassan; Hussein is حسين
        ("علي حسين", "Ali Hassan"),
        ("سعيد سالم", "Saad Salem"),
        ("محمد عبد الله", "Mahmoud Abdullah"),
        ("خالد عبد الرحمن", "Khalid Abdul Rahim"),
    ],
)
def test_arabic_names_sharing_consonants_stay_apart(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "no_match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("王伟", "Wei Wang"),
        ("王小明", "Wang Xiao Ming"),
        ("王小明", "Wang Xiaoming"),
        ("李建国", "Li Jianguo"),
    ],
)
def test_chinese_characters_match_their_pinyin(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("刘伟", "Liu Wen"),
        ("陈静", "Chen Jin"),
        ("黄明", "Huang Min"),
        ("王小明", "Wang Xiaoping"),
        ("张秀英", "Zhang Xiuyun"),
    ],
)
def test_a_chinese_given_name_is_compared_whole(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "no_match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("박지훈", "Park Ji-hoon"),
        ("정우진", "Jung Woo-jin"),
        ("조현우", "Cho Hyun-woo"),
        ("김영수", "Kim Young-soo"),
        ("윤서준", "Yoon Seo-jun"),
    ],
)
def test_hangul_matches_passport_spellings(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [("박지훈", "Park Ji-hyun"), ("장민서", "Jang Min-su"), ("윤서준", "Yoon Seo-jin")],
)
def test_korean_given_names_a_syllable_apart_stay_apart(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "no_match", result.to_dict()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Алексей Кузнецов", "Aleksei Kuznetsova"),
        ("Наталья Соколова", "Natalya Sokolov"),
        ("Tran Thi Lan", "Tran Thi Lanh"),
        ("Le Thi Hoa", "Le Thi Hoai"),
    ],
)
def test_other_names_spelled_alike_across_scripts_stay_apart(left: str, right: str) -> None:
    result = score_names(left, right)
    assert result.decision == "no_match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [("राहुल शर्मा", "Rahul Sharma"), ("पूजा वर्मा", "Pooja Varma"), ("संजय पटेल", "Sanjay Patel")],
)
def test_devanagari_matches_names_as_written_in_latin(native: str, romanised: str) -> None:
    """The inherent vowel after a last consonant is silent ("राहुल" is Rahul, not Rahula)."""
    result = score_names(native, romanised)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("Γεώργιος Παπαδόπουλος", "Georgia Papadopoulou"),
        ("Κωνσταντίνος Γεωργίου", "Konstantina Georgiou"),
        ("Ιωάννης Αλεξίου", "Ioanna Alexiou"),
        ("Δημήτριος Νικολάου", "Dimitra Nikolaou"),
    ],
)
def test_greek_mens_and_womens_forms_stay_apart(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "no_match", result.to_dict()


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("Vladimir Vladimirovich Petrov", "Vladimir Petrov"),
        ("Anna Sergeyevna Ivanova", "Anna Ivanova"),
    ],
)
def test_a_left_out_patronymic_still_matches(full: str, short: str) -> None:
    """International passports carry no patronymic; lists often do."""
    result = score_names(full, short)
    assert result.decision == "match", result.to_dict()


def test_a_patronymic_is_no_surname() -> None:
    assert score_names("Roman Abramovich", "Roman").decision != "match"


def test_two_names_in_hangul_agree_only_syllable_for_syllable() -> None:
    """정 and 종 are both "chong" in McCune-Reischauer without its breve: other syllables."""
    assert score_names("박정수", "박종수").decision == "no_match"
    assert score_names("박정수", "박정수").decision == "match"


def test_greek_matches_its_spoken_spelling() -> None:
    """Greek names are often written as spoken outside Greek documents (BGN/PCGN)."""
    assert score_names("Παναγιώτης Βασιλείου", "Panayiotis Vassiliou").decision == "match"


def test_the_reason_is_given_in_the_transliteration_that_shows_it() -> None:
    detail = score_names("Алексей Кузнецов", "Aleksei Kuznetsova").explanation[0].detail
    assert "'kuznetsov' and 'kuznetsova' are a man's and a woman's form of a name" in detail


@pytest.mark.parametrize(
    ("native", "romanised", "schema"),
    [
        ("Семён Рублёв", "Semyon Rublyov", "Person"),  # ё written yo, as English writes it
        ("Пётр Соловьёв", "Pyotr Solovyov", "Person"),
        ("Алёна Фёдорова", "Alyona Fyodorova", "Person"),
        ("Евгений Ершов", "Yevgeniy Yershov", "Person"),  # е written ye at a word's start
        ("Елена Васильева", "Yelena Vasilyeva", "Person"),
        ("ООО Василёк", "OOO Vasilyok", "Company"),
    ],
)
def test_cyrillic_matches_the_english_spellings_of_russian_names(
    native: str, romanised: str, schema: str
) -> None:
    """BGN/PCGN writes е as ye at the start of a word and after a vowel or soft sign, and
    English usage writes ё as yo (Fyodor, Pyotr, Khrushchyov): passports since 2013 write
    e for both, so both spellings meet the same names."""
    result = score_names(native, romanised, schema)
    assert result.decision == "match", result.to_dict()
    assert result.score >= 0.95, result.to_dict()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Abd al-Rahman Khalil", "Abdul Rahman Khalil"),
        ("Abdul Karim Omar", "Abd el-Karim Omar"),
        ("Abd al-Aziz al-Nuristani", "Abdul Aziz Nooristani"),
        ("Abdel Rahman Khalil", "Abd al-Rahman Khalil"),
        ("Abdoul Aziz Diallo", "Abdul Aziz Diallo"),
        ("عبد الكريم عمر", "Abdul Karim Omar"),
    ],
)
def test_abd_is_one_element_however_it_is_written(left: str, right: str) -> None:
    """Abd (servant of) before one of God's names is written Abd al-, Abdul, Abdel, Abdoul
    or in Arabic script عبد: one element of the name, whatever the style."""
    result = score_names(left, right)
    assert result.decision == "match", result.to_dict()


def test_abd_before_another_name_is_no_other_name() -> None:
    assert score_names("Abdul Karim Omar", "Abdul Rahman Omar").decision != "match"

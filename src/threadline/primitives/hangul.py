"""Korean names in Hangul: their Revised Romanization and McCune–Reischauer forms.

Passports of the Republic of Korea spell names close to the Revised Romanization (RR,
"Min-jun"); North Korean names on lists follow McCune–Reischauer (MR, "Song Chol" for
성철, with its breves and apostrophes dropped). ICU's Hangul transform is neither, so a
Hangul name gets both forms here, syllable by syllable, from the two systems' published
tables (a syllable's initial, vowel and final consonant by Unicode's composition
arithmetic). A surname also gets the spelling its bearers' passports usually carry where
that is neither (Lee, Park, Choi): usage, not a rule of either system.

Passports and the names people go by also spell syllables in ways neither system does,
always the same ways: "u" as "oo" (Ji-hoon, Soo, Yoon; "Woo" for 우), "eo" before "ng" as
"u" (Jung, Sung), and "yeo" as "yu" after a consonant and "you" alone before "n" or "ng"
(Hyun, Myung, Young). :func:`passport_forms` spells a name syllable by syllable in any mix
of RR, MR and those spellings; it does not make "seo" into "su" (서 is not 수).

A Korean name is written without a space; its first syllable is the surname, except for
the two-syllable surnames listed below.
"""

from __future__ import annotations

__all__ = ["forms", "is_hangul", "passport_forms", "split_name"]

_FIRST, _LAST = 0xAC00, 0xD7A3


def _row(text: str) -> tuple[str, ...]:
    """A table row as written in the standard, one spelling per jamo ("-" for none)."""
    return tuple(text.split())


_RR_INITIAL = _row("g kk n d tt r m b pp s ss - j jj ch k t p h")
_MR_INITIAL = _row("k kk n t tt r m p pp s ss - ch tch ch k t p h")
_RR_VOWEL = _row("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_MR_VOWEL = _row("a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i")
_FINAL = _row("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
# Surnames whose usual spelling is neither RR nor MR (Kim is MR, Kang and Cho are MR, ...).
_USUAL: dict[str, tuple[str, ...]] = {
    "이": ("lee", "yi", "rhee"), "박": ("park",), "최": ("choi",), "정": ("jung", "chung"),
    "윤": ("yoon",), "임": ("lim", "rim"), "신": ("shin",), "문": ("moon",),
    "백": ("paik",), "허": ("huh", "hur"), "노": ("noh", "roh"), "성": ("sung",),
    "주": ("joo",), "유": ("yoo",), "우": ("woo",), "오": ("oh",), "안": ("ahn",),
}  # fmt: skip
# Two-syllable surnames (Namgung, Hwangbo, Jegal, Seonu, Dokgo, Sagong, Seomun).
_DOUBLE_SURNAMES = frozenset({"남궁", "황보", "제갈", "선우", "독고", "사공", "서문"})


def is_hangul(text: str) -> bool:
    """True when every character is a precomposed Hangul syllable."""
    return bool(text) and all(_FIRST <= ord(char) <= _LAST for char in text)


def _syllable(char: str, initials: tuple[str, ...], vowels: tuple[str, ...]) -> str:
    index = ord(char) - _FIRST
    initial, rest = divmod(index, 588)
    vowel, final = divmod(rest, 28)
    parts = (initials[initial], vowels[vowel], _FINAL[final])
    return "".join(part for part in parts if part != "-")


def forms(text: str) -> tuple[str, ...]:
    """The RR and MR spellings of a run of Hangul syllables, lower-case ASCII, and for a
    surname the spellings its bearers' passports usually carry ("Lee", "Park", "Choi")."""
    rr = "".join(_syllable(char, _RR_INITIAL, _RR_VOWEL) for char in text)
    mr = "".join(_syllable(char, _MR_INITIAL, _MR_VOWEL) for char in text)
    return (rr, mr, *_USUAL.get(text, ()))


# A given name of more syllables than this gets no mixed spellings (the forms multiply).
_MAX_MIXED = 4


def _jamo(char: str) -> tuple[int, int, int]:
    initial, rest = divmod(ord(char) - _FIRST, 588)
    vowel, final = divmod(rest, 28)
    return initial, vowel, final


def _usual_syllables(char: str) -> set[str]:
    """One syllable in RR, in MR and in the passport spellings made from RR."""
    initial, vowel, final = _jamo(char)
    rr_initial = "" if _RR_INITIAL[initial] == "-" else _RR_INITIAL[initial]
    rr_vowel, end = _RR_VOWEL[vowel], "" if _FINAL[final] == "-" else _FINAL[final]
    spellings = {_syllable(char, _RR_INITIAL, _RR_VOWEL), _syllable(char, _MR_INITIAL, _MR_VOWEL)}
    if rr_vowel == "u":
        spellings.add(rr_initial + ("oo" if rr_initial else "woo") + end)
    elif rr_vowel == "yu":
        spellings.add(rr_initial + "yoo" + end)
    elif rr_vowel == "eo" and end == "ng":
        spellings.add(rr_initial + "u" + end)
    elif rr_vowel == "yeo" and end in ("n", "ng"):
        spellings.add(rr_initial + ("yu" if rr_initial else "you") + end)
    return spellings


def passport_forms(text: str) -> tuple[str, ...]:
    """Every spelling of a run of Hangul syllables that mixes, syllable by syllable, RR,
    MR and the passport spellings ("지훈": jihun, chihun, jihoon, chihoon), sorted."""
    if not is_hangul(text) or len(text) > _MAX_MIXED:
        return ()
    spellings = [""]
    for char in text:
        spellings = [done + syllable for done in spellings for syllable in _usual_syllables(char)]
    return tuple(sorted(set(spellings)))


def split_name(text: str) -> list[str]:
    """A Korean full name written as one run (김민준) as surname and given name."""
    if not is_hangul(text) or not 2 <= len(text) <= 5:
        return [text]
    cut = 2 if text[:2] in _DOUBLE_SURNAMES and len(text) > 2 else 1
    return [text[:cut], text[cut:]]

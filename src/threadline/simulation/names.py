"""Simulated people's names and the spellings different sources give them.

A :class:`Person` keeps its name in its own script; every source renders it with
its own conventions: a passport follows ICAO Doc 9303 (upper case, ASCII), a French
agency romanises Cyrillic the French way, a case file may keep the original script,
drop the middle name, swap the order or carry a typo. Which source follows which
convention is the ``romanisation`` regime's business (:mod:`.romanisation`); the
spellings themselves are here.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from threadline.simulation.namedata import (
    ARABIC_SPELLINGS,
    CULTURES,
    PATRONYMIC_SOURCES,
    THAI_FORMS,
)

_BASE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# Romanisation schemes for Cyrillic: ICAO Doc 9303 (passports), BGN/PCGN, French, German.
SCHEMES: dict[str, dict[str, str]] = {
    "icao": _BASE,
    "bgn": {**_BASE, "й": "y", "ю": "yu", "я": "ya", "ё": "yo", "ъ": "", "е": "e"},
    "fr": {
        **_BASE,
        "й": "i",
        "ю": "iou",
        "я": "ia",
        "у": "ou",
        "ш": "ch",
        "ч": "tch",
        "ж": "j",
        "х": "kh",
        "щ": "chtch",
        "ъ": "",
        "ё": "io",
    },
    "de": {
        **_BASE,
        "й": "j",
        "ю": "ju",
        "я": "ja",
        "х": "ch",
        "ш": "sch",
        "ч": "tsch",
        "ж": "sch",
        "ц": "z",
        "в": "w",
        "з": "s",
        "щ": "schtsch",
        "ъ": "",
        "ё": "jo",
    },
}


@dataclass(slots=True)
class Person:
    """A simulated person: names in their own script, sex, birth date, nationality."""

    pid: str
    culture: str
    sex: str  # M or F
    given: str
    middle: str | None
    surname: str
    birth: date
    nationality: str  # alpha-2

    @property
    def spelling(self) -> int:
        """Which Latin spelling of an Arabic name this person's passport uses."""
        return sum(map(ord, self.pid)) % 3


@dataclass(frozen=True, slots=True)
class Slips:
    """What a source did to a name besides spelling it: kept or dropped the middle name,
    made a typo in the surname or the given names, swapped the two."""

    middle: bool = True
    surname_typo: bool = False
    given_typo: bool = False
    swapped: bool = False


# The spelling style of Arabic names on each issuing country's passports (the
# ``romanisation`` regime): the Maghreb writes them as French does, Egypt has its own
# English-based spellings (Mohamed, Mostafa, Abdel Rahman), the Gulf and the Levant
# English ones.
PASSPORT_STYLES = {"MA": "fr", "EG": "eg"}


def _cyrillic(text: str, scheme: str) -> str:
    table = SCHEMES[scheme]
    out: list[str] = []
    for ch in text:
        low = ch.lower()
        if low in table:
            rom = table[low]
            out.append(rom.capitalize() if ch != low else rom)
        else:
            out.append(ch)
    return "".join(out)


def _arabic(entry: str, index: int) -> str:
    forms = entry.split("|")
    latin = forms[1:]
    return latin[index % len(latin)]


@lru_cache(maxsize=65536)
def romanise(text: str, culture: str, scheme: str = "icao", index: int = 0) -> str:
    """One Latin spelling of a name part (``index`` picks among Arabic spellings)."""
    if culture == "ar":
        return _arabic(text, index)
    if culture == "ru":
        return _cyrillic(text, scheme)
    return text


def arabic_style(text: str, style: str, index: int = 0) -> str:
    """An Arabic name part as one style writes it: ``en`` (English: the Gulf, the Levant,
    English-speaking agencies), ``eg`` (Egypt; English where Egypt has no spelling of its
    own) or ``fr`` (French and the Maghreb); ``index`` picks among the style's spellings
    (the first is the one agencies write)."""
    styles = ARABIC_SPELLINGS[text.split("|")[0]]
    forms = styles.get(style) or styles["en"]
    return forms[index % len(forms)]


def thai_spelling(text: str, index: int) -> str:
    """One of the Latin spellings of a Thai name part in use (0: the usual one, as the
    passport writes it; others: RTGS and other common forms)."""
    forms = THAI_FORMS[text].split("|")[1:]
    return forms[index % len(forms)]


def native(text: str, culture: str) -> str:
    """The name part in its own script (Arabic script for Arabic names, Thai for Thai)."""
    if culture == "th":
        return THAI_FORMS[text].split("|")[0] if text in THAI_FORMS else text
    return text.split("|")[0] if culture == "ar" else text


@lru_cache(maxsize=65536)
def ascii_upper(text: str) -> str:
    """Upper case A-Z as on a passport's data page (accents dropped, ß -> SS)."""
    text = text.replace("ß", "ss").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def passport_part(text: str, person: Person, by_issuer: bool = False) -> str:
    """One part of the person's name as their passport spells it: ICAO transliteration of
    Cyrillic; an Arabic name in one of its spellings, or with ``by_issuer`` (the
    ``romanisation`` regime) in the issuing country's style (:data:`PASSPORT_STYLES`)."""
    if by_issuer and person.culture == "ar":
        style = PASSPORT_STYLES.get(person.nationality, "en")
        return arabic_style(text, style, person.spelling)
    return romanise(text, person.culture, "icao", person.spelling)


def passport_name(person: Person, by_issuer: bool = False) -> tuple[str, str]:
    """(SURNAME, GIVEN NAMES) as the person's passport and manifests spell them
    (``by_issuer``: as the issuing country spells Arabic names; see :func:`passport_part`)."""
    given = passport_part(person.given, person, by_issuer)
    if person.middle:
        given += " " + passport_part(person.middle, person, by_issuer)
    surname = passport_part(person.surname, person, by_issuer)
    return ascii_upper(surname), ascii_upper(given)


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: a swapped, dropped or doubled letter."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def variant_name(person: Person, rng: random.Random, noise: float) -> tuple[str, str, str]:
    """(surname, given names, scheme) as some other source spells them, with its mistakes.

    ``noise`` scales how often a source uses another romanisation, drops the middle
    name, swaps given and family name or makes a typo.
    """
    surname, given, scheme, _ = variant_slips(person, rng, noise)
    return surname, given, scheme


def variant_slips(person: Person, rng: random.Random, noise: float) -> tuple[str, str, str, Slips]:
    """:func:`variant_name` and the slips it drew (the same draws, in the same order)."""
    scheme = rng.choice(("bgn", "fr", "de", "icao")) if rng.random() < noise * 2 else "icao"
    index = rng.randrange(6) if rng.random() < noise * 2 else person.spelling
    given = romanise(person.given, person.culture, scheme, index)
    surname = romanise(person.surname, person.culture, scheme, index)
    middle = bool(person.middle) and rng.random() > noise
    if middle and person.middle:
        given += " " + romanise(person.middle, person.culture, scheme, index)
    surname_typo = rng.random() < noise * 0.4
    if surname_typo:
        surname = typo(surname, rng)
    given_typo = rng.random() < noise * 0.3
    if given_typo:
        given = typo(given, rng)
    swapped = rng.random() < noise * 0.25
    if swapped:
        surname, given = given, surname
    return surname, given, scheme, Slips(middle, surname_typo, given_typo, swapped)


class NameFactory:
    """Draws people of a culture; a few surnames and given names repeat by design."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self, pid: str, culture: str, sex: str, birth: date, nationality: str) -> Person:
        """A new person with a name drawn from ``culture``."""
        males, females, surnames = CULTURES[culture]
        rng = self.rng
        given = rng.choice(males if sex == "M" else females)
        surname = rng.choice(surnames)
        middle: str | None = None
        if culture == "ru":
            middle = _patronymic(rng.choice(PATRONYMIC_SOURCES), sex)
            if sex == "F" and surname.endswith(("ов", "ев", "ин", "ёв")):
                surname += "а"
        elif culture == "ar" and rng.random() < 0.6:
            middle = rng.choice(males)  # father's name as the middle element
        elif (culture in ("es", "pt") and rng.random() < 0.5) or rng.random() < 0.2:
            middle = rng.choice(males if sex == "M" else females)
        if culture == "es" and rng.random() < 0.7:
            surname = f"{surname} {rng.choice(surnames)}"  # two family names
        return Person(pid, culture, sex, given, middle, surname, birth, nationality)


def _patronymic(father: str, sex: str) -> str:
    stem = father[:-1] + "е" if father.endswith("й") else father
    if father.endswith("й"):
        return stem + ("вич" if sex == "M" else "вна")
    return father + ("ович" if sex == "M" else "овна")


def display(surname: str, given: str) -> str:
    """Given names then surname, the order most sources print."""
    return f"{given} {surname}".strip()

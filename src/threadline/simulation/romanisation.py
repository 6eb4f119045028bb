"""The ``romanisation`` regime: each source spells names by its own country's convention.

In the other regimes a source picks a romanisation at random for each record. Here a
share of sources (the regime's knob) follows its country's convention, the same way each
time: francophone agencies (France, Senegal, Côte d'Ivoire, Morocco) romanise Cyrillic by
the French scheme (Chevtchenko, Iouri) and write Arabic names as French-language
documents do (Mohamed, Youssef, Abderrahmane, Ben Ali, El Kacem, Houda, Khadidja);
German agencies use the German scheme (Schewtschenko, Jurij); English-speaking ones and
those of the Gulf and the Levant BGN/PCGN (Yuriy) and English spellings (Mohammed,
Yousef, Abdulrahman, Bin Ali); Egypt its own (Mohamed, Mostafa, Abdel Rahman); others
copy the passport. Thai names are written in the spelling the country's agencies keep to
(the usual one, RTGS or another in use). An agency of the name's own script (Cyrillic,
Arabic, Thai) keeps the script more often. Passports follow the issuing country's
practice (:func:`threadline.simulation.names.passport_part`).

The regime draws only from its own random streams and, where a source does not follow
its convention, keeps what the standard world's source wrote: so a ``romanisation``
world holds the same people, records and notices as the ``standard`` world of its seed,
spelled otherwise, and every other regime writes the files it wrote before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from threadline.simulation.config import SimulationConfig, stream
from threadline.simulation.names import (
    SCHEMES,
    Person,
    Slips,
    arabic_style,
    native,
    passport_part,
    romanise,
    thai_spelling,
    typo,
)

# How often a source of the name's own script that follows its convention keeps it.
OWN_SCRIPT = 0.85
SCRIPTS = ("ru", "ar", "th")  # name cultures with a script of their own


@dataclass(frozen=True, slots=True)
class Convention:
    """How one country's agencies write names of other scripts in Latin letters."""

    cyrillic: str  # scheme of names.SCHEMES (icao: as the passport)
    arabic: str  # style of namedata.ARABIC_SPELLINGS ("": as the passport)
    thai: int  # which of a Thai name's spellings (0: the usual one, the passport's)


FRENCH = Convention("fr", "fr", 2)
GERMAN = Convention("de", "", 1)
ENGLISH = Convention("bgn", "en", 1)
EGYPTIAN = Convention("bgn", "eg", 1)
PASSPORT = Convention("icao", "", 0)

CONVENTIONS: dict[str, Convention] = {
    **dict.fromkeys(("FR", "SN", "CI", "MA"), FRENCH),
    "DE": GERMAN,
    **dict.fromkeys(("GB", "US", "AU", "CA", "NG", "GH", "PH"), ENGLISH),
    **dict.fromkeys(("AE", "SA", "JO"), ENGLISH),
    "EG": EGYPTIAN,
    # Cyrillic-script and Thai agencies write Latin as the passport does; so do those of
    # countries with no convention of their own for these scripts (ES, PT, IT, TR, ...).
}


_VOWELS = frozenset("аеёиоуыэюя")
_FRONT = frozenset("еёиюяэы")
_HUSHING = frozenset("жчшщ")


def _cyrillic_letter(scheme: str, word: str, i: int) -> str | None:
    """The spelling of ``word[i]`` where the usage of ``scheme`` depends on its neighbours
    (None: the scheme's table)."""
    c = word[i]
    prev = word[i - 1] if i else ""
    after = word[i + 1] if i + 1 < len(word) else ""
    if c == "й":
        if prev in ("и", "ы") and not after and scheme in ("fr", "de"):
            return ""  # Iouri, Dmitri, Juri
        if scheme == "fr" and prev in _VOWELS:
            return "ï"  # Sergueï, Nikolaï, Aïgoul
        if scheme == "de" and prev in ("а", "о", "у"):
            return "i"  # Nikolai, Aigul
    elif c == "е" and (not prev or prev in _VOWELS or prev in ("ь", "ъ")):
        if scheme == "fr":  # Sergueïevitch, Iourievitch
            if prev in ("ь", "ъ"):
                return "ie"
            return "ïe" if prev in _VOWELS and prev != "и" else None
        return {"de": "je", "bgn": "ye"}.get(scheme)  # Jelena, Sergejewitsch, Yelena
    elif c == "ё" and scheme in ("fr", "de"):
        return "o" if prev in _HUSHING else None
    elif c == "г" and scheme == "fr" and after in _FRONT:
        return "gu"  # Sergueï, Evgueni
    elif c == "и" and scheme == "fr" and prev in _VOWELS:
        return "ï"  # Mikhaïl
    elif c == "я" and scheme == "fr" and prev == "и":
        return "a"  # Maria, Ioulia
    elif c == "с" and scheme in ("fr", "de"):
        if prev == "к" and i >= 2 and word[i - 2] in _VOWELS:
            return ""  # written with the к as x
        if prev in _VOWELS and after in _VOWELS:
            return "ss"  # Ioussoupov, Jussupow
    elif c == "к" and scheme in ("fr", "de") and after == "с" and prev in _VOWELS:
        return "x"  # Alexeï, Maxim
    return None


def cyrillic(text: str, scheme: str) -> str:
    """Cyrillic as a country's documents write it with ``scheme`` (fr, de, bgn): the
    scheme's letters with the usage French, German (Duden) and BGN/PCGN spellings follow
    around them: Iouri Sergueïevitch, Juri Sergejewitsch, Yuriy Sergeyevich, Ioussoupov,
    Alexeï, Jelena, Yelena. (The other regimes' sources use the plain tables.)"""
    table = SCHEMES[scheme]
    out: list[str] = []
    for word in text.split(" "):
        low = word.lower()
        letters = []
        for i, ch in enumerate(word):
            rom = _cyrillic_letter(scheme, low, i)
            if rom is None:
                rom = table.get(low[i], ch)
            letters.append(rom.capitalize() if ch != low[i] else rom)
        out.append("".join(letters))
    return " ".join(out)


def convention(country: str) -> Convention:
    """The convention of the country's agencies (the passport's spelling when none)."""
    return CONVENTIONS.get(country, PASSPORT)


def spell(text: str, person: Person, country: str) -> str:
    """One part of ``person``'s name (or a relative's, of the same culture) in the Latin
    letters an agency of ``country`` writes it with."""
    rule = convention(country)
    if person.culture == "ru":
        if rule.cyrillic == "icao":
            return romanise(text, "ru", "icao")
        return cyrillic(text, rule.cyrillic)
    if person.culture == "ar":
        if rule.arabic:
            return arabic_style(text, rule.arabic)
        return passport_part(text, person, by_issuer=True)
    if person.culture == "th":
        return thai_spelling(text, rule.thai)
    return text


class Romaniser:
    """Decides, source by source, whether the source follows its country's convention,
    and writes the name if it does; every draw comes from the regime's own stream."""

    def __init__(self, share: float, rng: random.Random) -> None:
        self.share = share
        self.rng = rng

    def follows(self, person: Person) -> bool:
        """Whether the next source follows its convention for the person's name (drawn for
        names of another script only: a Latin name is written as it is, and as the
        standard world's source wrote it, slips included)."""
        return person.culture in SCRIPTS and self.rng.random() < self.share

    def record(
        self,
        person: Person,
        country: str,
        culture: str,
        drawn: tuple[str, str],
        slips: Slips | None,
    ) -> tuple[str, str]:
        """(surname, given names) as an agency of ``country`` (whose names are of
        ``culture``) records the person. ``drawn`` is what the standard world's source
        wrote, kept when this one does not follow its convention; ``slips`` what it
        dropped or mistyped (None when it kept the name's own script)."""
        if not self.follows(person):
            return drawn
        own = person.culture == culture and culture in SCRIPTS
        if own and self.rng.random() < OWN_SCRIPT:
            return native(person.surname, culture), native(person.given, culture)
        return self.latin(person, country, slips or Slips())

    def latin(self, person: Person, country: str, slips: Slips) -> tuple[str, str]:
        """(surname, given names) in the country's Latin spelling, with the source's slips
        (its typos drawn afresh from the regime's stream)."""
        given = spell(person.given, person, country)
        if person.middle and slips.middle:
            given += " " + spell(person.middle, person, country)
        surname = spell(person.surname, person, country)
        if slips.surname_typo:
            surname = typo(surname, self.rng)
        if slips.given_typo:
            given = typo(given, self.rng)
        if slips.swapped:
            surname, given = given, surname
        return surname, given


def romaniser(config: SimulationConfig, component: str) -> Romaniser | None:
    """The regime's romaniser for one writer (its own stream), or None outside the regime."""
    share = config.evasion.romanisation
    if share <= 0:
        return None
    return Romaniser(share, stream(config.seed, f"regime-romanisation-{component}"))

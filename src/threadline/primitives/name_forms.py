"""Name parts that look alike but name different people: gendered forms and patronymics.

Edit distance says "François" and "Françoise", "Michel" and "Michelle", "Ivanov" and
"Ivanova" are one or two letters apart; in the languages that write them they are a
man's and a woman's name. "Ivanovna" (daughter of Ivan) is a patronymic, not the surname
"Ivanova". A screening that lets such pairs count as typos holds the wrong person, so the
comparison keeps them apart and says why.

The endings are the grammatical rules of those languages (French given names, East Slavic
and Polish surnames and patronymics, Greek given names and surnames, Arabic given names:
Samir/Samira), not a list of names;
a pair counts only when both parts share a stem of at least two letters. Italian "Daniele"
and "Michele" are men's names, so "-el"/"-ele" is not a rule either.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["distinct_forms", "gendered_endings", "is_patronymic"]

# (masculine ending, feminine ending): French given names, East Slavic and Polish surnames,
# Greek names, Arabic given names.
# "+e" alone is not a rule ("Hassan"/"Hassane" and "Amin"/"Amine" are one man's name in two
# spellings); the French feminine endings are. Nor are Spanish, Portuguese and Italian
# "-o"/"-a" and "+a" (Mario/Maria, Luis/Luisa): their surnames do not inflect, so "Ortego"
# is a slip for "Ortega", not a man; there the sex field, where given, tells them apart.
_GENDERED = (
    ("is", "ise"),  # Louis/Louise, Denis/Denise, François/Françoise
    ("el", "elle"),  # Michel/Michelle, Daniel/Danielle, Gabriel/Gabrielle
    ("al", "ale"),  # Pascal/Pascale
    ("on", "onne"),  # Yvon/Yvonne
    ("an", "anne"),  # Jean/Jeanne
    ("ov", "ova"),  # Ivanov/Ivanova
    ("ev", "eva"),  # Lebedev/Lebedeva
    ("in", "ina"),  # Putin/Putina (also given names: Martin/Martina)
    ("sky", "skaya"),  # Kovalevsky/Kovalevskaya
    ("skiy", "skaya"),
    ("skii", "skaia"),
    ("ski", "ska"),  # Kowalski/Kowalska
    # Greek given names and surnames (as romanised by ELOT 743 and in use)
    ("os", "a"),  # Georgios/Georgia, Konstantinos/Konstantina
    ("ios", "a"),  # Dimitrios/Dimitra
    ("is", "a"),  # Ioannis/Ioanna, Panagiotis/Panagiota
    ("os", "ou"),  # Papadopoulos/Papadopoulou
    ("is", "ou"),  # Oikonomidis/Oikonomidou
    ("akis", "aki"),  # Papadakis/Papadaki
)
# Arabic given names: the feminine adds -a (ta marbuta, also written -ah) to a name ending in
# i or e and a consonant (Samir/Samira, Karim/Karima, Jamil/Jamila, Farid/Farida,
# Malik/Malika, Aziz/Aziza, Sameer/Sameera, Nacer/Nacera, Amin/Aminah); the same ending makes
# a woman's name in Slavic and Germanic languages (Vladimir/Vladimira, Erik/Erika,
# Daniel/Daniela). Not -is/-isa (Luis/Luisa, above), -it/-ita (Judit/Judita are one woman's
# name) or -en/-ena (Helen/Helena). The masculine endings, for "+a" and for "+ah":
_FEMININE_A = frozenset({*(f"i{c}" for c in "bdfhklmrz"), "el", "er"})
_FEMININE_AH = _FEMININE_A | {"in"}
# Patronymics (as romanised: Russian, Ukrainian, Serbian, and German and French spellings)
# against the surname formed on the same father's name.
_PATRONYMIC = (
    "ovich", "evich", "ovitch", "evitch", "owitsch", "ewitsch", "ovych", "evych",
    "ovna", "evna", "ivna", "ich", "ichna",
)  # fmt: skip
_SURNAME = ("ov", "ev", "ova", "eva", "off", "ow", "ew", "owa", "ewa")
# The endings that mark a part as a patronymic on their own ("-ich" alone is also Friedrich).
_PATRONYMIC_ONLY = tuple(ending for ending in _PATRONYMIC if len(ending) >= 4)
_MIN_STEM = 2


def distinct_forms(left: str, right: str) -> str | None:
    """Why two folded name parts are different names though spelled alike, or None."""
    if left == right or left[:_MIN_STEM] != right[:_MIN_STEM] or abs(len(left) - len(right)) > 5:
        # no rule applies: the quick answer for almost every pair, not worth remembering
        return None
    return _stem_reason(left, right)


@lru_cache(maxsize=200_000)
def _stem_reason(left: str, right: str) -> str | None:
    """:func:`distinct_forms` for two different parts with a stem in common."""
    for first, second in ((left, right), (right, left)):
        if _arabic_feminine(first, second):
            return f"{first!r} and {second!r} are a man's and a woman's form of a name"
        for masculine, feminine in _GENDERED:
            if _same_stem(first, masculine, second, feminine):
                return f"{first!r} and {second!r} are a man's and a woman's form of a name"
        for patronymic in _PATRONYMIC:
            if not first.endswith(patronymic):
                continue
            stem = first[: len(first) - len(patronymic)]
            if len(stem) >= _MIN_STEM and any(second == stem + ending for ending in _SURNAME):
                return f"{first!r} is a patronymic, {second!r} a surname"
    return None


@lru_cache(maxsize=200_000)
def gendered_endings(left: str, right: str) -> bool:
    """Whether two folded given names differ only as a man's and a woman's form of one name
    do in Romance, Slavic, Germanic and Indian given names: -o and -a (Mario/Maria,
    Paolo/Paola), a consonant and the same with -a (Luis/Luisa, Amit/Amita, Ivan/Ivana), -er
    and -ra (Alexander/Alexandra), a doubled consonant with -i and with -a
    (Giovanni/Giovanna). The spelling alone cannot tell: in a surname "Ortego" is a slip for
    "Ortega", "Nikola" is a man's name and "Eleni" a woman's. So these count only where name
    data knows both parts as two names (:mod:`threadline.primitives.name_compare`)."""
    for first, second in ((left, right), (right, left)):
        if not second.endswith("a") or len(second) < _MIN_STEM + 2:
            continue
        stem = second[:-1]
        if first == stem and stem[-1] not in _VOWELS:
            return True  # Luis/Luisa
        if first == stem + "o" or (first == stem + "i" and stem[-1] == stem[-2] != "i"):
            return True  # Mario/Maria, Giovanni/Giovanna
        if stem.endswith("r") and first == stem[:-1] + "er" and stem[-2] not in _VOWELS:
            return True  # Alexander/Alexandra
    return False


_VOWELS = frozenset("aeiouy")


def _arabic_feminine(first: str, second: str) -> bool:
    """Whether ``second`` is ``first`` with the feminine -a or -ah (see _FEMININE_A)."""
    if len(first) < _MIN_STEM + 2 or not second.startswith(first):
        return False
    added, ending = second[len(first) :], first[-2:]
    if added == "a":
        return ending in _FEMININE_A
    return added == "ah" and ending in _FEMININE_AH


def _same_stem(first: str, ending_a: str, second: str, ending_b: str) -> bool:
    if not (first.endswith(ending_a) and second.endswith(ending_b)):
        return False
    stem = first[: len(first) - len(ending_a)]
    return len(stem) >= _MIN_STEM and second[: len(second) - len(ending_b)] == stem


def is_patronymic(text: str) -> bool:
    """Whether a folded name part reads as an East Slavic patronymic ("vladimirovich",
    "ivanovna"): a part that travel documents in Latin script usually leave out."""
    return len(text) >= 7 and text.endswith(_PATRONYMIC_ONLY)

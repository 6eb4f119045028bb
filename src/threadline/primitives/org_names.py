"""Names of organisations, companies and vessels: the name without its legal form, and the
marks that tell two alike names apart.

A legal form says little about which company a name means ("Siemens Aktiengesellschaft"
is "Siemens AG", "OAO Gazprom" is "Open Joint Stock Company Gazprom"), so it is taken
out before the names are compared, by rigour's table of legal forms across
jurisdictions (the one OpenSanctions keeps), then by a few words it does not list.
But two names that both state a legal form, and different kinds of one ("Deutsche Bank
AG", a joint-stock company, and "Deutsche Bank GmbH", a limited-liability company), are
two registered companies; so are "Apollo Investment Fund VIII" and "... IX", or
"Management Company 23" and "Management Company". :func:`org_difference` says so, and
the comparison then stops short of a match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.names.org_types import extract_org_types

from threadline.primitives.names import PersonName, parse_name

__all__ = ["org_difference", "org_name"]

# Words rigour's table leaves (or that its generic forms cover only in some languages):
# they carry no identity for organisations ("Acme Ltd" is "Acme Group").
_LEGAL_FORMS = frozenset({
    "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "co", "company", "plc",
    "gmbh", "ag", "sa", "sarl", "srl", "bv", "nv", "oy", "ab", "as", "sp", "spa", "pte", "pty",
    "jsc", "ojsc", "ooo", "zao", "pjsc", "kg", "lp", "llp", "group", "holding", "holdings"
})  # fmt: skip
# Ship-type prefixes written before a vessel's name (motor vessel, motor tanker, fishing
# vessel, motor ship, steam ship, motor yacht, sailing vessel...): not part of the name.
_VESSEL_PREFIXES = frozenset({"mv", "mt", "fv", "mfv", "ms", "ss", "my", "sv", "fb", "mts"})
# A number in a name: digits, or a Roman numeral up to 39 of two letters or more ("Fund
# VIII", "Solutions II"); a lone I, V or X is as likely an initial ("L.X.C. Aviation").
_EDGE = " ,.;:()[]-\"'"
_NUMBER = re.compile(r"\d+|(?=[ivx]{2})x{0,3}(?:ix|iv|v?i{1,3}|v)|(?=[ivx]{2})x{1,3}")
# A number written as digits with an English ordinal ending ("1st", "44th").
_DIGIT_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
# Tens in words before a digit ("Forty 4"): one number written half in words.
_TENS_AND_DIGIT = re.compile(r"\b([2-9])0[\s-]+([1-9])\b")


@lru_cache(maxsize=50_000)
def _without_legal_form(text: str) -> tuple[str, frozenset[str]]:
    """The name with the legal forms rigour knows taken off its ends, and their generic
    kinds (jsc, llc...).

    Only the ends: a legal form is written before the name ("OOO Romashka", "Open Joint
    Stock Company Gazprom") or after it ("Siemens AG"), while the same letters inside or
    at the head of a word are the name ("AT&T", "N.A.B.C. Company"). Short forms that are
    also Roman numerals ("II") are numbers (see org_difference), never a legal form.
    """
    folded = text.casefold()
    aliases = [
        (stripped, kind)
        for alias, kind in extract_org_types(folded, generic=True)
        if (stripped := alias.strip(_EDGE)) and not _NUMBER.fullmatch(stripped)
    ]
    rest, kinds = folded.strip(_EDGE), set()
    while True:
        for alias, kind in aliases:
            if rest.endswith(alias) and (len(rest) == len(alias) or rest[-len(alias) - 1] in " ,("):
                rest = rest[: -len(alias)].strip(_EDGE)
            elif rest.startswith(alias) and rest[len(alias) : len(alias) + 1] == " ":
                rest = rest[len(alias) :].strip(_EDGE)
            else:
                continue
            kinds.add(kind)
            break
        else:
            break
    return (rest if any(ch.isalnum() for ch in rest) else text), frozenset(kinds)


@lru_cache(maxsize=1)
def _spelled_numbers() -> tuple[re.Pattern[str], dict[str, str]]:
    """English numbers from 0 to 99 in words, cardinal and ordinal ("forty-four",
    "three", "first", "twenty-second"), as CLDR's spell-out rules (through ICU) write them,
    and a pattern finding them in folded text (the parts joined by a hyphen or spaces)."""
    import icu  # PyICU, a pinned dependency

    rules = icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale("en"))
    words: dict[str, str] = {}
    for ruleset in ("%spellout-numbering", "%spellout-ordinal"):
        rules.setDefaultRuleSet(ruleset)
        for number in range(100):
            words[rules.format(number).casefold().replace("-", " ")] = str(number)
    # longest first, so "forty four" is read before "forty"
    spelled = sorted(words, key=len, reverse=True)
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, w.split())) for w in spelled)
    return re.compile(rf"\b(?:{alternatives})\b"), words


def _numbers_as_digits(text: str) -> str:
    """``text`` (case folded) with English numbers in words and ordinals written as digits:
    "Brigade Forty-Four" and "Brigade 44", "Three Percenters" and "3 Percenters", "First
    International Bank" and "1st International Bank" read alike."""
    pattern, words = _spelled_numbers()
    folded = text.casefold()
    digits = pattern.sub(lambda m: words[" ".join(re.split(r"[\s-]+", m.group(0)))], folded)
    digits = _DIGIT_ORDINAL.sub(r"\1", digits)
    return _TENS_AND_DIGIT.sub(r"\1\2", digits)


def org_name(text: str, schema: str = "Organization") -> PersonName:
    """An organisation's or vessel's name ready to compare: without legal-form words and,
    for a vessel, without a ship-type prefix ("MV Ocean Star" is the vessel "Ocean Star");
    numbers in words are read as digits."""
    stripped, _kinds = _without_legal_form(text) if schema != "Vessel" else (text, frozenset())
    name = parse_name(_numbers_as_digits(stripped), person=False)
    kept = tuple(t for t in name.tokens if t.text not in _LEGAL_FORMS)
    if schema == "Vessel" and len(kept) > 1 and kept[0].text in _VESSEL_PREFIXES:
        kept = kept[1:]
    return PersonName(text, kept or name.tokens, person=False)


def _numbers(name: PersonName) -> frozenset[str]:
    return frozenset(t.text for t in name.tokens if _NUMBER.fullmatch(t.text))


def org_difference(left: str, right: str, schema: str = "Organization") -> str | None:
    """Why two organisation names name two registered bodies however alike they read (other
    kinds of legal form, other numbers), or None. Vessels are not judged here: sister
    ships are numbered alike and lists write a hull number or leave it out."""
    if schema == "Vessel":
        return None
    kinds_left, kinds_right = _without_legal_form(left)[1], _without_legal_form(right)[1]
    if kinds_left and kinds_right and not kinds_left & kinds_right:
        return (f"other kinds of legal form ({', '.join(sorted(kinds_left))} vs "
                f"{', '.join(sorted(kinds_right))})")  # fmt: skip
    numbers_left = _numbers(parse_name(_numbers_as_digits(left), person=False))
    numbers_right = _numbers(parse_name(_numbers_as_digits(right), person=False))
    if numbers_left != numbers_right:
        shown = [", ".join(sorted(n)) or "none" for n in (numbers_left, numbers_right)]
        return f"other numbers in the names ({shown[0]} vs {shown[1]})"
    return None

"""Recover digit runs from text that hides them: words, glyphs, swaps and odd separators.

The scanner works on folded text (same length as the original, see ``folding``)
and yields :class:`DigitChain` objects: digits that sit next to each other
separated only by short punctuation, each digit traced back to its characters.
Phone recognition then decides which part of a chain, if any, is a phone number.

Ambiguous units ("for", "to", "o", "l", "i", "un", "um", "meia") are "weak": they
count only in digit context, i.e. glued to a strong unit ("for80") or with
strong runs on both sides ("eight for zero"). That keeps "call me for a date"
and "un rendez-vous" from becoming digits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from threadline.ads.extract.trie import trie_pattern

# Unambiguous number words in EN, FR, ES, PT (folded: no accents, lower case).
STRONG_WORDS: dict[str, str] = {
    "zero": "0", "cero": "0",
    "one": "1", "uno": "1",
    "two": "2", "deux": "2", "dos": "2", "dois": "2", "duas": "2",
    "three": "3", "trois": "3", "tres": "3",
    "four": "4", "quatre": "4", "cuatro": "4", "quatro": "4",
    "five": "5", "cinq": "5", "cinco": "5",
    "six": "6", "seis": "6",
    "seven": "7", "sept": "7", "siete": "7", "sete": "7",
    "eight": "8", "huit": "8", "ocho": "8", "oito": "8",
    "nine": "9", "neuf": "9", "nueve": "9", "nove": "9",
}  # fmt: skip

# Ambiguous units: homophones ("for", "to"), article-numbers ("un", "um") and
# letters that stand in for digits inside digit runs (O for 0, l/I for 1).
WEAK_WORDS: dict[str, str] = {
    "for": "4", "fore": "4", "to": "2", "too": "2",
    "une": "1", "una": "1", "uma": "1", "un": "1", "um": "1",
    "meia": "6",  # Brazilian "half a dozen", common when dictating numbers
    "o": "0", "l": "1", "i": "1",
}  # fmt: skip

_LETTER_SWAPS = frozenset({"o", "l", "i"})

# Numbers from 10 to 99 as ICU spells them (CLDR's spell-out rules), in the languages and
# regional forms ads are written in: "douze", "soixante-dix-huit", "septante", "huitante",
# "treinta y cuatro", "trinta e quatro", "twenty-three". People dictate phone numbers in
# such pairs ("zéro six, douze, trente-quatre..."), so one spelled number is one unit of
# two digits.
_SPELLOUT_LOCALES = ("en", "fr", "fr_BE", "fr_CH", "es", "pt")
_SPELLOUT_RULES = (
    "%spellout-numbering",
    "%spellout-cardinal",
    "%spellout-cardinal-masculine",
    "%spellout-cardinal-feminine",
)
# Spelled numbers that are also ordinary words in one of the four languages: weak, like "for".
_AMBIGUOUS_NUMBERS = frozenset({"once", "quince", "doce", "seize", "ten", "dez"})


def _writings(word: str) -> set[str]:
    """The ways ads write one spelled number: hyphens, spaces or nothing between its parts,
    and the French plural of "quatre-vingts" with or without its s."""
    forms = {
        word,
        word.replace("-", " "),
        word.replace(" ", "-"),
        word.replace("-", "").replace(" ", ""),
    }
    forms |= {f.replace("vingts", "vingt") for f in forms}
    return forms


def _spelled_numbers() -> dict[str, str]:
    """Folded spellings of 10 to 99 in EN, FR (with its Belgian and Swiss forms), ES and PT,
    each mapped to its two digits; "double"/"triple" before a digit word repeat it."""
    import icu  # PyICU, a pinned dependency: CLDR's spell-out rules, not a hand-written list

    from threadline.ads.extract.folding import fold

    spelled: dict[str, str] = {}
    for name in _SPELLOUT_LOCALES:
        rules = icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale(name))
        sets = {rules.getRuleSetName(i) for i in range(rules.getNumberOfRuleSetNames())}
        for ruleset in (r for r in _SPELLOUT_RULES if r in sets):
            rules.setDefaultRuleSet(ruleset)
            for number in range(10, 100):
                for form in _writings(fold(rules.format(number))):
                    spelled.setdefault(form, str(number))
    for word, digit in STRONG_WORDS.items():
        spelled[f"double {word}"] = digit * 2
        spelled[f"triple {word}"] = digit * 3
    spelled["double oh"], spelled["triple oh"] = "00", "000"
    return spelled


_SPELLED = _spelled_numbers()
STRONG_WORDS.update({w: d for w, d in _SPELLED.items() if w not in _AMBIGUOUS_NUMBERS})
WEAK_WORDS.update({w: d for w, d in _SPELLED.items() if w in _AMBIGUOUS_NUMBERS})

# Digit glyphs outside Unicode's decimal digits: circled, parenthesised, dingbats.
_GLYPH_RANGES = (
    "\u2460-\u2468\u24ea\u2474-\u247c\u2488-\u2490\u24f5-\u24fd\u24ff"
    "\u2776-\u277e\u2780-\u2788\u278a-\u2792\u24ff"
)
_KEYCAP = "\ufe0f?\u20e3"

# Number words as a trie (one branch tried per character, see ``trie``), longest first.
_UNIT = rf"(?:\d|[{_GLYPH_RANGES}]|{trie_pattern({**STRONG_WORDS, **WEAK_WORDS})})(?:{_KEYCAP})?"
_FIRST = "".join(sorted({w[0] for w in {**STRONG_WORDS, **WEAK_WORDS}}))
# Atomic repetition: a run must be made entirely of units and bounded by non-letters.
# The leading class lets the engine skip characters that cannot start a unit.
_RUN_RE = re.compile(rf"(?=[\d{_FIRST}{_GLYPH_RANGES}])(?<![a-z\d])(?:{_UNIT})++(?![a-z])")
_UNIT_RE = re.compile(_UNIT)
# What may separate two runs of one chain (at most three characters).
_GAP_RE = re.compile(r"[\s.\-/()\[\]_*|:~+\ufe0f]{0,3}")
_ODD_GAP_RE = re.compile(r"[/_*|:~\[\]]|\n|[\s.\-]{2,}")
# Quick test: is there any digit, glyph or number word at all?
_ANY_RE = re.compile(rf"\d|[{_GLYPH_RANGES}]|{trie_pattern(STRONG_WORDS)}")


class DigitRun(NamedTuple):
    """Units written without any separator between them ("for80", "0803").

    ``digits`` holds one digit per unit; ``methods`` says how any of them was hidden
    (empty for plain ASCII digits). Plain tuples, not one object per digit: a
    million ads hold tens of millions of digits.
    """

    digits: str  # one or more digits per unit ("douze" is 12, "triple five" 555)
    start: int
    end: int
    methods: frozenset[str]


class DigitChain(NamedTuple):
    """Runs separated only by short punctuation; a phone number lives inside one chain."""

    runs: tuple[DigitRun, ...]
    plus: bool  # a "+" right before the first digit
    gap_methods: tuple[frozenset[str], ...]  # obfuscation seen in the gap before run i

    @property
    def size(self) -> int:
        """How many digits the chain holds."""
        return sum(len(run.digits) for run in self.runs)


_PLAIN: frozenset[str] = frozenset()


def _unit_digit(token: str) -> tuple[str, str | None]:
    core = token.rstrip("\ufe0f\u20e3")
    keycap = len(core) != len(token)
    if core in STRONG_WORDS:
        return STRONG_WORDS[core], "words"
    if core in _LETTER_SWAPS:
        return WEAK_WORDS[core], "letter-swap"
    if core in WEAK_WORDS:
        return WEAK_WORDS[core], "words"
    value = unicodedata.digit(core, None)
    if value is None:  # pragma: no cover - the unit regex only admits digits here
        raise ValueError(f"not a digit unit: {token!r}")
    if keycap:
        return str(value), "keycap"
    return str(value), None if core.isascii() else "glyphs"


def _run(match: re.Match[str]) -> tuple[DigitRun, bool]:
    text = match.group()
    # Fast paths for the common runs: plain digits ("2024") and one number word ("to").
    if text.isdigit() and text.isascii():
        return DigitRun(text, match.start(), match.end(), _PLAIN), True
    if text in WEAK_WORDS:
        digit, method = _unit_digit(text)
        weak = frozenset((method,)) if method else _PLAIN
        return DigitRun(digit, match.start(), match.end(), weak), False
    digits = []
    methods: set[str] = set()
    strong = False
    for unit in _UNIT_RE.finditer(text):
        token = unit.group()
        digit, method = _unit_digit(token)
        if token.rstrip("\ufe0f\u20e3") not in WEAK_WORDS:
            strong = True
        digits.append(digit)
        if method is not None:
            methods.add(method)
    return DigitRun("".join(digits), match.start(), match.end(), frozenset(methods)), strong


def _gap_ok(folded: str, start: int, end: int) -> bool:
    return end - start <= 3 and _GAP_RE.fullmatch(folded, start, end) is not None


def digit_chains(folded: str, min_digits: int = 1) -> list[DigitChain]:
    """All chains of at least ``min_digits`` digits in folded text, in order of appearance."""
    if _ANY_RE.search(folded) is None:
        return []
    runs: list[tuple[DigitRun, bool]] = []
    for m in _RUN_RE.finditer(folded):
        text = m.group()
        if text.isdigit() and text.isascii():  # the common case, inline: plain digits
            runs.append((DigitRun(text, m.start(), m.end(), _PLAIN), True))
        else:
            runs.append(_run(m))
    kept = _drop_isolated_weak(folded, runs)
    chains: list[DigitChain] = []
    current: list[DigitRun] = []
    gaps: list[frozenset[str]] = []
    size = 0
    for run in kept:
        if current and _gap_ok(folded, current[-1].end, run.start):
            gaps.append(_gap_methods(folded[current[-1].end : run.start]))
            current.append(run)
            size += len(run.digits)
            continue
        if current and size >= min_digits:
            chains.append(_chain(folded, current, gaps))
        current, gaps, size = [run], [_PLAIN], len(run.digits)
    if current and size >= min_digits:
        chains.append(_chain(folded, current, gaps))
    return chains


def _drop_isolated_weak(folded: str, runs: list[tuple[DigitRun, bool]]) -> list[DigitRun]:
    """Keep weak-only runs ("for") only between two strong runs of the same chain."""
    kept = []
    for i, (run, strong) in enumerate(runs):
        if strong:
            kept.append(run)
            continue
        if 0 < i < len(runs) - 1:
            before, before_strong = runs[i - 1]
            after, after_strong = runs[i + 1]
            if (
                before_strong
                and after_strong
                and _gap_ok(folded, before.end, run.start)
                and _gap_ok(folded, run.end, after.start)
            ):
                kept.append(run)
    return kept


_LINE_SPLIT = frozenset({"line-split"})
_ODD_SEPARATORS = frozenset({"odd-separators"})


def _gap_methods(gap: str) -> frozenset[str]:
    if not gap or _ODD_GAP_RE.search(gap) is None:
        return _PLAIN
    return _LINE_SPLIT if "\n" in gap else _ODD_SEPARATORS


def _chain(folded: str, runs: list[DigitRun], gaps: list[frozenset[str]]) -> DigitChain:
    start = runs[0].start
    lead = folded[max(0, start - 2) : start]
    return DigitChain(tuple(runs), "+" in lead, tuple(gaps))

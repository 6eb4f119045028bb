"""The keyword prefilter is an optimisation only: it must never change what an ad shows."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from threadline.ads import extract, parse_ad
from threadline.ads.extract.folding import fold
from threadline.ads.indicators import _evaluate, _prefilter, rule_sets
from threadline.ads.indicators.keywords import KeywordIndex, required_literals

from .conftest import make_ad
from .test_scoring import ESCORTS, PAIRS

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from bench_ads_scoring import generate

TEXTS = [t for _, _, t in ESCORTS] + [t for *_, a, b in PAIRS for t in (a, b)]


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        (r"urgent(?:ly)?", ["urgent", "urgently"]),
        (r"(?:flights?|visa) (?:are |is )?paid", ["flight paid", "visa is paid"]),
        (r"(?<=\w )(?:ltd|limited|llc)\b", ["ltd", "limited"]),
        (r"des (?:1[4-7]) ans", ["des 14 ans", "des 17 ans"]),
        (r"(?:calle|c/|avenida) [a-z ]+,? \d+", ["c/ mayor 10", "avenida sol, 3"]),
        (r"🌹", ["🌹"]),
    ],
)
def test_required_literals_are_in_every_match(pattern: str, matches: list[str]) -> None:
    literals = required_literals([pattern])
    assert literals
    for text in matches:
        assert re.fullmatch(pattern, text) or re.search(pattern, f"x {text}")
        assert any(literal in text for literal in literals), (literals, text)


def test_a_pattern_without_literals_disables_the_prefilter() -> None:
    assert required_literals([r"\d+[a-z]?"]) is None


def test_keyword_index_reports_overlapping_and_prefix_literals() -> None:
    index = KeywordIndex.build(["contrat", "contrato", "trato", "visa"])
    assert index.present(["un contrato firmado"]) == {"contrat", "contrato", "trato"}
    assert index.present(["nothing here"]) == set()


def test_prefiltered_matching_equals_full_matching() -> None:
    records = generate(200, seed=3)
    ads = [parse_ad(r) for r in records] + [make_ad(t) for t in TEXTS]
    sets = rule_sets()
    index = _prefilter(sets).index
    shown = 0
    for ad in ads:
        found = extract(ad)
        folded = [("title", fold(ad.title)), ("text", fold(ad.text))]
        present = index.present(text for _, text in folded)
        for rule_set in sets:
            for indicator in rule_set.indicators:
                full = _evaluate(indicator, ad, found, folded, None)
                fast = _evaluate(indicator, ad, found, folded, present)
                assert full == fast, (indicator.id, ad.text)
                shown += full is not None
    assert shown > 300  # the corpus does exercise the indicators


def test_registered_employer_pattern_needs_a_name_before_the_legal_form() -> None:
    (pattern,) = [
        i.pattern for r in rule_sets() for i in r.indicators
        if i.id == "recruitment.legit_registered_employer"
    ]  # fmt: skip
    assert pattern is not None
    assert re.search(pattern, "brightwater hospitality ltd, leeds")
    assert not re.search(pattern, "ltd")

"""The derived first-character guard never changes what a pattern matches."""

from __future__ import annotations

import re

import pytest

from threadline.ads.extract.trie import guarded

TEXTS = [
    "Call 07700 900123 or +44 7700 900456, 250 EUR/hr, I'm 19, 18+ welcome",
    "écrivez à ana (at) mail point com — 3 500 € par mois, j'ai 22 ans",
    "wallet 1BoatSLRHtKNngkdXEeobR76b53LETtpyT and 0x52908400098527886E0F7030069857D2E4169EE7",
    "t.me/lucky_jobs www.example.com/jobs ✈️🔥 nothing else at all",
    "",
    "[x]-y\\z ^caret$ tab\there\nnew line",
]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<![a-z\d])(?:\d|one|two|for)++(?![a-z])",
        r"(?:(?P<c>\$|€|eur)\s?(?P<a>\d+))|(?<![\w.])(?P<b>\d+)\s?(?:\$|€|eur)",
        r"\b(?:i'?m|age)\s*(?P<n>\d{2})\b",
        r"(?:https?://|www\.)\S+|(?<![@\w.])t\.me/\S+",
        r"[\[\]\-\\^]+",
        r"x?y*z",  # may start with x, y or z
        r"\s+tab",
    ],
)
def test_guarded_pattern_matches_exactly_the_same(pattern: str) -> None:
    plain, guard = re.compile(pattern), re.compile(guarded(pattern))
    assert guard.pattern.startswith("(?=[")
    for text in TEXTS:
        assert [m.span() for m in guard.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert [m.groupdict() for m in guard.finditer(text)] == [
            m.groupdict() for m in plain.finditer(text)
        ]


@pytest.mark.parametrize("pattern", [r".+x", r"[^a]b", r"a?", r"(?i)abc", r"(?:a|.)b"])
def test_a_pattern_whose_first_character_is_open_is_left_alone(pattern: str) -> None:
    assert guarded(pattern) == pattern


def test_the_guard_names_only_the_possible_first_characters() -> None:
    assert guarded(r"(?<!x)(?:ab|cd)e") == r"(?=[ac])(?:(?<!x)(?:ab|cd)e)"
    assert guarded(r"\d{2}|#") == r"(?=[\#\d])(?:\d{2}|#)"

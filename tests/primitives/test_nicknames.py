"""Nicknames and known variants of a name, from rigour's name data (MIT).

"Ben" is a nickname of "Benjamin", "Ted" of "Theodore", "Bill" of "William": a person
listed under one is often met under the other, and no edit distance or phonetic key sees
it. Two spellings of one name in the same Wikidata given-name or family-name item
("Sergejs"/"Sergey", "Li"/"Lee") are known variants. Neither may join what the name rules
keep apart (a man's and a woman's form), and a nickname alone never makes two people with
different surnames one.
"""

from __future__ import annotations

import pytest

from threadline.primitives.name_compare import (
    EXACT,
    VARIANT,
    align_names,
    compare_tokens,
    score_bound,
)
from threadline.primitives.names import parse_name
from threadline.screening.matching import POSSIBLE_THRESHOLD, score_names

_SYMBOL_KINDS = ("nickname", "known_variant")


def _part(text: str) -> object:
    (token,) = parse_name(text).tokens
    return token


def _kind(left: str, right: str) -> tuple[float, str]:
    return compare_tokens(_part(left), _part(right))


@pytest.mark.parametrize(
    ("nick", "full"),
    [("Ben", "Benjamin"), ("Ted", "Theodore"), ("Ted", "Edward"), ("Bill", "William"),
     ("Bob", "Robert"), ("Jim", "James"), ("Liz", "Elizabeth"), ("Sam", "Samuel"),
     ("Sam", "Samantha")],
)  # fmt: skip
def test_a_nickname_agrees_with_its_full_name(nick: str, full: str) -> None:
    for left, right in ((nick, full), (full, nick)):
        similarity, kind = _kind(left, right)
        assert kind == "nickname", (left, right, kind)
        # an agreement, a little below an exact one (and no surer than a spelling variant)
        assert 0.85 <= similarity <= VARIANT < EXACT


@pytest.mark.parametrize(
    ("left", "right"),
    [("Theodore", "Edward"),  # both are "Ted", but Ted is not one name for both
     ("Samuel", "Samantha"),  # both are "Sam"
     ("Benjamin", "Bill"), ("Robert", "William")],
)  # fmt: skip
def test_two_names_that_share_a_nickname_are_not_one_name(left: str, right: str) -> None:
    assert _kind(left, right)[1] not in _SYMBOL_KINDS


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ben Okafor", "Benjamin Okafor"), ("Ted Marlowe", "Theodore Marlowe"),
     ("Bill Carrow", "William Carrow"), ("Bob Ellery", "Robert Ellery"),
     ("Carrow, Bill", "William Carrow"), ("Ben Okafor", "OKAFOR Benjamin")],
)  # fmt: skip
def test_a_nickname_and_the_same_surname_are_a_match(left: str, right: str) -> None:
    result = score_names(left, right)
    assert result.decision == "match", result.to_dict()
    kinds = {part["kind"] for part in result.explanation[0].parts}
    assert "nickname" in kinds, result.to_dict()


def test_the_explanation_names_the_nickname() -> None:
    detail = score_names("Bill Carrow", "William Carrow").explanation[0].detail
    assert "'bill' is a nickname of 'william'" in detail
    detail = score_names("Theodore Marlowe", "Ted Marlowe").explanation[0].detail
    assert "'ted' is a nickname of 'theodore'" in detail


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ben Okafor", "Benjamin Adeyemi"), ("Ted Marlowe", "Theodore Quill"),
     ("Bill Carrow", "William Denholm"), ("Bob Ellery", "Robert Ashdown")],
)  # fmt: skip
def test_a_nickname_alone_never_bridges_different_surnames(left: str, right: str) -> None:
    result = score_names(left, right)
    assert result.decision == "no_match", result.to_dict()
    assert result.score < POSSIBLE_THRESHOLD


@pytest.mark.parametrize(
    ("left", "right"),
    [("Sergejs", "Sergey"), ("Li", "Lee"), ("Yu", "You")],
)
def test_spellings_of_one_name_in_the_name_data_are_known_variants(left: str, right: str) -> None:
    for a, b in ((left, right), (right, left)):
        similarity, kind = _kind(a, b)
        assert kind == "known_variant", (a, b, kind)
        assert 0.85 <= similarity <= VARIANT


def test_the_explanation_names_the_known_variant() -> None:
    detail = score_names("Sergejs Lavrinovs", "Sergey Lavrinovs").explanation[0].detail
    assert "'sergejs' is a known variant of 'sergey'" in detail


@pytest.mark.parametrize(
    ("left", "right"),
    [("Luis", "Luisa"), ("Maria", "Mario"), ("Francois", "Francoise"), ("Louis", "Louise"),
     ("Michel", "Michelle"), ("Paolo", "Paola"), ("Alexander", "Alexandra"),
     # in one name item of the data, but a man's and a woman's name
     ("Luca", "Lucy"), ("Goran", "Goranka"), ("Valentin", "Valentine"), ("Simone", "Simona")],
)  # fmt: skip
def test_a_mans_and_a_womans_form_are_never_joined_by_the_name_data(left: str, right: str) -> None:
    """The name data may group a man's and a woman's name in one item; a part pair the
    gendered-form rules or a feminine ending tell apart gets no more than the spelling
    comparison gives it (which the sex field, where given, then decides)."""
    for a, b in ((left, right), (right, left)):
        similarity, kind = _kind(a, b)
        assert kind not in _SYMBOL_KINDS, (a, b, kind)
        assert similarity < VARIANT


def test_francois_and_francoise_stay_apart() -> None:
    assert score_names("François Dumarest", "Françoise Dumarest").decision == "no_match"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Ben Okafor", ["ben", "okafor"]),  # a given name, not the particle of "Ben Ali"
        ("Isa Ben Tarif", ["isa", "tarif"]),  # "son of" inside a name is a particle
        ("Ben", ["ben"]),
    ],
)
def test_a_leading_ben_is_a_part_of_its_own(text: str, tokens: list[str]) -> None:
    assert [t.text for t in parse_name(text).tokens] == tokens


def test_a_surname_with_ben_written_first_still_matches() -> None:
    """Surname first ("BEN ALI Zine") reads "Ben" as a part of its own: it weighs as
    little as an initial, and the next part keeps the joined form ("benali")."""
    assert score_names("BEN ALI Zineb", "Zineb Ben Ali").decision == "match"
    assert score_names("BEN ALI Zineb", "Zineb Benali").decision == "match"


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ben Okafor", "Benjamin Okafor"), ("Ted Marlowe", "Theodore J Marlowe"),
     ("Bill Carrow", "William Carrow"), ("Sergejs Lavrinovs", "Sergey Lavrinov"),
     ("Ben Okafor", "Benjamin Adeyemi"), ("BEN ALI Zineb", "Zineb Ben Ali")],
)  # fmt: skip
def test_the_score_bound_holds_for_nicknames(left: str, right: str) -> None:
    a, b = parse_name(left), parse_name(right)
    for x, y in ((a, b), (b, a)):
        assert align_names(x, y).score <= score_bound(x, y) + 1e-12


def test_an_organisations_name_has_no_nicknames() -> None:
    """The person-name data is not read for a company's or vessel's name: "Bill" in a
    company's name is a word, not William."""
    result = score_names("Bill Carrow Holdings Ltd", "William Carrow Holdings Ltd", "Company")
    kinds = {part["kind"] for part in result.explanation[0].parts}
    assert not kinds & set(_SYMBOL_KINDS), result.to_dict()
    assert result.decision != "match"


def test_a_watchlist_index_loads_the_name_data_when_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building rigour's person-name tagger takes seconds: a border's first traveller must
    not wait for it, so the index loads it when it is frozen."""
    from threadline.screening import watchlist

    calls: list[None] = []
    monkeypatch.setattr(watchlist, "load_name_data", lambda: calls.append(None))
    watchlist.WatchlistIndex().freeze()
    assert calls


def test_a_leading_ben_is_no_rare_evidence() -> None:
    """A light leading "Ben" says as little as an initial: "Ben Smith" agreeing with "Ben
    Smith" is still agreement on common names only, as it was when "Ben" was a particle."""
    assert align_names(parse_name("Ben Smith"), parse_name("Ben Smith")).rare_parts == 0
    features = [c.feature for c in score_names("Ben Smith", "Ben Smith").explanation]
    assert "name_commonness" in features

"""Risk indicators as versioned data: rule sets in YAML, matched against an ad.

Each YAML file in this package is one rule set (a family of indicators with a
``version``). :func:`rule_sets` loads and compiles them once; :func:`match`
returns the indicators an ad shows, each with the spans that show it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from threadline.ads.extract import Extraction, Span
from threadline.ads.indicators.checks import CHECKS
from threadline.ads.indicators.keywords import KeywordIndex, PatternSet, required_literals
from threadline.exc import ConfigError
from threadline.model.ads import Ad

LANGUAGES = ("en", "fr", "es", "pt", "any")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of a rule set (see the YAML files for the meaning of each field)."""

    id: str
    family: str
    description: str
    source: str
    weight: float
    languages: tuple[str, ...]
    patterns: PatternSet | None
    absents: PatternSet | None
    check: str | None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The alternation of every pattern of every language."""
        return None if self.patterns is None else self.patterns.full

    @property
    def absent(self) -> re.Pattern[str] | None:
        """The alternation of every veto pattern."""
        return None if self.absents is None else self.absents.full


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A family of indicators loaded from one versioned data file."""

    family: str
    version: int
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """An indicator the ad shows, and where."""

    indicator: Indicator
    spans: tuple[Span, ...]


def _compile(patterns: Mapping[str, Sequence[str]] | None, where: str) -> PatternSet | None:
    """One alternation over every language, each pattern with its prefilter literals.

    Whole-word matching is checked after the regex (:func:`_bounded`) rather than
    with lookarounds: a pattern that starts with literals lets the regex engine
    skip positions that cannot start a match, which is several times faster.
    """
    if not patterns:
        return None
    parts = []
    for language, items in patterns.items():
        if language not in LANGUAGES:
            raise ConfigError(f"{where}: unknown language {language!r}")
        for item in items:
            try:
                re.compile(item)
            except re.error as exc:
                raise ConfigError(f"{where}: bad pattern {item!r}: {exc}") from exc
            source = f"(?:{item})" if language == "any" else rf"(?:{item})(?!\w)"
            parts.append((source, required_literals([item])))
    return PatternSet(parts)


def _indicator(family: str, data: dict[str, Any], where: str) -> Indicator:
    missing = {"id", "description", "source", "weight", "languages"} - set(data)
    if missing:
        raise ConfigError(f"{where}: indicator lacks {', '.join(sorted(missing))}")
    where = f"{where}: {data['id']}"
    check = data.get("check")
    if check is not None and check not in CHECKS:
        raise ConfigError(f"{where}: unknown check {check!r}")
    if check is None and not data.get("patterns"):
        raise ConfigError(f"{where}: needs patterns or a check")
    return Indicator(
        id=str(data["id"]),
        family=family,
        description=str(data["description"]),
        source=str(data["source"]),
        weight=float(data["weight"]),
        languages=tuple(data["languages"]),
        patterns=_compile(data.get("patterns"), where),
        absents=_compile(data.get("absent"), where),
        check=check,
        params=dict(data.get("params") or {}),
    )


def load_rule_set(text: str, name: str) -> RuleSet:
    """Parse and compile one rule-set file; ``ConfigError`` says what is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or "version" not in data or "family" not in data:
        raise ConfigError(f"{name}: a rule set needs 'version', 'family' and 'indicators'")
    family = str(data["family"])
    indicators = tuple(_indicator(family, item, name) for item in data.get("indicators") or [])
    return RuleSet(family, int(data["version"]), indicators)


@lru_cache(maxsize=1)
def rule_sets() -> tuple[RuleSet, ...]:
    """Every bundled rule set, loaded and compiled once per process."""
    package = resources.files("threadline.ads.indicators")
    files = sorted((p for p in package.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    return tuple(load_rule_set(p.read_text("utf-8"), p.name) for p in files)


class _Prefilter:
    """One keyword scan per ad telling which indicators can possibly fire."""

    def __init__(self, sets: Sequence[RuleSet]) -> None:
        self.sets = tuple(sets)
        literals: set[str] = set()
        for rule_set in self.sets:
            for ind in rule_set.indicators:
                for found in (ind.patterns, ind.absents):
                    for _, keywords in found.parts if found is not None else ():
                        literals |= keywords or set()
        self.index = KeywordIndex.build(literals)


_PREFILTERS: dict[tuple[int, ...], _Prefilter] = {}


def _prefilter(sets: Sequence[RuleSet]) -> _Prefilter:
    key = tuple(id(s) for s in sets)
    found = _PREFILTERS.get(key)
    # The prefilter keeps the rule sets alive, so a matching id is the same object.
    if found is None or any(a is not b for a, b in zip(found.sets, sets, strict=True)):
        if len(_PREFILTERS) > 32:
            _PREFILTERS.clear()
        found = _PREFILTERS[key] = _Prefilter(sets)
    return found


def match(
    ad: Ad,
    extraction: Extraction,
    folded_fields: Sequence[tuple[str, str]],
    sets: Sequence[RuleSet] | None = None,
) -> list[Hit]:
    """Indicators the ad shows.

    ``folded_fields`` are ``(field, fold(value))`` for title and text.
    """
    used = rule_sets() if sets is None else sets
    present = _prefilter(used).index.present(text for _, text in folded_fields)
    hits = []
    for rule_set in used:
        for indicator in rule_set.indicators:
            hit = _evaluate(indicator, ad, extraction, folded_fields, present)
            if hit is not None:
                hits.append(hit)
    return hits


def _evaluate(
    indicator: Indicator,
    ad: Ad,
    extraction: Extraction,
    folded_fields: Sequence[tuple[str, str]],
    present: set[str] | None = None,
) -> Hit | None:
    spans: list[Span] = []
    pattern = None if indicator.patterns is None else indicator.patterns.for_present(present)
    if pattern is not None:
        for name, text in folded_fields:
            for m in pattern.finditer(text):
                if _bounded(text, m):
                    spans.append(Span(name, m.start(), m.end()))  # type: ignore[arg-type]
    if indicator.check is not None:
        found = CHECKS[indicator.check](extraction, spans, indicator.params)
        if found is None:
            return None
        spans = found
    if not spans:
        return None
    # The veto is looked for only when the indicator would fire (most ads never get here).
    veto = None if indicator.absents is None else indicator.absents.for_present(present)
    if veto is not None:
        for _, text in folded_fields:
            if any(_bounded(text, m) for m in veto.finditer(text)):
                return None
    return Hit(indicator, tuple(spans))


def _bounded(text: str, m: re.Match[str]) -> bool:
    """The match does not start or end inside a word ("teen" is not in "canteen")."""
    start, end = m.span()
    if start == end:
        return False
    if start > 0 and text[start].isalnum() and text[start - 1].isalnum():
        return False
    return not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())

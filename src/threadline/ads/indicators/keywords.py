"""Keyword prefilters derived from the indicator patterns themselves.

Running every indicator's regular expression over every ad is what made scoring
slow: most patterns cannot match most ads, yet the regex engine still tries
them at every position. For each pattern this module derives *required
literals*: a small set of strings such that any match contains at least one of
them. An indicator's regex runs only when one of its literals occurs in the
ad, and one scan with a trie-shaped regex over every literal of every
indicator tells which literals occur (about as fast as reading the text once).

The literals are derived from the parsed pattern, never written by hand, so a
new pattern cannot silently escape its prefilter; a pattern with no usable
literal (say, one made only of character classes) disables the prefilter of
its indicator, which is then always evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from threadline.ads.extract.trie import trie_pattern

_MAX_EXPANSION = 64  # strings an expanded literal run may stand for
_PREFERRED_SIZE = 6  # prefer literal sets this small ...
_ENOUGH_LENGTH = 8  # ... and stop preferring longer literals beyond this length


def _expand(items: Sequence[Any]) -> set[str] | None:
    """Every string a pattern fragment made of literals, small classes, groups and ``?``
    can match, or None when it can match something else (or too many things)."""
    out = {""}
    for op, av in items:
        alts: set[str] | None
        if op is sre_c.LITERAL:
            alts = {chr(av)}
        elif op is sre_c.SUBPATTERN:
            alts = _expand(av[-1])
        elif op is sre_c.BRANCH:
            alts = set()
            for branch in av[1]:
                found = _expand(branch)
                if found is None:
                    return None
                alts |= found
        elif op is sre_c.IN:
            if len(av) > 8 or any(kind is not sre_c.LITERAL for kind, _ in av):
                return None
            alts = {chr(v) for _, v in av}
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            inner = _expand(av[2])
            alts = None if inner is None else inner | {""}
        else:
            return None
        if alts is None:
            return None
        out = {head + tail for head in out for tail in alts}
        if len(out) > _MAX_EXPANSION:
            return None
    return out


def _usable(candidate: set[str]) -> bool:
    """Every literal is selective enough: two characters, or one non-ASCII (an emoji)."""
    return all(len(s.strip()) >= 2 or (s.strip() != "" and not s.isascii()) for s in candidate)


def _candidates(items: Sequence[Any]) -> list[set[str]]:
    """Sets of strings, each of which some string must occur in every match."""
    out: list[set[str]] = []
    run: list[Any] = []

    def flush() -> None:
        if len(run) > 1:
            whole = _expand(run)
            if whole:
                out.append(whole)
        run.clear()

    for item in items:
        op, av = item
        alone = _expand([item])
        if alone is not None and "" not in alone:
            run.append(item)
            out.append(alone)
            continue
        flush()
        if op is sre_c.SUBPATTERN:
            inner = _best(av[-1])
            if inner:
                out.append(inner)
        elif op is sre_c.BRANCH:
            branches = [_best(b) for b in av[1]]
            if all(branches):
                out.append(set().union(*branches))  # type: ignore[arg-type]
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _best(av[2])
            if inner:
                out.append(inner)
    flush()
    return out


def _best(items: Sequence[Any]) -> set[str] | None:
    usable = [c for c in _candidates(items) if _usable(c)]
    if not usable:
        return None
    return max(
        usable,
        key=lambda c: (
            len(c) <= _PREFERRED_SIZE,
            min(_ENOUGH_LENGTH, min(len(s.strip()) for s in c)),
            -len(c),
        ),
    )


def required_literals(patterns: Iterable[str]) -> frozenset[str] | None:
    """Strings one of which occurs in any match of any of ``patterns``, or None if unknown."""
    found: set[str] = set()
    for pattern in patterns:
        literals = _best(sre_parse.parse(pattern))
        if literals is None:
            return None
        found |= {s.strip() for s in literals}
    # "contract" suffices where "contract signed" is also listed.
    return frozenset(k for k in found if not any(o != k and o in k for o in found))


@dataclass(frozen=True, slots=True)
class KeywordIndex:
    """Finds which of many literals occur in a text with one scan."""

    pattern: re.Pattern[str] | None
    # For each literal the trie can report, every literal that is a prefix of it
    # (the trie reports only the longest literal starting at a position).
    prefixes: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, literals: Iterable[str]) -> KeywordIndex:
        words = sorted(set(literals))
        if not words:
            return cls(None, {})
        prefixes = {w: tuple(p for p in words if w.startswith(p)) for w in words}
        return cls(re.compile(f"(?=({trie_pattern(words)}))"), prefixes)

    def present(self, texts: Iterable[str]) -> set[str]:
        """The literals that occur in any of ``texts``."""
        found: set[str] = set()
        if self.pattern is None:
            return found
        for text in texts:
            for m in self.pattern.finditer(text):
                found.update(self.prefixes[m.group(1)])
        return found


class PatternSet:
    """An alternation of patterns, each with its required literals.

    For an ad it compiles (once per combination, cached) only the patterns whose
    literals occur: a pattern none of whose literals occurs cannot match, so
    dropping it leaves the alternation's matches unchanged.
    """

    _CACHE_LIMIT = 512

    def __init__(self, parts: Sequence[tuple[str, frozenset[str] | None]]) -> None:
        self.parts = tuple(parts)
        self.full = re.compile("|".join(source for source, _ in self.parts))
        literals = [k for _, k in self.parts]
        self.keywords: frozenset[str] | None = (
            None if any(k is None for k in literals) else frozenset().union(*literals)  # type: ignore[arg-type]
        )
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}

    def for_present(self, present: set[str] | None) -> re.Pattern[str] | None:
        """The alternation of the patterns that can match, or None if none can."""
        if present is None:
            return self.full
        if self.keywords is not None and self.keywords.isdisjoint(present):
            return None
        chosen = tuple(
            i for i, (_, k) in enumerate(self.parts) if k is None or not k.isdisjoint(present)
        )
        if not chosen:
            return None
        if len(chosen) == len(self.parts):
            return self.full
        found = self._compiled.get(chosen)
        if found is None:
            if len(self._compiled) >= self._CACHE_LIMIT:
                self._compiled.clear()
            source = "|".join(self.parts[i][0] for i in chosen)
            found = self._compiled[chosen] = re.compile(source)
        return found

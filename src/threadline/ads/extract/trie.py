"""A regular expression for a large set of literal words, shaped as a trie.

``"a|ab|b"`` as a plain alternation makes the engine try every word at every
position; factored by common prefixes (``"(?:a(?:b)?|b)"``) it tries one branch
per character, so matching costs about one pass over the text. At a position
the trie matches the longest word it can extend to while what follows still
matches, the same result as an alternation sorted longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any


def trie_pattern(words: Iterable[str]) -> str:
    """Regex source matching any of ``words`` (escaped), longest first."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _build(root)


def _build(node: dict[str, Any]) -> str:
    alts = [re.escape(ch) + _build(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


def guarded(pattern: str) -> str:
    """``pattern`` behind a lookahead for the characters any match can start with.

    The engine tries a pattern at every position; when the pattern opens with a
    lookbehind or an alternation it does all that work before the first character
    rules the position out. A one-character class in front fails at once instead.
    The class is derived from the parsed pattern (never written by hand, so adding
    a word cannot silently break it); a pattern whose first character cannot be
    pinned down (``.``, a negated class, an empty match) is returned unchanged.
    """
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return pattern
    first = _first(list(parsed))
    if first is None or first[1]:
        return pattern
    return f"(?=[{''.join(sorted(first[0]))}])(?:{pattern})"


def _first(items: list[Any]) -> tuple[set[str], bool] | None:
    """(class fragments a match can start with, whether it can be empty), or None."""
    out: set[str] = set()
    for op, av in items:
        found: tuple[set[str], bool] | None
        if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            continue  # zero width: the first character comes from what follows
        if op is sre_c.LITERAL:
            found = {_char(av)}, False
        elif op is sre_c.IN:
            found = _klass(av)
        elif op in (sre_c.SUBPATTERN, sre_c.ATOMIC_GROUP):
            found = _first(list(av[-1] if op is sre_c.SUBPATTERN else av))
        elif op is sre_c.BRANCH:
            found = set(), False
            for branch in av[1]:
                part = _first(list(branch))
                if part is None:
                    return None
                found = found[0] | part[0], found[1] or part[1]
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            inner = _first(list(av[2]))
            found = None if inner is None else (inner[0], inner[1] or av[0] == 0)
        else:  # any character, back-references, ...
            return None
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return out, False
    return out, True


def _char(code: int) -> str:
    if chr(code).isprintable() and not chr(code).isspace():
        return re.escape(chr(code))
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_CATEGORIES = {
    sre_c.CATEGORY_DIGIT: r"\d",
    sre_c.CATEGORY_SPACE: r"\s",
    sre_c.CATEGORY_WORD: r"\w",
}


def _klass(items: list[Any]) -> tuple[set[str], bool] | None:
    out: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            out.add(_char(av))
        elif op is sre_c.RANGE:
            out.add(f"{_char(av[0])}-{_char(av[1])}")
        elif op is sre_c.CATEGORY and av in _CATEGORIES:
            out.add(_CATEGORIES[av])
        else:  # a negated class or an unusual category: anything may start a match
            return None
    return out, False

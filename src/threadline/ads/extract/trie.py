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

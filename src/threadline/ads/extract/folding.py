"""Length-preserving case and accent folding, so that spans found in folded text
are spans in the original text.

``str.lower()`` can change a string's length ("İ" becomes two code points) and
Unicode normalisation always can; a translation table that maps one code point
to one code point never does.
"""

from __future__ import annotations

import unicodedata


def _build_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for code in range(0x41, 0x5B):
        table[code] = code + 0x20
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if len(base) == 1 and base.isascii() and base.isalpha():
            table[code] = ord(base)
    # Typographic apostrophes and quotes count as the ASCII apostrophe ("j’ai").
    for code in (0x2019, 0x2018, 0x02BC, 0x00B4, 0x0060):
        table[code] = 0x27
    return table


_TABLE = _build_table()


def fold(text: str) -> str:
    """Lower-case ASCII and Latin letters and strip their accents, one code point for one."""
    return text.translate(_TABLE)

"""Pseudonyms for victim records: random, so nothing about the person can be read from them."""

from __future__ import annotations

import secrets

# Crockford's base32 without I, L, O, U: easy to read aloud and to type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_pseudonym() -> str:
    """``V-XXXX-XXXX``: 40 random bits, drawn once and stored, so it is stable for the record."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"V-{chars[:4]}-{chars[4:]}"

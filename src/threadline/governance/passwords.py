"""Passwords: the policy a new password must meet, and Argon2id hashing and checking.

The policy follows NIST SP 800-63B: length rather than composition rules, and a
check against passwords that attackers try first. Spaces at either end do not
count towards the length (a pasted password often carries one), a password must
use several different characters, and neither it nor its core (without the
digits and punctuation people add at either end) may be a common password or
the user name.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from threadline.exc import InputError

MIN_PASSWORD = 12
MIN_DISTINCT = 5  # "aaaaaaaaaaaa" or "abababababab" is long but guessed at once
_hasher = PasswordHasher()  # Argon2id, memory-hard, library defaults (RFC 9106 profile)
_PADDING = string.digits + string.punctuation + string.whitespace


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lowercased (see data/common-passwords.LICENSE)."""
    source = resources.files("threadline.governance").joinpath("data/common-passwords.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def check_password(password: str, username: str | None = None) -> None:
    """Raise InputError saying what is wrong with a new password; return when it is fine."""
    core = password.strip()
    if len(core) < MIN_PASSWORD:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD} characters "
            "(spaces at either end do not count)"
        )
    if len(set(core)) < MIN_DISTINCT:
        raise InputError(
            f"the password repeats too few characters: use at least {MIN_DISTINCT} different ones"
        )
    folded = core.casefold()
    name = (username or "").strip().casefold()
    if len(name) >= 4 and name in folded:  # shorter names occur inside ordinary words
        raise InputError("the password must not contain the user name")
    common = common_passwords()
    candidates = {folded, "".join(folded.split()), folded.strip(_PADDING)}
    if any(c in common for c in candidates):
        raise InputError(
            "this password is among the most common ones and is tried first by attackers: "
            "choose another (a few unrelated words make a good one)"
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether the password matches its stored Argon2 hash (one full Argon2 computation)."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash() -> str:
    return _hasher.hash("a password that no account has")


def spend_one_check(password: str) -> None:
    """Do the work of one password check against no account.

    A refused sign-in (unknown user, locked or disabled account) must take as long
    as a wrong password, so the answer's timing says nothing about the account.
    """
    password_matches(_decoy_hash(), password)

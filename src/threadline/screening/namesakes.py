"""When a high score may still only be ``possible``: namesakes at the border.

A ``match`` at a border means a person held. Two rules keep namesakes below it
whatever their name score (the matcher applies them to scores at the match
threshold; see :func:`threadline.screening.matching.score_prepared`):

- two full birth dates that differ beyond a typing slip are two people;
- a name alone (even with a shared nationality) never holds a person: a birth date
  (the same year at least, or a full date one typing slip away), a document number
  or a place of birth must agree;
- a name several watchlist entries share needs an identifier that agrees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from threadline.primitives.dates import PartialDate, date_agreement, dates_apart, same_or_slip

if TYPE_CHECKING:
    from threadline.screening.matching import PreparedPerson

__all__ = [
    "COMMON_NAME_ENTRIES",
    "common_name_cap",
    "corroborated",
    "date_cap",
    "dates_apart",
    "identity_cap",
]

# A name is common when at least this many watchlist entries carry the name parts a
# query matched (the entry itself included): a "match" on it then needs an identifier
# that agrees. Tuned on benchmarks/bench_namesakes.py seeds 1-3 (2, 3 and 5 tried).
COMMON_NAME_ENTRIES = 2


def _full_dates(person: PreparedPerson) -> list[PartialDate]:
    return [d for d in person.birth_dates if d.day is not None]


def date_cap(query: PreparedPerson, cand: PreparedPerson) -> str | None:
    """Why two persons' full birth dates say they are two people, or None (see
    :func:`dates_apart`)."""
    apart = dates_apart(query.birth_dates, cand.birth_dates)
    if apart is None:
        return None
    left, right = apart
    return f"capped at possible: birth dates {left} and {right} differ beyond a typing error"


# A birth date agrees when it gives at least this (``date_agreement``): the same year.
_DATE_AGREES = 0.5


def identity_cap(query: PreparedPerson, cand: PreparedPerson) -> str | None:
    """Why nothing but the name says the two are one person, or None.

    Namesakes usually share a name culture, so a shared nationality is weak evidence; a
    person is held on a name only when a birth date, a document number or a place of
    birth agrees as well.
    """
    if not query.documents.isdisjoint(cand.documents):
        return None
    if not query.birth_places.isdisjoint(cand.birth_places):
        return None
    for left in query.birth_dates:
        for right in cand.birth_dates:
            if date_agreement(left, right)[0] >= _DATE_AGREES:
                return None
            if left.day is not None and right.day is not None and same_or_slip(left, right):
                return None
    shared = " and nationality" if not query.nationalities.isdisjoint(cand.nationalities) else ""
    return (
        f"capped at possible: only the name{shared} agree; no birth date, document number "
        "or place of birth confirms it"
    )


def corroborated(query: PreparedPerson, cand: PreparedPerson) -> bool:
    """An identifier besides the name agrees: a full birth date (or one typing slip
    apart), a nationality, a place of birth or a document number."""
    if not query.nationalities.isdisjoint(cand.nationalities):
        return True
    if not query.documents.isdisjoint(cand.documents):
        return True
    if not query.birth_places.isdisjoint(cand.birth_places):
        return True
    return any(same_or_slip(a, b) for a in _full_dates(query) for b in _full_dates(cand))


def common_name_cap(sharing: int) -> str | None:
    """The cap for an uncorroborated name ``sharing`` entries carry, or None when rare."""
    if sharing < COMMON_NAME_ENTRIES:
        return None
    return f"capped at possible: common name ({sharing} entries share it) without corroboration"

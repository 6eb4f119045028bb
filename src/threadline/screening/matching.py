"""Explained person matching: a score, a decision and the contributions behind it.

``score_person(query, candidate)`` compares a screening query (names in any
script, birth date at any precision, sex, nationality, document numbers) with
a FollowTheMoney Person. The score starts from the name agreement and is moved
by the other features; every move is a :class:`FeatureContribution`, so the
score equals the clipped sum of ``weight * value`` over the explanation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from threadline.primitives.countries import clean_country
from threadline.primitives.dates import (
    PartialDate,
    compare_dates,
    date_agreement,
    parse_partial_date,
)
from threadline.primitives.name_compare import (
    CONFLICT_CEILING,
    NameAlignment,
    align_names,
    distinct_reason,
    named_reason,
    score_bound,
)
from threadline.primitives.names import PersonName, parse_name
from threadline.primitives.org_names import org_difference, org_name
from threadline.screening import namesakes

__all__ = [
    "MATCH_THRESHOLD",
    "POSSIBLE_THRESHOLD",
    "AlignmentMemo",
    "FeatureContribution",
    "MatchResult",
    "NameCount",
    "PersonQuery",
    "PreparedPerson",
    "prepare_entity",
    "prepare_query",
    "score_decision",
    "score_names",
    "score_person",
    "score_value",
]

Decision = Literal["match", "possible", "no_match"]

# Decision thresholds on the final score (tuned on the screening benchmark,
# see docs/screening-matching.md).
MATCH_THRESHOLD = 0.8
POSSIBLE_THRESHOLD = 0.7

# Feature weights: a contribution is weight * value, value in -1..1.
W_NAME = 1.0
W_COMMON_NAME = 0.08  # agreement on common names only ("Christopher Smith") is weak
W_DOB_AGREE = 0.1  # a shared birth date is good evidence, a shared year weak (value 0.5)
W_DOB_DISAGREE = 0.15  # lists often carry several approximate birth dates per person
# Birth years further apart than FAR_YEARS are not a typing error or an approximate date:
# a parent and child, or namesakes. They weigh enough to keep an exact name below "match".
FAR_YEARS = 10
W_DOB_FAR = 0.25
W_SEX = 0.2
W_NATIONALITY_AGREE = 0.02
W_NATIONALITY_DISAGREE = 0.08  # nationalities change and are recorded loosely
W_DOCUMENT_AGREE = 0.5
W_DOCUMENT_DISAGREE = 0.05

_SEX = {"m": "male", "male": "male", "f": "female", "female": "female", "man": "male",
        "woman": "female", "other": "other", "x": "other"}  # fmt: skip
_DOC_CLEAN = re.compile(r"[^A-Z0-9]")
# Every query and entry asks for its countries; a few hundred distinct values ever occur.
_country = lru_cache(maxsize=4096)(clean_country)


@dataclass(frozen=True, slots=True)
class FeatureContribution:
    """One feature's part in a score: ``weight * value`` points, and why."""

    feature: str  # name | birth_date | sex | nationality | document_number
    weight: float
    value: float
    detail: str
    parts: tuple[dict[str, object], ...] = ()

    @property
    def points(self) -> float:
        """Signed points this feature adds to the score."""
        return self.weight * self.value

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        data: dict[str, object] = {
            "feature": self.feature,
            "weight": self.weight,
            "value": round(self.value, 4),
            "points": round(self.points, 4),
            "detail": self.detail,
        }
        if self.parts:
            data["parts"] = list(self.parts)
        return data


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Score (0..1), decision and the contributions that explain it."""

    score: float
    decision: Decision
    explanation: list[FeatureContribution]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {
            "score": round(self.score, 4),
            "decision": self.decision,
            "explanation": [c.to_dict() for c in self.explanation],
        }


@dataclass(slots=True)
class PersonQuery:
    """A person to screen. Give full ``names`` or parts (first/middle/last), or both."""

    names: Sequence[str] = ()
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    birth_date: str | Sequence[str] | None = None
    sex: str | None = None
    nationality: str | Sequence[str] | None = None
    document_numbers: Sequence[str] = field(default_factory=tuple)
    birth_place: str | Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class PreparedPerson:
    """A query or candidate normalised once, compared many times."""

    names: tuple[PersonName, ...]
    birth_dates: tuple[PartialDate, ...]
    sex: str | None
    nationalities: frozenset[str]
    documents: frozenset[str]
    birth_places: frozenset[str] = frozenset()


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _prepare(
    full_names: Iterable[str],
    parts: Sequence[str | None],
    dates: Iterable[str],
    sexes: Iterable[str],
    countries: Iterable[str],
    documents: Iterable[str],
    places: Iterable[str] = (),
) -> PreparedPerson:
    texts = [n for n in full_names if n and n.strip()]
    composed = " ".join(p for p in parts if p and p.strip())
    if composed:
        texts.append(composed)
    names = tuple(dict.fromkeys(n for n in (parse_name(t) for t in texts) if n.tokens))
    births = tuple(d for d in (parse_partial_date(v) for v in dates) if d is not None)
    sex = next((_SEX[s.strip().lower()] for s in sexes if s.strip().lower() in _SEX), None)
    nats = frozenset(c for c in (_country(v) for v in countries) if c)
    docs = frozenset(d for d in (_DOC_CLEAN.sub("", v.upper()) for v in documents) if len(d) >= 4)
    where = frozenset(p for p in map(_place, places) if p)
    return PreparedPerson(names, births, sex, nats, docs, where)


def _place(text: str) -> str:
    """A place of birth compared by its first part, without case or accents ("Dakar")."""
    first = text.split(",", 1)[0]
    plain = unicodedata.normalize("NFKD", first.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def prepare_query(query: PersonQuery) -> PreparedPerson:
    """Normalise a screening query."""
    return _prepare(
        query.names,
        (query.first_name, query.middle_name, query.last_name),
        _as_list(query.birth_date),
        _as_list(query.sex),
        _as_list(query.nationality),
        query.document_numbers,
        _as_list(query.birth_place),
    )


def prepare_entity(entity: Any) -> PreparedPerson:
    """Normalise a FollowTheMoney Person proxy (``name``, ``alias``, name parts, ...)."""

    def get(prop: str) -> list[str]:
        return list(entity.get(prop, quiet=True))

    first, middle, father, last = (
        " ".join(get(p)) for p in ("firstName", "middleName", "fatherName", "lastName")
    )
    return _prepare(
        get("name") + get("alias") + get("previousName"),
        (first, middle, father, last),
        get("birthDate"),
        get("gender"),
        get("nationality") + get("citizenship"),
        get("idNumber") + get("passportNumber"),
        get("birthPlace"),
    )


# Alignments already computed in one screening, by (query name, candidate name) text: the
# candidates of a common name are often namesakes written exactly alike.
AlignmentMemo = dict[tuple[str, str], NameAlignment]
# How many watchlist entries carry the candidate name parts an alignment matched: the
# watchlist index answers it from its own postings (name frequency from the data).
NameCount = Callable[[PersonName, NameAlignment], int]


def _best_alignment(
    query: PreparedPerson, cand: PreparedPerson, memo: AlignmentMemo | None
) -> tuple[NameAlignment | None, tuple[PersonName, PersonName] | None]:
    """The best-scoring alignment over both sides' names (the first on a tie), and its names."""
    best: NameAlignment | None = None
    best_pair: tuple[PersonName, PersonName] | None = None
    for q_name in query.names:
        for c_name in cand.names:
            if memo is None:
                alignment = align_names(q_name, c_name)
            else:
                # a PersonName is parsed from its original text alone, so the text is a key
                key = (q_name.original, c_name.original)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = align_names(q_name, c_name)
                alignment = found
            if best is None or alignment.score > best.score:
                best, best_pair = alignment, (q_name, c_name)
    return best, best_pair


def _name_bound(
    query: PreparedPerson, cand: PreparedPerson, memo: AlignmentMemo | None, needed: float
) -> float:
    """At least the best name score over both sides' names (an alignment already in the
    memo counts as its score, the others as :func:`score_bound`); stops as soon as one pair
    may reach ``needed``."""
    best = 0.0
    for q_name in query.names:
        for c_name in cand.names:
            found = None if memo is None else memo.get((q_name.original, c_name.original))
            value = score_bound(q_name, c_name) if found is None else found.score
            if value >= needed:
                return value
            best = max(best, value)
    return best


_NAMED_KINDS = frozenset({"nickname", "known_variant"})


def _named_reasons(alignment: NameAlignment, names: tuple[PersonName, PersonName]) -> list[str]:
    """Why parts agree that agree by the person-name data ("'ben' is a nickname of
    'benjamin'"), in the order the alignment accepted them."""
    q_tokens, c_tokens = names[0].tokens, names[1].tokens
    return [
        reason
        for _sim, q_idx, c_idx, kind in alignment.accepted
        if kind in _NAMED_KINDS
        and (reason := named_reason(q_tokens[q_idx[0]], c_tokens[c_idx[0]])) is not None
    ]


def _all_common(alignment: NameAlignment | None) -> bool:
    return alignment is not None and alignment.score > 0.0 and alignment.rare_parts == 0


def _name_features(
    query: PreparedPerson, cand: PreparedPerson, memo: AlignmentMemo | None, explain: bool
) -> list[FeatureContribution]:
    best, best_pair = _best_alignment(query, cand, memo)
    if best is None or best_pair is None:
        return [FeatureContribution("name", W_NAME, 0.0, "no name to compare")]
    if explain:
        detail = f"{best_pair[0].original!r} vs {best_pair[1].original!r}"
        free_q, free_c = best.unmatched_query, best.unmatched_candidate
        extras = [f"unmatched query part {p!r}" for p in free_q]
        extras += [f"unmatched candidate part {p!r}" for p in free_c]
        tokens_q = [t for t in best_pair[0].tokens if t.text in free_q]
        tokens_c = [t for t in best_pair[1].tokens if t.text in free_c]
        extras += [r for q in tokens_q for c in tokens_c if (r := distinct_reason(q, c))]
        extras += _named_reasons(best, best_pair)
        if best.lineage_crossed:
            extras.append("the person's own name on one side is the father's on the other (the "
                          "parts around bin/ibn are swapped): a son and his father")  # fmt: skip
        if best.shortened:
            extras.append("every part of the shorter name is found in the longer one: the parts "
                          "left out weigh less")  # fmt: skip
        if extras:
            detail += "; " + ", ".join(extras)
        parts = tuple(m.to_dict() for m in best.matches)
        name = FeatureContribution("name", W_NAME, best.score, detail, parts)
    else:
        name = FeatureContribution("name", W_NAME, best.score, "")
    found = [name]
    if _all_common(best):
        found.append(
            FeatureContribution(
                "name_commonness", W_COMMON_NAME, -1.0, "every matched name part is a common name"
            )
        )
    return found


def _best_dates(
    query: PreparedPerson, cand: PreparedPerson
) -> tuple[float, int, PartialDate, PartialDate] | None:
    """The best agreement over both sides' birth dates (the first on a tie): its value,
    year gap and the two dates."""
    best: tuple[float, int, PartialDate, PartialDate] | None = None
    for q in query.birth_dates:
        for c in cand.birth_dates:
            value, gap = date_agreement(q, c)
            if best is None or value > best[0]:
                best = (value, gap, q, c)
    return best


def _date_weight(value: float, year_gap: int) -> float:
    if value >= 0:
        return W_DOB_AGREE
    # a typing slip ("1985" typed "1958") is graded above -1 and is not far apart
    return W_DOB_FAR if year_gap > FAR_YEARS and value <= -1.0 else W_DOB_DISAGREE


def _date_feature(
    query: PreparedPerson, cand: PreparedPerson, explain: bool
) -> FeatureContribution | None:
    found = _best_dates(query, cand)
    if found is None:
        return None
    value, gap, left, right = found
    weight = _date_weight(value, gap)
    if not explain:
        return FeatureContribution("birth_date", weight, value, "")
    reason = compare_dates(left, right).reason
    if value <= -1.0 and gap > FAR_YEARS:
        reason = f"{reason}: more than {FAR_YEARS} years apart"
    return FeatureContribution("birth_date", weight, value, reason)


def _other_features(
    query: PreparedPerson, cand: PreparedPerson, explain: bool
) -> list[FeatureContribution]:
    found: list[FeatureContribution] = []
    sexes = (query.sex, cand.sex)
    if None not in sexes and "other" not in sexes and query.sex != cand.sex:
        detail = f"sex differs ({query.sex} vs {cand.sex})" if explain else ""
        found.append(FeatureContribution("sex", W_SEX, -1.0, detail))
    if query.nationalities and cand.nationalities:
        shared = query.nationalities & cand.nationalities
        if shared:
            detail = f"shared {', '.join(sorted(shared))}" if explain else ""
            found.append(FeatureContribution("nationality", W_NATIONALITY_AGREE, 1.0, detail))
        else:
            detail = (
                f"no shared nationality ({', '.join(sorted(query.nationalities))} vs "
                f"{', '.join(sorted(cand.nationalities))})"
                if explain
                else ""
            )
            found.append(FeatureContribution("nationality", W_NATIONALITY_DISAGREE, -1.0, detail))
    if query.documents and cand.documents:
        same = query.documents & cand.documents
        if same:
            detail = f"same document number {', '.join(sorted(same))}" if explain else ""
            found.append(FeatureContribution("document_number", W_DOCUMENT_AGREE, 1.0, detail))
        else:
            found.append(
                FeatureContribution(
                    "document_number", W_DOCUMENT_DISAGREE, -1.0, "document numbers differ"
                )
            )
    return found


def decide(score: float) -> Decision:
    """The decision for a final score."""
    if score >= MATCH_THRESHOLD:
        return "match"
    return "possible" if score >= POSSIBLE_THRESHOLD else "no_match"


def _cap_reason(
    query: PreparedPerson,
    cand: PreparedPerson,
    memo: AlignmentMemo | None,
    name_count: NameCount | None,
    hold: bool = False,
) -> str | None:
    """Why a score at the match threshold may only be decided ``possible``, or None."""
    dates = namesakes.date_cap(query, cand)
    if dates is None and hold:
        dates = namesakes.identity_cap(query, cand)
    if dates is not None or name_count is None or namesakes.corroborated(query, cand):
        return dates
    alignment, names = _best_alignment(query, cand, memo)
    if alignment is None or names is None:
        return None
    return namesakes.common_name_cap(name_count(names[1], alignment))


def _decision(
    query: PreparedPerson,
    cand: PreparedPerson,
    score: float,
    memo: AlignmentMemo | None,
    caps: bool,
    name_count: NameCount | None,
    hold: bool = False,
) -> tuple[Decision, str | None]:
    decision = decide(score)
    if decision != "match" or not caps:
        return decision, None
    reason = _cap_reason(query, cand, memo, name_count, hold)
    return ("match", None) if reason is None else ("possible", reason)


def score_prepared(
    query: PreparedPerson,
    cand: PreparedPerson,
    *,
    memo: AlignmentMemo | None = None,
    explain: bool = True,
    caps: bool = True,
    name_count: NameCount | None = None,
    hold: bool = False,
) -> MatchResult:
    """Score two already prepared persons (what the watchlist index calls).

    ``memo`` (an empty dict shared by the candidates of one query) reuses name
    alignments between candidates whose names are written alike. With
    ``explain=False`` the score and decision are the same but the contributions
    carry no details: the index scores every candidate that way and explains
    only those it returns.

    With ``caps`` (the default) a score at the match threshold is decided
    ``possible`` when both full birth dates differ beyond a typing slip, or when
    the name is common (``name_count``, from the watchlist, says how many
    entries share it) and no birth date, nationality, place of birth or
    document agrees. The cap is a ``decision_cap`` contribution of no points,
    so the score stays the sum of the explanation.

    With ``hold`` (a border check: a ``match`` holds the person in front of the
    officer) a name alone is not enough either: a birth date, a document number
    or a place of birth must agree (``namesakes.identity_cap``).
    """
    explanation = _name_features(query, cand, memo, explain)
    date = _date_feature(query, cand, explain)
    if date is not None:
        explanation.append(date)
    explanation.extend(_other_features(query, cand, explain))
    score = min(1.0, max(0.0, sum(c.points for c in explanation)))
    decision, reason = _decision(query, cand, score, memo, caps, name_count, hold)
    if reason is not None:
        explanation.append(FeatureContribution("decision_cap", 0.0, 0.0, reason if explain else ""))
    return MatchResult(score, decision, explanation)


def _other_points(query: PreparedPerson, cand: PreparedPerson) -> list[float]:
    """The points of every feature but the name's, in the order :func:`score_prepared` adds
    them (birth date, sex, nationality, documents)."""
    points: list[float] = []
    dates = _best_dates(query, cand)
    if dates is not None:
        points.append(_date_weight(dates[0], dates[1]) * dates[0])
    q_sex, c_sex = query.sex, cand.sex
    if q_sex is not None and c_sex is not None and q_sex != c_sex and "other" not in (q_sex, c_sex):
        points.append(W_SEX * -1.0)
    if query.nationalities and cand.nationalities:
        if query.nationalities.isdisjoint(cand.nationalities):
            points.append(W_NATIONALITY_DISAGREE * -1.0)
        else:
            points.append(W_NATIONALITY_AGREE * 1.0)
    if query.documents and cand.documents:
        if query.documents.isdisjoint(cand.documents):
            points.append(W_DOCUMENT_DISAGREE * -1.0)
        else:
            points.append(W_DOCUMENT_AGREE * 1.0)
    return points


# Float sums taken in another order may differ in their last bits: a bound is only trusted
# when it clears the threshold by more than that.
_BOUND_MARGIN = 1e-9


def score_value(
    query: PreparedPerson,
    cand: PreparedPerson,
    *,
    memo: AlignmentMemo | None = None,
    at_least: float | None = None,
) -> float | None:
    """The score :func:`score_prepared` gives, without building its explanation.

    What the watchlist index computes for every candidate: the same features
    and the same points, added in the same order, so the score is the same
    float; only the candidates it returns are then scored with explanations.

    With ``at_least``, a candidate that cannot reach that score comes back as None without
    its names being aligned: its other features are added first, and the names are only
    aligned when an upper bound of their score (:func:`score_bound`, a part of the
    alignment's cost) could still lift it to the threshold. Most candidates a common name
    brings in are strangers who share one part of it, and the alignment is most of a
    screening's cost.
    """
    others = _other_points(query, cand)
    if at_least is not None:
        needed = (at_least - _BOUND_MARGIN - sum(others)) / W_NAME
        if needed > 1.0 or _name_bound(query, cand, memo, needed) < needed:
            return None
    alignment, _names = _best_alignment(query, cand, memo)
    points = [W_NAME * (0.0 if alignment is None else alignment.score)]
    if _all_common(alignment):
        points.append(W_COMMON_NAME * -1.0)
    points.extend(others)
    return min(1.0, max(0.0, sum(points)))


def score_decision(
    query: PreparedPerson,
    cand: PreparedPerson,
    *,
    memo: AlignmentMemo | None = None,
    caps: bool = True,
    name_count: NameCount | None = None,
    hold: bool = False,
    at_least: float | None = None,
) -> tuple[float, Decision] | None:
    """The score and decision :func:`score_prepared` gives, without an explanation.

    The caps are looked at only for scores at the match threshold, so screening
    a candidate costs what :func:`score_value` costs. With ``at_least``, None for a
    candidate that cannot reach that score (see :func:`score_value`).
    """
    score = score_value(query, cand, memo=memo, at_least=at_least)
    if score is None:
        return None
    return score, _decision(query, cand, score, memo, caps, name_count, hold)[0]


def score_person(query: PersonQuery | Any, candidate: Any) -> MatchResult:
    """Score a query (a :class:`PersonQuery` or a Person proxy) against a Person proxy.

    ``candidate`` may also be a :class:`PreparedPerson`. The result's score is
    the clipped sum of its explanation's points; decisions use
    :data:`MATCH_THRESHOLD` and :data:`POSSIBLE_THRESHOLD`.
    """
    prepared_query = _prepare_any(query)
    prepared_cand = _prepare_any(candidate)
    return score_prepared(prepared_query, prepared_cand)


def _prepare_any(value: Any) -> PreparedPerson:
    if isinstance(value, PreparedPerson):
        return value
    if isinstance(value, PersonQuery):
        return prepare_query(value)
    return prepare_entity(value)


# Two organisation names written the same but for their spaces ("SiemensAG"/"Siemens AG"):
# as sure as the whole-name fallback of the name comparison at its best.
_SPACED = 0.95


def score_names(name1: str, name2: str, schema: str = "Person") -> MatchResult:
    """Score two bare names of the given FtM schema (Person, Organization, Company,
    Vessel...).

    Persons go through the person matcher (variants, initials, order); other
    schemata compare names part by part after dropping legal forms (and, for a
    vessel, a ship-type prefix such as "MV" or "FV"); two organisations with other
    kinds of legal form or other numbers in their names are at most ``possible``.
    """
    if schema == "Person":
        # two bare names: no birth date or document to corroborate, so no screening caps
        return score_prepared(
            prepare_query(PersonQuery(names=[name1])),
            prepare_query(PersonQuery(names=[name2])),
            caps=False,
        )
    alignment = align_names(org_name(name1, schema), org_name(name2, schema))
    score, detail = alignment.score, f"{name1!r} vs {name2!r}"
    # a legal form run into the name ("SiemensAG") is not taken off: names written the same
    # without spaces, legal form included, are the same name spaced another way (only the
    # same: a legal form's long words would make names that differ in one word look alike)
    raw1, raw2 = parse_name(name1, person=False), parse_name(name2, person=False)
    if score < _SPACED and raw1.profile.joined == raw2.profile.joined and raw1.profile.joined:
        score, detail = _SPACED, f"{detail}; the same written without spaces, legal form included"
    difference = org_difference(name1, name2, schema)
    if difference is not None and score > CONFLICT_CEILING:
        # alike names of two registered bodies: at most possible, and the reason shown
        score, detail = CONFLICT_CEILING, f"{detail}; {difference}"
    parts = tuple(m.to_dict() for m in alignment.matches)
    contribution = FeatureContribution("name", W_NAME, score, detail, parts)
    return MatchResult(score, decide(score), [contribution])

"""The Splink model: comparisons, blocking rules, starting parameters and training.

Every comparison level starts from a documented estimate of its m probability
(how often true matches land there) and u probability (how often random pairs
do). With enough records EM re-estimates the m probabilities and random
sampling the u probabilities; with too few (a handful of test records) the
starting estimates are used as they are, so the model is never undefined.

Each piece of evidence is counted once: the first and last name are compared
separately (a swapped order is a level of each, not an extra comparison), and
postcode and city are one "locality" comparison because they move together.

The model is persisted as parameters (per comparison and level), not as
dialect-specific SQL: the same trained model runs on DuckDB and on Spark.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.comparison_library import CustomComparison

log = logging.getLogger(__name__)

DEFAULT_PRIOR = 1e-4  # probability that two random records match, before training
LEVEL = tuple[Any, float, float, str]  # comparison level, m, u, label


def _levels(col: str | None, *levels: LEVEL) -> list[Any]:
    """The levels configured, after a null level on ``col`` (when given)."""
    out: list[Any] = [cll.NullLevel(col)] if col else []
    for level, m, u, label in levels:
        out.append(level.configure(m_probability=m, u_probability=u, label_for_charts=label))
    return out


def _else(m: float, u: float) -> Any:
    return cll.ElseLevel().configure(m_probability=m, u_probability=u, label_for_charts="else")


def _sql(sql: str, m: float, u: float, label: str) -> Any:
    return cll.CustomLevel(sql).configure(m_probability=m, u_probability=u, label_for_charts=label)


class OneEditLevel(cll.LevenshteinLevel):
    """Values at most one edit apart (Levenshtein distance <= 1).

    On DuckDB two cheap conditions come first, each true of every such pair, so the
    distance is worked out for few of the random pairs u is estimated on (a tenth of a
    second per million pairs each, on names and document numbers): the lengths in bytes
    differ by at most one (DuckDB counts edits in bytes), and the other value starts with
    the first half of this one or ends with the rest (one edit leaves one of them in place).
    """

    def __init__(self, col_name: str) -> None:
        super().__init__(col_name, 1)

    def create_sql(self, sql_dialect: Any) -> str:
        distance = str(super().create_sql(sql_dialect))
        if sql_dialect.sql_dialect_str != "duckdb":
            return distance
        left, right = self.col_expression.name_l, self.col_expression.name_r
        half = f"length({left}) // 2"
        first, rest = (
            f"array_slice({left}, 1, {half})",
            f"array_slice({left}, {half} + 1, length({left}))",
        )
        return (
            f"abs(strlen({left}) - strlen({right})) <= 1 "
            f"AND (prefix({right}, {first}) OR suffix({right}, {rest})) AND {distance}"
        )


def _comparison(col: str, description: str, levels: list[Any]) -> CustomComparison:
    return CustomComparison(
        output_column_name=col, comparison_description=description, comparison_levels=levels
    )


def _name_part(col: str, what: str) -> CustomComparison:
    """First or last name: the variant key (transliterated, nicknames folded), then spelling."""
    other = "last_name" if col == "first_name" else "first_name"
    exact = cll.ExactMatchLevel(col).configure(tf_adjustment_column=col)
    swapped = cll.CustomLevel(f"{col}_l = {other}_r AND {other}_l = {col}_r")
    reordered = cll.ExactMatchLevel("name_sorted")
    if col == "first_name":
        swaps = [
            swapped.configure(
                m_probability=0.05,
                u_probability=0.00001,
                label_for_charts="first and last name swapped",
            ),
            reordered.configure(
                m_probability=0.03,
                u_probability=0.00001,
                label_for_charts="same name parts, in another order",
            ),
        ]
    else:  # the first-name comparison already counted these: no second weight
        swaps = [
            level.configure(
                m_probability=1.0,
                u_probability=1.0,
                fix_m_probability=True,
                fix_u_probability=True,
                label_for_charts=label,
            )
            for level, label in (
                (swapped, "swapped (counted with the first name)"),
                (reordered, "reordered (counted with the first name)"),
            )
        ]
    return _comparison(
        col,
        f"{what}: variant key, swapped order, spelling, sound",
        [
            *_levels(col, (exact, 0.8, 0.01, f"same {what}")),
            *swaps,
            *_levels(
                None,
                (OneEditLevel(col), 0.06, 0.0005, f"{what} one letter apart"),
                (cll.JaroWinklerLevel(col, 0.92), 0.03, 0.0035, f"{what} spelt almost alike"),
                (cll.ExactMatchLevel(f"{col}_phonetic"), 0.04, 0.01, f"{what} sounds alike"),
                # another script or romanisation: Arabic منصور and Mansoor, Bunmi and
                # Boonmee (threadline.primitives.skeleton)
                (
                    cll.ExactMatchLevel(f"{col}_skeleton"),
                    0.03,
                    0.003,
                    f"{what} written alike without vowels",
                ),
                (cll.JaroWinklerLevel(col, 0.8), 0.03, 0.03, f"{what} spelt a bit alike"),
            ),
            _else(0.03, 0.946),
        ],
    )


# Which of a birth date's year, month and day two records share. ``dob`` is a full date
# written YYYY-MM-DD (``records._birth_date``): a date one digit away from another keeps
# two of the three, and two digits away (or a digit moved along, one left out and one
# added) keeps at least one, as the dashes stay where they are. Checked first, these
# spare working out the distance for nearly every random pair.
_SAME_PARTS = ("dob_year_l = dob_year_r", "dob_month_l = dob_month_r", "dob_day_l = dob_day_r")
_TWO_PARTS_SAME = " OR ".join(f"({a} AND {b})" for a, b in itertools.combinations(_SAME_PARTS, 2))
_ONE_PART_SAME = " OR ".join(_SAME_PARTS)


def _dob() -> CustomComparison:
    """Date of birth at the precision both sides know; typing slips are their own levels."""
    year = "dob_year_l = dob_year_r"
    return _comparison(
        "dob",
        "date of birth at the precision both sides know",
        [
            cll.NullLevel("dob_year"),
            _sql("dob_l = dob_r", 0.782, 0.0003, "same full date"),
            _sql(
                f"{year} AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
                0.02, 0.0001, "day and month swapped",
            ),
            _sql(
                f"({_TWO_PARTS_SAME}) AND levenshtein(dob_l, dob_r) <= 1",
                0.08, 0.003, "one digit differs",
            ),
            _sql(
                f"{year} AND dob_month_l = dob_month_r "
                "AND (dob_day_l IS NULL OR dob_day_r IS NULL)",
                0.05, 0.0003, "same year and month, a day unknown",
            ),
            _sql(
                f"{year} AND (dob_month_l IS NULL OR dob_month_r IS NULL)",
                0.05, 0.002, "same year, a month unknown",
            ),
            # Dates further apart are evidence against a match whatever the training says:
            # two typing slips in one date are rare in a true match, while same-name
            # strangers (namesakes) born a few years or months apart are common among
            # many records, and EM would learn them as matches. (With the u of random
            # pairs, about 0.015 and 0.012, these weigh about -1.6 and -2 bits.)
            _sql(
                f"({_ONE_PART_SAME}) AND levenshtein(dob_l, dob_r) <= 2",
                0.005, 0.05, "two digits differ",
            ).configure(fix_m_probability=True),
            _sql(year, 0.003, 0.05, "same year, other month or day").configure(
                fix_m_probability=True
            ),
            _else(0.01, 0.8933),
        ],
    )  # fmt: skip


def _array(
    col: str,
    what: str,
    m: float,
    u: float,
    main: str | None = None,
    fuzzy: int = 0,
    *,
    fix_u: bool = False,
) -> CustomComparison:
    """Any value shared; optionally the main values one or two typing slips apart.

    ``fix_u``: a shared value keeps the given u instead of the share of random pairs
    that agree (for a field that agrees far more often among same-name strangers
    than among random pairs).
    """
    levels: list[Any] = _levels(col, (cll.ArrayIntersectLevel(col, 1), m, u, f"a {what} shared"))
    if fix_u:
        levels[-1].configure(fix_u_probability=True)
    rest_m, rest_u = 1 - m, 1 - u
    if main is not None:
        for distance in range(1, fuzzy + 1):
            level_m, level_u = 0.1 / distance, u * 30 * distance
            levels.append(
                (
                    OneEditLevel(main) if distance == 1 else cll.LevenshteinLevel(main, distance)
                ).configure(
                    m_probability=level_m,
                    u_probability=level_u,
                    label_for_charts=f"{what} {distance} character(s) apart",
                )
            )
            rest_m, rest_u = rest_m - level_m, rest_u - level_u
    levels.append(_else(rest_m, rest_u))
    return _comparison(col, f"{what}s", levels)


def _simple(col: str, what: str, m: float, u: float) -> CustomComparison:
    return _comparison(
        col,
        what,
        [*_levels(col, (cll.ExactMatchLevel(col), m, u, f"same {what}")), _else(1 - m, 1 - u)],
    )


def _street() -> CustomComparison:
    exact = cll.ExactMatchLevel("street").configure(tf_adjustment_column="street")
    return _comparison(
        "street",
        "street address (house number and street)",
        [
            *_levels(
                "street",
                (exact, 0.7, 0.0005, "same street address"),
                (cll.JaroWinklerLevel("street", 0.9), 0.15, 0.003, "street address spelt alike"),
                (cll.JaroWinklerLevel("street", 0.75), 0.05, 0.05, "street address a bit alike"),
            ),
            _else(0.1, 0.9465),
        ],
    )


def _locality() -> CustomComparison:
    """Postcode and city together: they are not independent evidence."""
    same_code = cll.ExactMatchLevel("postcode").configure(tf_adjustment_column="postcode")
    return _comparison(
        "locality",
        "postcode and city",
        [
            cll.CustomLevel(
                "(postcode_l IS NULL OR postcode_r IS NULL) AND (city_l IS NULL OR city_r IS NULL)"
            ).configure(is_null_level=True, label_for_charts="no postcode or city to compare"),
            _sql("postcode_l = postcode_r AND city_l = city_r", 0.7, 0.0005,
                 "same postcode and city"),
            same_code.configure(m_probability=0.1, u_probability=0.001,
                                label_for_charts="same postcode"),
            cll.ExactMatchLevel("city").configure(
                m_probability=0.08, u_probability=0.002, tf_adjustment_column="city",
                label_for_charts="same city"),
            cll.LevenshteinLevel("postcode", 1).configure(
                m_probability=0.05, u_probability=0.01,
                label_for_charts="postcode one digit apart"),
            cll.JaroWinklerLevel("city", 0.88).configure(
                m_probability=0.03, u_probability=0.005, label_for_charts="city spelt alike"),
            _else(0.04, 0.9815),
        ],
    )  # fmt: skip


def comparisons() -> list[CustomComparison]:
    """Every comparison of the model, in waterfall order."""
    return [
        _name_part("first_name", "first name"),
        _name_part("last_name", "last name"),
        _dob(),
        _simple("sex", "sex", 0.97, 0.5),
        # People of one name are mostly of one nationality: among random pairs few share a
        # nationality, among same-name strangers most do, so a shared one is weak evidence
        # once the names agree (u kept at 0.2, not the random pairs' 0.05-0.1).
        _array("nationality", "nationality", 0.9, 0.2, fix_u=True),
        _array("documents", "document number", 0.6, 0.00001, main="document_main", fuzzy=2),
        _array("phones", "phone", 0.5, 0.0001),
        _array("emails", "email", 0.5, 0.00001),
        _street(),
        _locality(),
    ]


TF_COLUMNS = ("first_name", "last_name", "street", "postcode", "city")

# Each rule is an equality join (never a cross join) on keys specific enough that a
# block stays small however many records there are. A name alone, a first name with a
# birth year, or a birth date with an initial is shared by more people the more
# records there are, so the candidate pairs would grow with the square of the
# records. Names are keyed with the birth year (by variant key, sorted parts and
# sound); a last name one typing slip away is found through its deletion keys (the
# name with each letter left out in turn); a name written quite differently (another
# romanisation, parts added or dropped) is found through the full birth date and any
# name part in common; documents, phones, emails and places catch records whose
# names changed. A name alone is a key only while few records bear it
# (``uncommon_name``), so that a wrong birth year does not hide a rare name. An array
# column named as the second item is exploded: the pair
# shares any one of its values.
# One side without a birth year, as two rules: a condition on one side only is applied
# before the join, so only the undated records are joined to the rest.
_UNDATED = ("l.dob_year IS NULL", "r.dob_year IS NULL")
_RULES: tuple[tuple[tuple[str, ...], str | None, str | None], ...] = (
    (("first_name", "last_name", "dob_year"), None, None),
    # the same name parts at any birth date, when few records bear them
    (("uncommon_name",), None, None),
    (("name_sorted", "dob_year"), None, None),
    # organisations, and people whose birth year one side does not know
    *((("name_sorted",), None, undated) for undated in _UNDATED),
    (("first_name_phonetic", "last_name_phonetic", "dob_year"), None, None),
    (("last_name", "dob_year", "first_initial"), None, None),
    (("last_name_phonetic", "dob_year", "first_initial"), None, None),
    (("first_name", "dob_year", "last_name_deletions"), "last_name_deletions", None),
    *((("first_name", "last_name_deletions"), "last_name_deletions", u) for u in _UNDATED),
    (("dob", "name_keys"), "name_keys", None),
    (("dob", "first_initial", "last_initial"), None, None),
    # a last name in another script or romanisation (منصور, Mansoor) on the same date, or
    # in the same year with the same first initial
    (("dob", "last_name_skeleton"), None, None),
    (("last_name_skeleton", "dob_year", "first_initial"), None, None),
    (("postcode", "last_name"), None, None),
    (("postcode", "first_name"), None, None),
    (("postcode", "dob_year"), None, None),
    (("street", "postcode"), None, None),
    (("street", "dob_year"), None, None),
    (("document_main",), None, None),
    (("documents",), "documents", None),
    (("phones",), "phones", None),
    (("emails",), "emails", None),
)


def _rule(
    columns: tuple[str, ...], explode: str | None, link_only: bool, condition: str | None = None
) -> CustomRule:
    terms = [f"l.{c} = r.{c}" for c in ("entity_group", *columns)]
    if condition:
        terms.append(condition)
    if link_only:
        terms.append("l.collection_id <> r.collection_id")
    return CustomRule(" AND ".join(terms), arrays_to_explode=[explode] if explode else None)


def blocking_rules(*, link_only: bool = False) -> list[CustomRule]:
    """Which pairs are scored at all (only pairs across collections when ``link_only``).

    Rules that explode an array come first. Splink leaves out of each rule's pairs
    those an earlier rule found, so an exploding rule's exploded table carries the
    columns of every rule before it: first, it holds only its own keys (a fraction of
    the memory and time with a million records). Pairs found by several rules are
    still scored once: Splink keeps one row per pair when any rule explodes.
    """
    rules = sorted(_RULES, key=lambda rule: rule[1] is None)  # stable: exploding first
    return [_rule(columns, explode, link_only, condition) for columns, explode, condition in rules]


def settings_creator(prior: float = DEFAULT_PRIOR, *, link_only: bool = False) -> SettingsCreator:
    """The model's settings with starting parameters (dialect-neutral)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=list(comparisons()),
        blocking_rules_to_generate_predictions=list(blocking_rules(link_only=link_only)),
        probability_two_random_records_match=prior,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["collection", "collection_id", "source_id"],
    )


@dataclass(frozen=True)
class ModelParameters:
    """What training estimated: the prior and each level's m and u probability."""

    prior: float
    levels: dict[str, list[dict[str, float | None]]]  # comparison -> levels in order

    def to_dict(self) -> dict[str, Any]:
        return {"probability_two_random_records_match": self.prior, "comparisons": self.levels}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelParameters:
        return cls(
            prior=float(data["probability_two_random_records_match"]),
            levels={k: list(v) for k, v in data["comparisons"].items()},
        )


def parameters_of(settings: dict[str, Any]) -> ModelParameters:
    """The parameters in a Splink settings dict (as ``save_model_to_json`` returns it)."""
    levels: dict[str, list[dict[str, float | None]]] = {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels[name] = [
            {"m_probability": lv.get("m_probability"), "u_probability": lv.get("u_probability")}
            for lv in comparison["comparison_levels"]
        ]
    return ModelParameters(float(settings["probability_two_random_records_match"]), levels)


def settings_for(
    dialect: str, parameters: ModelParameters | None, *, link_only: bool = False
) -> dict[str, Any]:
    """A settings dict for a backend's SQL dialect, with trained parameters applied."""
    settings: dict[str, Any] = settings_creator(link_only=link_only).create_settings_dict(dialect)
    if parameters is None:
        return settings
    settings["probability_two_random_records_match"] = parameters.prior
    for comparison in settings["comparisons"]:
        trained = parameters.levels.get(comparison["output_column_name"])
        if trained is None or len(trained) != len(comparison["comparison_levels"]):
            continue  # the model changed shape since training: keep the starting values
        for level, values in zip(comparison["comparison_levels"], trained, strict=True):
            for key in ("m_probability", "u_probability"):
                if values.get(key) is not None:
                    level[key] = values[key]
    return settings


@contextmanager
def quiet_splink() -> Iterator[None]:
    """Keep Splink's per-level notices (e.g. "level not observed") out of the user's terminal.

    Those are INFO/WARNING log records about levels with no training pairs, which
    is expected on small or clean data; errors still propagate as exceptions and
    ERROR records are still logged.
    """
    logger = logging.getLogger("splink")
    before = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(before)


def train(linker: Any, *, max_pairs: float = 2e6, link_only: bool = False) -> str:
    """Estimate the prior, u (random sampling) and m (EM) on the linker's records.

    Returns ``"em"`` when EM ran, ``"partial"`` when some sessions had no pairs.
    """
    from splink.internals.exceptions import SplinkException

    deterministic = [
        _rule(("first_name", "last_name", "dob"), None, link_only),
        _rule(("documents",), "documents", link_only),
        _rule(("name_sorted", "dob"), None, link_only),
    ]
    with quiet_splink():
        settings = linker._settings_obj  # Splink offers no public setter for the prior
        prior = settings._probability_two_random_records_match
        try:
            linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
        except SplinkException as exc:
            log.info("prior not estimated: %s", exc)
        if not 0 < settings._probability_two_random_records_match < 1:
            # No pair met the rules (Splink then says 0: no record could ever match) or
            # every pair did: keep the starting prior.
            log.info("prior not estimated: no pair meets the deterministic rules")
            settings._probability_two_random_records_match = prior
        # One pass: Splink samples in chunks to stop once every level of a comparison has
        # 100 random pairs, but most comparisons here have a level far rarer than that in
        # a million pairs (swapped names, a shared document) and never stopped: a probe
        # and ten chunk queries each, for the estimates of one pass. (The few that could
        # stop early now count every sampled pair.)
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1, num_chunks=1)
        # Each session leaves out the comparisons in its blocking rule and estimates
        # the others, on pairs where matches are common. Pairs sharing a document
        # number are nearly all matches: that session estimates names and dates
        # without namesakes posing as matches. Pairs with the same first name and
        # birth date estimate the documents and the last name, with the last name
        # and the document telling matches from namesakes. (Pairs sharing only a
        # birth date, or a name and a year, are mostly strangers once there are many
        # records, and the names and dates that would tell them apart are left out.)
        # The birth date is the fallback when no record carries a document.
        complete = _em(linker, ("first_name", "last_name", "dob"), link_only)
        if not _em(linker, ("document_main",), link_only):
            complete = _em(linker, ("dob",), link_only) and complete
        return "em" if complete else "partial"


def _em(linker: Any, columns: tuple[str, ...], link_only: bool, explode: str | None = None) -> bool:
    """One EM session blocked on ``columns``; False when it had nothing to learn from."""
    from splink.internals.exceptions import SplinkException

    settings = linker._settings_obj
    before = settings.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            _rule(columns, explode, link_only)
        )
    except (SplinkException, ValueError, ZeroDivisionError) as exc:
        # Splink starts a session by taking the comparisons of its blocking rule out of
        # the linker's model and adjusting the prior, in place, and puts the model back
        # only when the session ends well: after a failure, put it back here.
        settings.core_model_settings = before
        log.info("EM session on %s skipped: %s", "+".join(columns), exc)
        return False
    return True

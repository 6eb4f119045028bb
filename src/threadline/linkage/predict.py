"""Predicted links as findings: match weight and each comparison's contribution.

A link finding's explanation is what a waterfall chart shows: the prior, then
for each comparison the level the pair fell in, its Bayes factor and log2
weight (plus the term-frequency adjustment where the level has one), and the
two values compared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import orjson

LINK = "link"
CLUSTER = "link_cluster"


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Comparison -> gamma value -> level label, from a Splink settings dict.

    Splink numbers a comparison's levels from the most specific (highest gamma)
    down to the else level (0); the null level is -1.
    """
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        real = [lv for lv in levels if not lv.get("is_null_level")]
        table = {len(real) - 1 - i: lv.get("label_for_charts", "") for i, lv in enumerate(real)}
        table[-1] = "a value is missing"
        labels[comparison["output_column_name"]] = table
    return labels


def _compared(row: dict[str, Any], name: str) -> dict[str, Any]:
    column = {"name": "full_name", "dob": "dob"}.get(name, name)
    if column == "dob":
        return {"left": _dob(row, "l"), "right": _dob(row, "r")}
    return {"left": row.get(f"{column}_l"), "right": row.get(f"{column}_r")}


def _dob(row: dict[str, Any], side: str) -> str | None:
    year = row.get(f"dob_year_{side}")
    if year is None:
        return None
    text = f"{int(year):04d}"
    month, day = row.get(f"dob_month_{side}"), row.get(f"dob_day_{side}")
    if month is not None:
        text += f"-{int(month):02d}"
        if day is not None:
            text += f"-{int(day):02d}"
    return text


def contributions(
    row: dict[str, Any], labels: dict[str, dict[int, str]], prior: float
) -> list[dict[str, Any]]:
    """The waterfall of one scored pair, as data."""
    prior_weight = math.log2(prior / (1 - prior))
    out: list[dict[str, Any]] = [
        {
            "comparison": "prior",
            "level": "probability two random records match",
            "gamma": None,
            "log2_weight": round(prior_weight, 4),
            "bayes_factor": prior / (1 - prior),
        }
    ]
    for name, table in labels.items():
        gamma = row.get(f"gamma_{name}")
        if gamma is None:
            continue
        weight = float(row.get(f"mw_{name}") or 0.0)
        tf_weight = row.get(f"mw_tf_adj_{name}")
        item: dict[str, Any] = {
            "comparison": name,
            "level": table.get(int(gamma), str(gamma)),
            "gamma": int(gamma),
            "log2_weight": round(weight, 4),
            "bayes_factor": 2.0**weight,
            **_compared(row, name),
        }
        if tf_weight:
            item["tf_adjustment_log2_weight"] = round(float(tf_weight), 4)
        out.append(item)
    return out


def link_rows_sql(
    settings: dict[str, Any], columns: Sequence[str], *, model_id: int, table: str = "pred"
) -> str:
    """DuckDB SQL turning Splink's predictions in ``table`` into ``link`` finding rows.

    Every pair becomes (key, subject_id, related_id, collection_id, collection_id_b, score,
    explanation, data) with the left side the smaller entity id; explanation and data are JSON
    text, the same waterfall :func:`contributions` builds for one pair, made for all
    pairs at once in SQL. ``columns`` are the prediction table's columns.
    """
    labels = level_labels(settings)
    prior = float(settings["probability_two_random_records_match"])
    present = set(columns)

    def sides(base: str) -> str:
        left, right = f"{base}_l", f"{base}_r"
        if left not in present:
            return f"NULL AS {base}_a, NULL AS {base}_b"
        return (
            f"CASE WHEN swapped THEN {right} ELSE {left} END AS {base}_a, "
            f"CASE WHEN swapped THEN {left} ELSE {right} END AS {base}_b"
        )

    bases = ["unique_id", "collection", "collection_id", "source_id"]
    bases += ["dob_year", "dob_month", "dob_day"]
    bases += [_COMPARED.get(name, name) for name in labels if name != "dob"]
    oriented = ", ".join(sides(b) for b in dict.fromkeys(bases))
    prior_step = orjson.dumps(contributions({}, {}, prior)[0]).decode()
    steps = [f"{_sql_text(prior_step)}::JSON"] + [
        _step_sql(n, t, present) for n, t in labels.items()
    ]
    return f"""
    WITH oriented AS (
        SELECT *, {oriented}
        FROM (SELECT *, unique_id_r < unique_id_l AS swapped FROM {table})
    )
    SELECT
        unique_id_a || '|' || unique_id_b AS key,
        unique_id_a AS subject_id,
        unique_id_b AS related_id,
        CAST(collection_id_a AS BIGINT) AS collection_id,
        CAST(collection_id_b AS BIGINT) AS collection_id_b,
        CAST(match_probability AS DOUBLE) AS score,
        CAST(json_array({", ".join(steps)}) AS VARCHAR) AS explanation,
        CAST(json_object(
            'match_weight', round(match_weight, 4),
            'left', json_object('collection', collection_a, 'source_id', source_id_a),
            'right', json_object('collection', collection_b, 'source_id', source_id_b),
            'model_id', {int(model_id)},
            'corroborated', {_corroborated_sql(present)}
        ) AS VARCHAR) AS data
    FROM oriented
    """  # noqa: S608


# Comparisons whose agreement identifies a person, where names, a birth date, sex and
# nationality only describe one: two namesakes share the description, not these.
IDENTIFYING = ("documents", "phones", "emails", "street", "locality")


def _corroborated_sql(present: set[str]) -> str:
    """Whether an identifying comparison weighed for the pair (a document, phone, e-mail
    or address agreed): a link without it cannot hold two birth dates together."""
    weights = [f"coalesce(mw_{name}, 0) > 0" for name in IDENTIFYING if f"mw_{name}" in present]
    return "(" + " OR ".join(weights) + ")" if weights else "false"


def corroborated(data: dict[str, Any] | None, explanation: Sequence[dict[str, Any]]) -> bool:
    """The flag :func:`link_rows_sql` stores, or for a link stored without it, the same
    test read off its waterfall."""
    if data and "corroborated" in data:
        return bool(data["corroborated"])
    return any(
        step.get("comparison") in IDENTIFYING and float(step.get("log2_weight") or 0) > 0
        for step in explanation
    )


_COMPARED = {"name": "full_name"}  # comparison -> the column shown as compared (default: same)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _step_sql(name: str, table: dict[int, str], present: set[str]) -> str:
    """One comparison's waterfall step (see :func:`contributions`) as a DuckDB JSON value."""
    gamma, weight, tf = f"gamma_{name}", f"mw_{name}", f"mw_tf_adj_{name}"
    level = " ".join(f"WHEN {g} THEN {_sql_text(label)}" for g, label in table.items())
    if name == "dob":
        left, right = _dob_sql("a"), _dob_sql("b")
    else:
        column = _COMPARED.get(name, name)
        left, right = f"{column}_a", f"{column}_b"
    mw = f"coalesce({weight}, 0)" if weight in present else "0"
    fields = (
        f"'comparison', {_sql_text(name)}, "
        f"'level', CASE {gamma} {level} ELSE CAST({gamma} AS VARCHAR) END, "
        f"'gamma', CAST({gamma} AS INTEGER), "
        f"'log2_weight', round({mw}, 4), 'bayes_factor', pow(2.0, {mw}), "
        f"'left', {left}, 'right', {right}"
    )
    if tf not in present:
        return f"json_object({fields})"
    return (
        f"CASE WHEN coalesce({tf}, 0) <> 0 "
        f"THEN json_object({fields}, 'tf_adjustment_log2_weight', round({tf}, 4)) "
        f"ELSE json_object({fields}) END"
    )


def _dob_sql(side: str) -> str:
    """A partial date as :func:`_dob` writes it (year, year-month or year-month-day)."""
    year, month, day = f"dob_year_{side}", f"dob_month_{side}", f"dob_day_{side}"
    return (
        f"CASE WHEN {year} IS NULL THEN NULL ELSE lpad(CAST({year} AS VARCHAR), 4, '0') || "
        f"CASE WHEN {month} IS NULL THEN '' ELSE '-' || lpad(CAST({month} AS VARCHAR), 2, '0') "
        f"|| CASE WHEN {day} IS NULL THEN '' ELSE '-' || lpad(CAST({day} AS VARCHAR), 2, '0') "
        "END END END"
    )


def pair_key(left: str, right: str) -> str:
    """The key of an unordered pair of entity ids."""
    a, b = sorted((left, right))
    return f"{a}|{b}"

"""Predicted links as findings: match weight and each comparison's contribution.

A link finding's explanation is what a waterfall chart shows: the prior, then
for each comparison the level the pair fell in, its Bayes factor and log2
weight (plus the term-frequency adjustment where the level has one), and the
two values compared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from threadline.store.findings import Finding

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


def link_findings(
    rows: Iterable[dict[str, Any]],
    settings: dict[str, Any],
    *,
    collection_ids: dict[str, int],
    model_id: int,
) -> Iterator[Finding]:
    """One ``link`` finding per predicted pair (left = the smaller entity id)."""
    labels = level_labels(settings)
    prior = float(settings["probability_two_random_records_match"])
    for row in rows:
        left, right = row["unique_id_l"], row["unique_id_r"]
        if right < left:
            row = _swap(row)
            left, right = right, left
        yield Finding(
            kind=LINK,
            key=pair_key(left, right),
            subject_id=left,
            related_id=right,
            collection_id=collection_ids.get(row.get("collection_l") or ""),
            score=float(row["match_probability"]),
            explanation=contributions(row, labels, prior),
            data={
                "match_weight": round(float(row["match_weight"]), 4),
                "left": {
                    "collection": row.get("collection_l"),
                    "source_id": row.get("source_id_l"),
                },
                "right": {
                    "collection": row.get("collection_r"),
                    "source_id": row.get("source_id_r"),
                },
                "model_id": model_id,
            },
        )


def pair_key(left: str, right: str) -> str:
    """The key of an unordered pair of entity ids."""
    a, b = sorted((left, right))
    return f"{a}|{b}"


def _swap(row: dict[str, Any]) -> dict[str, Any]:
    """The same pair seen from the other side (``_l`` and ``_r`` columns exchanged)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key.endswith("_l"):
            out[key[:-2] + "_r"] = value
        elif key.endswith("_r"):
            out[key[:-2] + "_l"] = value
        else:
            out[key] = value
    return out

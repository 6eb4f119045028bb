"""The outcome metrics a participating country submits, and their validation.

Three shapes of metric:

* counts (``arrests_trafficking``): a whole number, zero or more;
* keyed counts (``notices.red``, ``migrant_nationalities.SY``): a whole number per key,
  the keys drawn from a vocabulary (notice colours) or country codes;
* lists (``forms_of_exploitation``): codes from a vocabulary;

plus ``assets_seized_eur``, an amount (a number, zero or more).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadline.exc import InputError
from threadline.primitives.countries import clean_country

COUNTS: dict[str, str] = {
    "arrests_trafficking": "arrests for trafficking in persons",
    "arrests_smuggling": "arrests for migrant smuggling",
    "arrests_other": "arrests for other offences",
    "victims_identified": "victims identified",
    "victims_rescued": "victims rescued",
    "victims_minors": "of the victims, minors",
    "victims_female": "of the victims, female",
    "victims_male": "of the victims, male",
    "migrants_identified": "irregular migrants identified",
    "investigations_opened": "investigations opened",
    "suspects_identified": "suspects identified",
    "database_checks": "database checks (submitted)",
    "database_hits": "database hits (submitted)",
    "flights_checked": "flights checked",
    "vessels_checked": "vessels checked",
    "border_points_checked": "border points checked",
    "assets_seized_items": "assets seized (items)",
    "fraudulent_documents": "fraudulent documents detected",
}
AMOUNTS: dict[str, str] = {"assets_seized_eur": "value of assets seized (EUR)"}

NOTICE_COLOURS = (
    "red",
    "yellow",
    "blue",
    "black",
    "green",
    "orange",
    "purple",
    "un_special",
    "silver",
)
# keyed metric -> vocabulary of keys (None: ISO 3166 country codes)
KEYED: dict[str, tuple[str, ...] | None] = {
    "notices": NOTICE_COLOURS,
    "diffusions": NOTICE_COLOURS,
    "migrant_nationalities": None,
}
KEYED_LABELS = {
    "notices": "notices issued",
    "diffusions": "diffusions issued",
    "migrant_nationalities": "irregular migrants by nationality",
}

FORMS_OF_EXPLOITATION = (
    "sexual_exploitation",
    "forced_labour",
    "forced_criminality",
    "forced_begging",
    "domestic_servitude",
    "forced_marriage",
    "organ_removal",
    "online_scam_compound",
    "child_exploitation",
    "other",
)
LISTS: dict[str, tuple[str, ...]] = {"forms_of_exploitation": FORMS_OF_EXPLOITATION}
# An operation's focus may also name smuggling, which is not a form of exploitation.
FOCUS_VALUES = (*FORMS_OF_EXPLOITATION, "migrant_smuggling")


@dataclass(frozen=True)
class MetricInfo:
    name: str
    label: str
    shape: str  # count | amount | keyed | list


def metric_catalogue() -> list[MetricInfo]:
    """Every metric a country may submit, with its label and shape (for docs and help)."""
    items = [MetricInfo(k, v, "count") for k, v in COUNTS.items()]
    items += [MetricInfo(k, v, "amount") for k, v in AMOUNTS.items()]
    items += [MetricInfo(k, KEYED_LABELS[k], "keyed") for k in KEYED]
    items += [MetricInfo(k, "forms of exploitation found", "list") for k in LISTS]
    return items


def _count(field: str, value: Any) -> int:
    if isinstance(value, bool):
        raise InputError(f"{field}: expected a whole number, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if not text.lstrip("-").isdigit():
            raise InputError(f"{field}: expected a whole number, got {value!r}")
        value = int(text)
    if not isinstance(value, int):
        raise InputError(f"{field}: expected a whole number, got {value!r}")
    if value < 0:
        raise InputError(f"{field}: a count cannot be negative (got {value})")
    return value


def _amount(field: str, value: Any) -> float:
    try:
        number = float(str(value).replace(",", "")) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or number != number:  # NaN check without math import
        raise InputError(f"{field}: expected an amount, got {value!r}")
    if number < 0:
        raise InputError(f"{field}: an amount cannot be negative (got {value})")
    return number


def _key(metric: str, key: str) -> str:
    vocabulary = KEYED[metric]
    if vocabulary is None:
        code = clean_country(key)
        if code is None:
            raise InputError(f"{metric}.{key}: {key!r} is not a country code")
        return code
    norm = key.strip().lower().replace("-", "_").replace(" ", "_")
    if norm not in vocabulary:
        raise InputError(f"{metric}.{key}: unknown key {key!r} (one of {', '.join(vocabulary)})")
    return norm


def _list(metric: str, value: Any) -> list[str]:
    items = value.replace(";", ",").split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise InputError(f"{metric}: expected a list of codes, got {value!r}")
    vocabulary = LISTS[metric]
    out: list[str] = []
    for item in items:
        code = str(item).strip().lower().replace("-", "_").replace(" ", "_")
        if not code:
            continue
        if code not in vocabulary:
            raise InputError(f"{metric}: unknown code {item!r} (one of {', '.join(vocabulary)})")
        if code not in out:
            out.append(code)
    return out


def _unknown(name: str) -> InputError:
    known = ", ".join(m.name for m in metric_catalogue())
    return InputError(f"unknown metric {name!r} (known metrics: {known})")


def validate_figures(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check every metric name and value; return the figures in canonical form.

    Keyed metrics may come nested (``{"notices": {"red": 2}}``) or dotted
    (``{"notices.red": 2}``). Raises ``InputError`` naming the first bad field.
    """
    figures: dict[str, Any] = {}
    for raw_name, value in raw.items():
        name = str(raw_name).strip()
        base, _, key = name.partition(".")
        if name in COUNTS:
            figures[name] = _count(name, value)
        elif name in AMOUNTS:
            figures[name] = _amount(name, value)
        elif name in LISTS:
            figures[name] = _list(name, value)
        elif base in KEYED and key:
            bucket = figures.setdefault(base, {})
            bucket[_key(base, key)] = _count(name, value)
        elif name in KEYED:
            if not isinstance(value, Mapping):
                raise InputError(f"{name}: expected an object of key: count, got {value!r}")
            bucket = figures.setdefault(name, {})
            for sub, count in value.items():
                bucket[_key(name, str(sub))] = _count(f"{name}.{sub}", count)
        else:
            raise _unknown(name)
    check_consistency(figures)
    return figures


def check_consistency(figures: Mapping[str, Any]) -> None:
    """Parts may not exceed their whole (a typing slip in one cell shows here).

    Also run on a country's figures once a partial resubmission is merged into them.
    """
    victims = max(figures.get("victims_identified", 0), figures.get("victims_rescued", 0))
    has_victims = "victims_identified" in figures or "victims_rescued" in figures
    if has_victims and figures.get("victims_minors", 0) > victims:
        raise InputError(
            f"victims_minors ({figures['victims_minors']}) exceeds the victims identified "
            f"or rescued ({victims})"
        )
    split = figures.get("victims_female", 0) + figures.get("victims_male", 0)
    if has_victims and split > victims:
        raise InputError(
            f"victims_female + victims_male ({split}) exceeds the victims identified "
            f"or rescued ({victims})"
        )
    if "migrants_identified" in figures and "migrant_nationalities" in figures:
        total = sum(figures["migrant_nationalities"].values())
        if total > figures["migrants_identified"]:
            raise InputError(
                f"migrant_nationalities add up to {total}, more than migrants_identified "
                f"({figures['migrants_identified']})"
            )
    hits, checks = figures.get("database_hits"), figures.get("database_checks")
    if hits is not None and checks is not None and hits > checks:
        raise InputError(f"database_hits ({hits}) exceeds database_checks ({checks})")


def read_figures(path: Path) -> dict[str, Any]:
    """Read an outcome file: CSV (``metric,value`` rows) or JSON (an object)."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        if not isinstance(data, dict):
            raise InputError(f"{path}: expected a JSON object of metric: value")
        return validate_figures(data)
    return validate_figures(_csv_rows(path, text))


def _csv_rows(path: Path, text: str) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if number == 1 and row[0].strip().lower() == "metric":
            continue
        if len(row) < 2:
            raise InputError(f"{path}, line {number}: expected 'metric,value'")
        name, value = row[0].strip(), ",".join(row[1:]).strip()
        if name in rows:
            raise InputError(f"{path}, line {number}: metric {name!r} given twice")
        try:
            validate_figures({name: value})
        except InputError as exc:
            raise InputError(f"{path}, line {number}: {exc}") from None
        rows[name] = value
    return rows

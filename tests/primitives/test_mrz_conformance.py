"""Conformance: other MRZ libraries' test vectors, judged by ICAO 9303.

Each vector in ``tests/fixtures/mrz/vectors.jsonl`` carries the library's own
expectation (``lib_valid``, ``fields``) and the verdict ICAO 9303 gives
(``icao``). Where the two differ, ``why`` says so and ``icao.fields`` holds the
ICAO value; everything else the library asserts must agree. Dates are judged
as of a fixed day so the centuries do not drift.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from threadline.exc import InputError
from threadline.primitives.mrz import MRZResult, parse_mrz

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mrz"
VECTORS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (FIXTURES / "vectors.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
REFERENCE_DAY = date(2026, 1, 1)


def _value(result: MRZResult, name: str, expected: object, *, suggested: bool) -> object:
    """What Threadline read for ``name``, in the form the expectation uses."""
    raw_date = isinstance(expected, str) and len(expected) == 6 and expected.isdigit()
    if raw_date and name in ("date_of_birth", "expiry_date"):
        # The library asserts the digits as written; compare with what was read.
        return next(d.read for d in result.dates if d.field == name)
    fields = result.suggested_fields if suggested and result.suggested_fields else result.fields
    return fields.to_dict()[name]


def _normal(name: str, value: object) -> object:
    # Libraries differ in how they join given names; the names themselves must agree.
    if name == "given_names" and isinstance(value, str):
        return value.replace(", ", " ")
    return value


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector_gets_the_icao_verdict(vector: dict[str, Any]) -> None:
    icao = vector["icao"]
    if icao["valid"] is None:
        with pytest.raises(InputError, match=re.escape(icao["error"])):
            parse_mrz(vector["lines"], today=REFERENCE_DAY)
        return
    result = parse_mrz(vector["lines"], today=REFERENCE_DAY)
    assert result.valid is icao["valid"], result.errors
    assert result.specimen is icao["specimen"], result.warnings
    assert sorted(v.code for v in result.variants) == sorted(icao["variants"])
    for name, expected in icao.get("fields", {}).items():
        assert _value(result, name, expected, suggested=False) == expected, name
    for name, expected in icao.get("suggested", {}).items():
        assert result.suggested_fields is not None
        assert result.suggested_fields.to_dict()[name] == expected, name


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_library_fields_agree_unless_explained(vector: dict[str, Any]) -> None:
    if vector["icao"]["valid"] is None or not vector["fields"]:
        return
    result = parse_mrz(vector["lines"], today=REFERENCE_DAY)
    icao_fields = vector["icao"].get("fields", {})
    overridden = set(icao_fields)
    differs = [
        name
        for name in overridden & set(vector["fields"])
        if _normal(name, icao_fields[name]) != _normal(name, vector["fields"][name])
    ]
    assert not differs or vector.get("why"), f"ICAO differs on {differs}: say why"
    for name, expected in vector["fields"].items():
        if name in overridden:
            continue
        got = _value(result, name, expected, suggested=bool(vector.get("ocr")))
        assert _normal(name, got) == _normal(name, expected), name


def test_library_verdicts_agree_or_are_explained() -> None:
    unexplained = []
    for vector in VECTORS:
        lib, icao = vector["lib_valid"], vector["icao"]["valid"]
        if lib is not None and bool(icao) is not lib and not vector.get("why"):
            unexplained.append(vector["id"])
    assert unexplained == []


def test_corpus_names_its_sources_and_licences() -> None:
    libraries = {v["source"]["repo"] for v in VECTORS}
    assert len(libraries) >= 4
    for vector in VECTORS:
        assert vector["licence"] in {"MIT", "Apache-2.0"}, vector["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", vector["source"]["commit"]), vector["id"]
        assert vector["source"]["path"] and vector["source"]["repo"]
    assert len({v["id"] for v in VECTORS}) == len(VECTORS)

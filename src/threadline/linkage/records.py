"""Linkage records: one flat row per Person or Organization, prepared from statements.

The statement table holds one row per value; Splink wants one row per entity.
Preparation streams the matching statements once into DuckDB, pivots them there
(set-based: list aggregates per entity and property), then adds the name
features the names primitives compute (transliteration, variant keys, metaphone)
once per distinct name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Connection, select

from threadline.primitives.dates import parse_partial_date
from threadline.primitives.names import HONORIFICS, PARTICLES, NameToken, parse_name, split_name
from threadline.store.tables import collection as t_collection
from threadline.store.tables import statement as t_statement

PERSON_SCHEMATA = ("Person",)
ORGANIZATION_SCHEMATA = ("Organization", "Company", "LegalEntity", "PublicBody")
DOCUMENT_SCHEMATA = ("Passport", "Identification")
ADDRESS_SCHEMATA = ("Address",)
PROPS = (
    "name", "alias", "firstName", "lastName", "middleName", "birthDate", "gender",
    "nationality", "citizenship", "country", "passportNumber", "idNumber",
    "socialSecurityNumber", "phone", "email", "address", "addressEntity", "number", "holder",
    "taxNumber", "registrationNumber", "full", "street", "street2", "city", "postalCode",
)  # fmt: skip

# The columns of a prepared record, in order (Splink's input table).
COLUMNS = (
    "unique_id", "entity_group", "collection", "collection_id", "source_id", "full_name",
    "name_sorted", "name_keys", "name_phonetic", "first_name", "last_name",
    "first_name_phonetic", "last_name_phonetic", "first_initial", "last_initial", "dob",
    "dob_year", "dob_month", "dob_day", "sex", "nationality", "documents", "document_main",
    "phones", "emails", "addresses", "street", "postcode", "city", "fingerprint",
)  # fmt: skip

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class NameFeatures:
    """Comparable forms of one name as written (all lower-case ASCII)."""

    full: str | None  # tokens in written order
    sorted_keys: str | None  # canonical variant keys, sorted: order-independent
    keys: tuple[str, ...]
    phonetic: tuple[str, ...]
    first: str | None
    last: str | None


@lru_cache(maxsize=200_000)
def _part_tokens(part: str) -> tuple[NameToken, ...]:
    """Tokens of one written part of a name (cached: parts repeat far more than names)."""
    return parse_name(part).tokens


def name_tokens(text: str) -> tuple[NameToken, ...]:
    """``parse_name(text).tokens``, computed part by part with a cache.

    A name's tokens are its parts' tokens unless a part is an honorific (dropped)
    or a particle (joined to the next part); those names go through ``parse_name``.
    """
    parts = split_name(text)
    tokens: list[NameToken] = []
    for part in parts:
        found = _part_tokens(part)
        if len(found) != 1 or found[0].text in HONORIFICS or found[0].text in PARTICLES:
            return parse_name(text).tokens
        tokens.append(found[0])
    return tuple(tokens)


def name_features(text: str) -> NameFeatures:
    """Features of a name in any script (Мухаммад Али and Muhammad Ali share keys)."""
    tokens = name_tokens(text)
    if not tokens:
        return NameFeatures(None, None, (), (), None, None)
    keys = tuple(dict.fromkeys(t.key for t in tokens))
    return NameFeatures(
        full=" ".join(t.text for t in tokens),
        sorted_keys=" ".join(sorted(keys)),
        keys=keys,
        phonetic=tuple(dict.fromkeys(t.phonetic for t in tokens if t.phonetic)),
        first=tokens[0].key,
        last=tokens[-1].key if len(tokens) > 1 else None,
    )


@lru_cache(maxsize=200_000)
def _part_key(text: str) -> tuple[str | None, str | None]:
    """Canonical key and phonetic key of a first or last name (its main token)."""
    tokens = name_tokens(text)
    if not tokens:
        return None, None
    main = max(tokens, key=lambda t: len(t.text))
    return main.key, main.phonetic or None


def _document(value: str) -> str | None:
    cleaned = _NON_ALNUM.sub("", value.lower())
    return cleaned.upper() if len(cleaned) >= 4 else None


def _phone(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 6 else None


def _address(value: str) -> str | None:
    text = " ".join(_NON_ALNUM.sub(" ", value.lower()).split())
    return text or None


def _postcode(value: str | None) -> str | None:
    cleaned = _NON_ALNUM.sub("", (value or "").lower())
    return cleaned.upper() or None


def _sex(values: Sequence[str] | None) -> str | None:
    found = {v.lower() for v in values or () if v}
    found &= {"male", "female"}
    return found.pop() if len(found) == 1 else None


def _statement_table(conn: Connection, collection_ids: Sequence[int]) -> pa.Table:
    """The statements preparation needs, streamed into an Arrow table."""
    schemata = (*PERSON_SCHEMATA, *ORGANIZATION_SCHEMATA, *DOCUMENT_SCHEMATA, *ADDRESS_SCHEMATA)
    query = (
        select(
            t_statement.c.entity_id,
            t_statement.c.schema,
            t_statement.c.prop,
            t_statement.c.value,
            t_statement.c.collection_id,
            t_statement.c.source_id,
        )
        .where(t_statement.c.collection_id.in_(list(collection_ids)))
        .where(t_statement.c.schema.in_(schemata))
        .where(t_statement.c.prop.in_(("id", *PROPS)))
        .execution_options(stream_results=True, yield_per=50_000)
    )
    names = ("entity_id", "schema", "prop", "value", "collection_id", "source_id")
    batches: list[pa.RecordBatch] = []
    result = conn.execute(query)
    while chunk := result.fetchmany(50_000):
        columns = list(zip(*chunk, strict=True))
        batches.append(pa.RecordBatch.from_arrays([pa.array(c) for c in columns], names=names))
    schema = pa.schema([(n, pa.int64() if n == "collection_id" else pa.string()) for n in names])
    if not batches:
        return schema.empty_table()
    return pa.Table.from_batches([b.cast(schema) for b in batches], schema=schema)


_PIVOT_SQL = """
WITH docs AS (
    SELECT h.value AS entity_id, n.value AS number
    FROM st h JOIN st n ON n.entity_id = h.entity_id AND n.prop = 'number'
    WHERE h.prop = 'holder' AND h.schema IN ('Passport', 'Identification')
    UNION ALL
    SELECT entity_id, value FROM st
    WHERE prop IN ('passportNumber', 'idNumber', 'socialSecurityNumber', 'taxNumber',
                   'registrationNumber')
), doc_lists AS (
    SELECT entity_id, list(DISTINCT number ORDER BY number) AS documents
    FROM docs GROUP BY entity_id
), places AS (
    SELECT entity_id,
        min(value) FILTER (WHERE prop = 'street') AS street,
        min(value) FILTER (WHERE prop = 'full') AS full_address,
        min(value) FILTER (WHERE prop = 'postalCode') AS postcode,
        min(value) FILTER (WHERE prop = 'city') AS city
    FROM st WHERE schema = 'Address' GROUP BY entity_id
), place_of AS (
    SELECT p.entity_id,
        min(coalesce(a.street, a.full_address)) AS street,
        min(a.postcode) AS postcode,
        min(a.city) AS city,
        list(DISTINCT a.full_address) FILTER (WHERE a.full_address IS NOT NULL) AS full_addresses
    FROM st p JOIN places a ON p.prop = 'addressEntity' AND a.entity_id = p.value
    GROUP BY p.entity_id
), ents AS (
    SELECT entity_id,
        min(schema) AS schema,
        min(collection_id) AS collection_id,
        min(source_id) AS source_id,
        min(value) FILTER (WHERE prop = 'name') AS name,
        list(DISTINCT value ORDER BY value) FILTER (WHERE prop IN ('name', 'alias')) AS names,
        min(value) FILTER (WHERE prop = 'firstName') AS first_name,
        min(value) FILTER (WHERE prop = 'lastName') AS last_name,
        min(value) FILTER (WHERE prop = 'middleName') AS middle_name,
        min(value) FILTER (WHERE prop = 'birthDate') AS birth_date,
        list(DISTINCT value ORDER BY value) FILTER (WHERE prop = 'gender') AS gender,
        list(DISTINCT upper(value) ORDER BY upper(value))
            FILTER (WHERE prop IN ('nationality', 'citizenship')) AS nationality,
        list(DISTINCT value ORDER BY value) FILTER (WHERE prop = 'phone') AS phones,
        list(DISTINCT lower(value) ORDER BY lower(value)) FILTER (WHERE prop = 'email') AS emails,
        list(DISTINCT value ORDER BY value) FILTER (WHERE prop = 'address') AS addresses
    FROM st
    WHERE schema NOT IN ('Passport', 'Identification', 'Address')
    GROUP BY entity_id
)
SELECT ents.*, doc_lists.documents, place_of.street, place_of.postcode, place_of.city,
    place_of.full_addresses
FROM ents LEFT JOIN doc_lists USING (entity_id) LEFT JOIN place_of USING (entity_id)
ORDER BY entity_id
"""


def prepare_records(conn: Connection, collection_ids: Sequence[int]) -> pa.Table:
    """One row per Person/Organization entity of the collections (columns: ``COLUMNS``)."""
    names = {
        row.id: row.name for row in conn.execute(select(t_collection.c.id, t_collection.c.name))
    }
    st = _statement_table(conn, collection_ids)
    db = duckdb.connect()
    try:
        db.register("st", st)
        pivot = db.execute(_PIVOT_SQL).to_arrow_table()
    finally:
        db.close()
    rows = [_record(raw, names) for raw in pivot.to_pylist()]
    return records_table(rows)


def records_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Arrow table of prepared records with the fixed column types."""
    return pa.Table.from_pylist(list(rows), schema=RECORD_SCHEMA)


_LIST = pa.list_(pa.string())
RECORD_SCHEMA = pa.schema(
    [
        (c, _LIST)
        if c
        in {
            "name_keys",
            "name_phonetic",
            "nationality",
            "documents",
            "phones",
            "emails",
            "addresses",
        }
        else (c, pa.int64())
        if c in {"collection_id", "dob_year", "dob_month", "dob_day"}
        else (c, pa.string())
        for c in COLUMNS
    ]
)


def _record(raw: dict[str, Any], collection_names: dict[int, str]) -> dict[str, Any]:
    """Flat linkage record from one pivoted entity."""
    is_person = raw["schema"] in PERSON_SCHEMATA
    written = [n for n in raw["names"] or () if n]
    if not written and (raw["first_name"] or raw["last_name"]):
        parts = (raw["first_name"], raw["middle_name"], raw["last_name"])
        written = [" ".join(p for p in parts if p)]
    primary = raw["name"] or (written[0] if written else "")
    main = name_features(primary) if primary else name_features("")
    keys: dict[str, None] = dict.fromkeys(main.keys)
    phonetic: dict[str, None] = dict.fromkeys(main.phonetic)
    for other in written:
        feats = name_features(other)
        keys.update(dict.fromkeys(feats.keys))
        phonetic.update(dict.fromkeys(feats.phonetic))
    first, first_ph = _part_key(raw["first_name"]) if raw["first_name"] else (None, None)
    last, last_ph = _part_key(raw["last_name"]) if raw["last_name"] else (None, None)
    if first is None and main.first:
        first, first_ph = _part_key(main.first)
    if last is None and main.last:
        last, last_ph = _part_key(main.last)
    born = parse_partial_date(raw["birth_date"]) if is_person else None
    record = {
        "unique_id": raw["entity_id"],
        "entity_group": "person" if is_person else "organization",
        "collection": collection_names.get(raw["collection_id"], str(raw["collection_id"])),
        "collection_id": raw["collection_id"],
        "source_id": raw["source_id"],
        "full_name": main.full,
        "name_sorted": main.sorted_keys,
        "name_keys": sorted(keys) or None,
        "name_phonetic": sorted(phonetic) or None,
        "first_name": first if is_person else None,
        "last_name": last if is_person else None,
        "first_name_phonetic": first_ph if is_person else None,
        "last_name_phonetic": last_ph if is_person else None,
        "dob": str(born) if born is not None and born.precision == "day" else None,
        "dob_year": born.year if born else None,
        "dob_month": born.month if born else None,
        "dob_day": born.day if born else None,
        "sex": _sex(raw["gender"]) if is_person else None,
        "nationality": _clean_list(raw["nationality"], lambda v: v[:2].upper()),
        "documents": _clean_list(raw["documents"], _document),
        "phones": _clean_list(raw["phones"], _phone),
        "emails": _clean_list(raw["emails"], lambda v: v.strip().lower() or None),
        "addresses": _clean_list(
            [*(raw["addresses"] or ()), *(raw["full_addresses"] or ())], _address
        ),
        "postcode": _postcode(raw["postcode"]),
        "city": _address(raw["city"]) if raw["city"] else None,
    }
    record["first_initial"] = first[:1] if record["first_name"] and first else None
    record["last_initial"] = last[:1] if record["last_name"] and last else None
    record["document_main"] = record["documents"][0] if record["documents"] else None
    street = _address(raw["street"]) if raw["street"] else None
    record["street"] = street or (record["addresses"][0] if record["addresses"] else None)
    record["fingerprint"] = fingerprint(record)
    return record


def _clean_list(values: Sequence[str] | None, clean: Any) -> list[str] | None:
    out = sorted({c for c in (clean(v) for v in values or () if v) if c})
    return out or None


def fingerprint(record: dict[str, Any]) -> str:
    """Hash of the comparable values: a record whose values change is scored again."""
    parts = [repr(record.get(c)) for c in COLUMNS if c not in {"fingerprint", "source_id"}]
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()

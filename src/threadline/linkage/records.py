"""Linkage records: one flat row per Person or Organization, prepared from statements.

The statement table holds one row per value; Splink wants one row per entity.
Preparation is set-based so that it scales with the data: the matching
statements stream once into DuckDB, which pivots them (list aggregates per
entity and property), splits names into parts, folds particles and drops
honorifics as ``parse_name`` does, and cleans documents, phones, emails and
addresses. Python runs only where the primitives must, once per distinct value:
a name part's token (transliteration, variant key, metaphone) once per distinct
part, a birth date once per distinct text, an address written as one text (a Person's
``address``, an Address entity's ``full`` when it gives no parts) once per distinct text
for its street, postcode and locality. No Python object is made per record.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Connection, select

from threadline.linkage.backends import duckdb_connection
from threadline.primitives.dates import parse_partial_date
from threadline.primitives.names import (
    HONORIFICS,
    NAME_DROPPED,
    NAME_SEPARATORS,
    PARTICLES,
    NameToken,
    is_honorific,
    parse_name,
    part_token,
    plain_part,
    split_name,
)
from threadline.primitives.skeleton import skeleton
from threadline.store.statements import ID_PROP
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
    "first_name_phonetic", "last_name_phonetic", "first_name_skeleton", "last_name_skeleton",
    "first_initial", "last_initial", "dob",
    "dob_year", "dob_month", "dob_day", "sex", "nationality", "documents", "document_main",
    "phones", "emails", "addresses", "street", "postcode", "city", "last_name_deletions",
    "uncommon_name", "fingerprint",
)  # fmt: skip
# Derived for blocking only: not part of a record's fingerprint (``uncommon_name`` also
# depends on the other records).
_BLOCKING_COLUMNS = frozenset({"last_name_deletions", "uncommon_name"})
# A name (its sorted parts) borne by at most this many records is an ``uncommon_name``.
UNCOMMON_NAME_LIMIT = 20
_LIST_COLUMNS = frozenset(
    {"name_keys", "name_phonetic", "nationality", "documents", "phones", "emails", "addresses",
     "last_name_deletions"}
)  # fmt: skip
_INT_COLUMNS = frozenset({"collection_id", "dob_year", "dob_month", "dob_day"})
RECORD_SCHEMA = pa.schema(
    [
        (c, pa.list_(pa.string()))
        if c in _LIST_COLUMNS
        else (c, pa.int64())
        if c in _INT_COLUMNS
        else (c, pa.string())
        for c in COLUMNS
    ]
)


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
    token = part_token(part)
    return (token,) if token is not None else ()


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
    """Features of a name in any script (Мухаммад Али and Muhammad Ali share keys).

    One name at a time; :func:`prepare_records` computes the same features for
    every record at once in SQL.
    """
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


# --- reading the statements ------------------------------------------------------------

_SEP = "\x1f"  # between entity id, property and value of one statement (ids never hold it)
_ENTITY_TYPE = pa.struct(
    [
        ("entity_id", pa.string()),
        ("schema", pa.string()),
        ("collection_id", pa.int64()),
        ("source_id", pa.string()),
    ]
)


def _stream(
    conn: Connection, query: Any, to_batch: Callable[[list[Any]], pa.RecordBatch]
) -> list[pa.RecordBatch]:
    """Run ``query`` on the driver's cursor (server-side on PostgreSQL), batch by batch."""
    # Only integers and this module's constants are bound: rendering them is safe.
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    raw: Any = conn.connection.driver_connection
    server_side = conn.dialect.name == "postgresql"
    cursor = raw.cursor(name="threadline_linkage_read") if server_side else raw.cursor()
    batches: list[pa.RecordBatch] = []
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(50_000):
            batches.append(to_batch(chunk))
    finally:
        cursor.close()
    return batches


def _statement_tables(conn: Connection, collection_ids: Sequence[int]) -> tuple[pa.Table, pa.Table]:
    """The statements preparation needs, streamed into Arrow.

    Two tables: one row per entity and source record (the ``id`` statement: schema,
    collection, source record) and one string per value statement, its entity id,
    property and value joined by ``_SEP``. Several million statements thus make one
    Python object each, not six; DuckDB splits them again.
    """
    schemata = (*PERSON_SCHEMATA, *ORGANIZATION_SCHEMATA, *DOCUMENT_SCHEMATA, *ADDRESS_SCHEMATA)
    scope = [
        t_statement.c.collection_id.in_([int(i) for i in collection_ids]),
        t_statement.c.schema.in_(schemata),
    ]
    entities = select(
        t_statement.c.entity_id,
        t_statement.c.schema,
        t_statement.c.collection_id,
        t_statement.c.source_id,
    ).where(*scope, t_statement.c.prop == ID_PROP)
    values = select(
        t_statement.c.entity_id + _SEP + t_statement.c.prop + _SEP + t_statement.c.value
    ).where(*scope, t_statement.c.prop.in_(PROPS))
    entity_batches = _stream(
        conn, entities, lambda rows: pa.RecordBatch.from_struct_array(pa.array(rows, _ENTITY_TYPE))
    )
    value_batches = _stream(
        conn,
        values,
        lambda rows: pa.RecordBatch.from_arrays(
            [pa.array([row[0] for row in rows], pa.string())], names=["statement"]
        ),
    )
    return (
        pa.Table.from_batches(entity_batches, schema=pa.schema(list(_ENTITY_TYPE))),
        pa.Table.from_batches(value_batches, schema=pa.schema([("statement", pa.string())])),
    )


# --- SQL ---------------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_SPACE = re.compile(r"\s")
# Python's Unicode whitespace (\s, str.isspace) as an RE2 class body; RE2's \s is ASCII only.
_SPACES = "".join(f"\\x{{{code:x}}}" for code in range(0x3001) if _SPACE.match(chr(code)))


def _re2(pattern: re.Pattern[str]) -> str:
    """A Python pattern as RE2 (DuckDB) reads it the same way."""
    return pattern.pattern.replace(r"\s", _SPACES)


_SPLIT_SQL = (
    "list_filter(regexp_split_to_array(regexp_replace({col}, "
    + _sql_string(_re2(NAME_DROPPED))
    + ", '', 'g'), "
    + _sql_string(_re2(NAME_SEPARATORS))
    + "), p -> p <> '')"
)

_PIVOT_SQL = """
CREATE TEMP TABLE entities AS
WITH sources AS (
    SELECT entity_id, min(schema) AS schema, min(collection_id) AS collection_id,
        min(source_id) AS source_id
    FROM entity_sources GROUP BY entity_id
), split AS (
    SELECT split_part(statement, chr(31), 1) AS entity_id,
        split_part(statement, chr(31), 2) AS prop,
        statement
    FROM value_statements
), st AS (
    SELECT s.entity_id, e.schema, s.prop,
        substr(s.statement, length(s.entity_id) + length(s.prop) + 3) AS value
    FROM split s JOIN sources e USING (entity_id)
), docs AS (
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
        list(DISTINCT a.full_address) FILTER (WHERE a.full_address IS NOT NULL) AS full_addresses,
        bool_or(a.street IS NOT NULL OR a.postcode IS NOT NULL OR a.city IS NOT NULL)
            AS has_parts
    FROM st p JOIN places a ON p.prop = 'addressEntity' AND a.entity_id = p.value
    GROUP BY p.entity_id
), ents AS (
    SELECT entity_id,
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
    GROUP BY entity_id
), named AS (
    SELECT sources.*, ents.* EXCLUDE (entity_id),
        list_filter(coalesce(names, []), n -> n <> '') AS nonempty
    FROM sources LEFT JOIN ents USING (entity_id)
    WHERE sources.schema NOT IN ('Passport', 'Identification', 'Address')
)
SELECT named.* EXCLUDE (names, nonempty),
    schema IN ({persons}) AS is_person,
    -- the names as written; else first, middle and last name joined
    CASE
        WHEN len(nonempty) > 0 THEN nonempty
        WHEN coalesce(first_name, '') <> '' OR coalesce(last_name, '') <> ''
            THEN [concat_ws(' ', nullif(first_name, ''), nullif(middle_name, ''),
                            nullif(last_name, ''))]
        ELSE []::VARCHAR[]
    END AS written,
    doc_lists.documents, place_of.street, place_of.postcode, place_of.city,
    place_of.full_addresses,
    -- no Address entity gives street, postcode or city: they are read out of a text
    CASE WHEN NOT coalesce(place_of.has_parts, false) THEN list_sort(list_distinct(list_filter(
        list_concat(coalesce(named.addresses, []), coalesce(place_of.full_addresses, [])),
        v -> trim(v) <> '')))[1] END AS address_text
FROM named LEFT JOIN doc_lists USING (entity_id) LEFT JOIN place_of USING (entity_id)
""".replace("{persons}", ", ".join(_sql_string(s) for s in PERSON_SCHEMATA))

# Each text's parts in order (as split_name splits it).
_PARTS_SQL = f"""
CREATE OR REPLACE TEMP TABLE name_parts AS
SELECT text, unnest(parts) AS part, generate_subscripts(parts, 1) AS pos
FROM (SELECT text, {_SPLIT_SQL.replace("{col}", "text")} AS parts FROM name_texts)
"""  # noqa: S608 (constants of this module only)

# parse_name's grouping of parts into tokens: honorifics are dropped (unless the name
# is nothing else), and a particle before the last part is folded into the part after
# it (its plain form becomes that token's prefix).
_GROUPS_SQL = """
CREATE OR REPLACE TEMP TABLE name_groups AS
WITH info AS (
    SELECT n.text, n.pos, n.part, i.plain, i.honorific, i.particle
    FROM name_parts n JOIN part_info i USING (part)
), special AS (
    SELECT DISTINCT text FROM info WHERE honorific OR particle
), flagged AS (
    SELECT *, bool_and(honorific) OVER (PARTITION BY text) AS only_honorifics
    FROM info WHERE text IN (SELECT text FROM special)
), kept AS (
    SELECT text, pos, part, plain, particle,
        row_number() OVER (PARTITION BY text ORDER BY pos) AS idx,
        count(*) OVER (PARTITION BY text) AS n
    FROM flagged WHERE NOT honorific OR only_honorifics
), folded AS (
    SELECT *, particle AND idx < n AS is_prefix FROM kept
), grouped AS (
    SELECT *, coalesce(sum(CASE WHEN is_prefix THEN 0 ELSE 1 END) OVER (
        PARTITION BY text ORDER BY idx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
        AS grp
    FROM folded
)
SELECT text, pos - 1 AS grp, part, '' AS prefix
FROM info WHERE text NOT IN (SELECT text FROM special)
UNION ALL
SELECT text, grp,
    any_value(part) FILTER (WHERE NOT is_prefix) AS part,
    coalesce(string_agg(plain, '' ORDER BY idx) FILTER (WHERE is_prefix), '') AS prefix
FROM grouped GROUP BY text, grp
"""

# Per text: the features of name_features() and the main token of a first/last name.
_FEATURES_SQL = """
CREATE OR REPLACE TEMP TABLE {table} AS
SELECT * EXCLUDE (main_token), main_token.key AS main_key,
    nullif(main_token.phonetic, '') AS main_phonetic, main_token.skeleton AS main_skeleton
FROM (
SELECT g.text,
    string_agg(t.token, ' ' ORDER BY g.grp) AS full_name,
    array_to_string(list_sort(list_distinct(list(t.key))), ' ') AS sorted_keys,
    list_distinct(list(t.key)) AS keys,
    list_distinct(list(t.phonetic) FILTER (WHERE t.phonetic <> '')) AS phonetic,
    arg_min(t.key, g.grp) AS first_key,
    CASE WHEN count(*) > 1 THEN arg_max(t.key, g.grp) END AS last_key,
    -- the main token: the longest, the first of the longest
    arg_max({'key': t.key, 'phonetic': t.phonetic, 'skeleton': t.skeleton},
            length(t.token) * 100000 - g.grp)
        AS main_token
FROM name_groups g JOIN token_values t ON t.part = g.part AND t.prefix = g.prefix
GROUP BY g.text)
"""

_RECORDS_SQL = """
WITH main AS (
    SELECT p.entity_id, f.*
    FROM entities p
    JOIN name_features f ON f.text = CASE WHEN coalesce(p.name, '') <> '' THEN p.name
                                          ELSE p.written[1] END
), every_name AS (
    SELECT w.entity_id,
        list_sort(list_distinct(flatten(list(f.keys)))) AS keys,
        list_sort(list_distinct(flatten(list(f.phonetic)))) AS phonetic
    FROM (SELECT entity_id, unnest(written) AS text FROM entities) w
    JOIN name_features f USING (text)
    GROUP BY w.entity_id
), parts AS (
    SELECT p.*,
        m.full_name, m.sorted_keys,
        nullif(e.keys, []) AS name_keys, nullif(e.phonetic, []) AS name_phonetic,
        CASE WHEN fk.main_key IS NOT NULL THEN fk.main_key ELSE mf.main_key END AS first_key,
        CASE WHEN fk.main_key IS NOT NULL THEN fk.main_phonetic ELSE mf.main_phonetic END
            AS first_phonetic,
        CASE WHEN lk.main_key IS NOT NULL THEN lk.main_key ELSE ml.main_key END AS last_key,
        CASE WHEN lk.main_key IS NOT NULL THEN lk.main_phonetic ELSE ml.main_phonetic END
            AS last_phonetic,
        CASE WHEN fk.main_key IS NOT NULL THEN fk.main_skeleton ELSE mf.main_skeleton END
            AS first_skeleton,
        CASE WHEN lk.main_key IS NOT NULL THEN lk.main_skeleton ELSE ml.main_skeleton END
            AS last_skeleton,
        d.dob, d.dob_year, d.dob_month, d.dob_day,
        list_sort(list_distinct(list_filter(list_transform(coalesce(p.documents, []),
            v -> upper(regexp_replace(lower(v), '[^0-9a-z]+', '', 'g'))), v -> length(v) >= 4)))
            AS document_list,
        list_sort(list_distinct(list_filter(list_transform(coalesce(p.phones, []),
            v -> regexp_replace(v, '\\P{Nd}', '', 'g')), v -> length(v) >= 6))) AS phone_list,
        list_sort(list_distinct(list_filter(list_transform(coalesce(p.emails, []),
            v -> lower(regexp_replace(v, {strip}, '', 'g'))), v -> v <> ''))) AS email_list,
        list_sort(list_distinct(list_filter(list_transform(
            list_concat(coalesce(p.addresses, []), coalesce(p.full_addresses, [])),
            v -> trim(regexp_replace(lower(v), '[^0-9a-z]+', ' ', 'g'))), v -> v <> '')))
            AS address_list,
        nullif(trim(regexp_replace(lower(p.street), '[^0-9a-z]+', ' ', 'g')), '') AS own_street,
        nullif(trim(regexp_replace(lower(t.street), '[^0-9a-z]+', ' ', 'g')), '') AS text_street,
        CASE WHEN p.address_text IS NOT NULL THEN t.postcode ELSE p.postcode END AS place_code,
        CASE WHEN p.address_text IS NOT NULL THEN t.locality ELSE p.city END AS place_city,
        list_distinct(list_filter(list_transform(coalesce(p.gender, []), v -> lower(v)),
            v -> v IN ('male', 'female'))) AS sexes
    FROM entities p
    LEFT JOIN main m USING (entity_id)
    LEFT JOIN every_name e USING (entity_id)
    LEFT JOIN part_keys fk ON fk.text = p.first_name
    LEFT JOIN part_keys lk ON lk.text = p.last_name
    LEFT JOIN part_keys mf ON mf.text = m.first_key
    LEFT JOIN part_keys ml ON ml.text = m.last_key
    LEFT JOIN birth_dates d ON d.text = CASE WHEN p.is_person THEN p.birth_date END
    LEFT JOIN address_texts t ON t.text = p.address_text
), records AS (
    SELECT
        entity_id AS unique_id,
        CASE WHEN is_person THEN 'person' ELSE 'organization' END AS entity_group,
        coalesce(c.name, CAST(collection_id AS VARCHAR)) AS collection,
        collection_id,
        source_id,
        full_name,
        sorted_keys AS name_sorted,
        name_keys,
        name_phonetic,
        CASE WHEN is_person THEN first_key END AS first_name,
        CASE WHEN is_person THEN last_key END AS last_name,
        CASE WHEN is_person THEN first_phonetic END AS first_name_phonetic,
        CASE WHEN is_person THEN last_phonetic END AS last_name_phonetic,
        CASE WHEN is_person THEN first_skeleton END AS first_name_skeleton,
        CASE WHEN is_person THEN last_skeleton END AS last_name_skeleton,
        CASE WHEN is_person THEN nullif(left(first_key, 1), '') END AS first_initial,
        CASE WHEN is_person THEN nullif(left(last_key, 1), '') END AS last_initial,
        -- the last name with each letter left out in turn, and whole: two last names one
        -- typing slip apart share one of these (blocking only; short names have none)
        CASE WHEN is_person AND length(last_key) >= 4 THEN list_distinct(list_append(
            list_transform(range(1, length(last_key) + 1),
                           i -> substr(last_key, 1, i - 1) || substr(last_key, i + 1)),
            last_key)) END AS last_name_deletions,
        dob, dob_year, dob_month, dob_day,
        CASE WHEN is_person AND len(sexes) = 1 THEN sexes[1] END AS sex,
        nullif(list_sort(list_distinct(list_filter(list_transform(coalesce(nationality, []),
            v -> upper(substring(v, 1, 2))), v -> v <> ''))), []) AS nationality,
        nullif(document_list, []) AS documents,
        document_list[1] AS document_main,
        nullif(phone_list, []) AS phones,
        nullif(email_list, []) AS emails,
        nullif(address_list, []) AS addresses,
        CASE WHEN address_text IS NOT NULL THEN text_street
             ELSE coalesce(own_street, address_list[1]) END AS street,
        nullif(upper(regexp_replace(lower(coalesce(place_code, '')), '[^0-9a-z]+', '', 'g')), '')
            AS postcode,
        nullif(trim(regexp_replace(lower(place_city), '[^0-9a-z]+', ' ', 'g')), '') AS city
    FROM parts LEFT JOIN collection_names c ON c.id = parts.collection_id
)
SELECT *,
    CASE WHEN count(*) OVER (PARTITION BY entity_group, name_sorted) <= {limit}
         THEN name_sorted END AS uncommon_name,
    sha1(concat_ws(chr(31), {fingerprinted})) AS fingerprint
FROM records
"""


def _fingerprinted() -> str:
    """SQL of the compared values, each marked so that NULL and any text differ."""
    parts = [
        f"coalesce('v' || CAST({c} AS VARCHAR), 'n')"
        for c in COLUMNS
        if c not in {"fingerprint", "source_id", *_BLOCKING_COLUMNS}
    ]
    return ", ".join(parts)


# --- Python once per distinct value --------------------------------------------------------


def _map_distinct(
    db: duckdb.DuckDBPyConnection,
    query: str,
    table: str,
    schema: pa.Schema,
    compute: Callable[..., tuple[Any, ...] | None],
) -> None:
    """Run ``compute`` once per distinct row ``query`` returns; register the results.

    ``schema`` names the query's columns first, then what ``compute`` returns; a
    row for which ``compute`` returns None gets no result row.
    """
    found = db.execute(query).to_arrow_table()
    keys = list(zip(*(c.to_pylist() for c in found.columns), strict=True))
    rows = [(*key, *out) for key in keys if (out := compute(*key)) is not None]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)]
    db.register(table, pa.Table.from_arrays(arrays, schema=schema))


def _part_info(
    part: str,
) -> tuple[str, bool, bool, bool, str | None, str | None, str | None, str | None]:
    """What parse_name needs to know of a raw part, and its token when nothing is folded in."""
    plain = plain_part(part)
    token = part_token(part)
    found = _token_row(token) if token is not None else (None, None, None, None)
    return plain, is_honorific(part, plain), plain in PARTICLES, part.isascii(), *found


def _token_row(token: NameToken) -> tuple[str, str, str, str | None]:
    return token.text, token.key, token.phonetic, skeleton(token)


def _token_values(part: str, prefix: str) -> tuple[str, str, str, str | None] | None:
    token = part_token(part, prefix)
    return _token_row(token) if token is not None else None


def _key_values(key: str) -> tuple[str | None, str | None, str | None] | None:
    """The main key, sound and skeleton of a first or last name that is a variant key."""
    token = part_token(key)  # a key is one lower-case ASCII part: parse_name keeps it whole
    return (token.key, token.phonetic or None, skeleton(token)) if token is not None else None


@dataclass(frozen=True)
class AddressParts:
    """Street, postcode and locality of an address written as one text, as written."""

    street: str | None
    postcode: str | None
    locality: str | None


# Where an address text splits into parts (commas, semicolons, line breaks).
_ADDRESS_SPLIT = re.compile(r"[,;\n\r]+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
# Postcode shapes, on the part's tokens casefolded and joined by single spaces. Four to six
# digits, with an extension (US ZIP+4, Brazil, Portugal); two or three digits, a hyphen and
# three or four (Poland, Japan); three and two digits (Sweden, Czechia, Slovakia, Greece);
# four digits and two letters when the town follows (the Netherlands; "2032 sa" at the end of
# a part is an Australian postcode and state); the British and Canadian letter-digit forms.
_POSTCODE = re.compile(
    r"(?<!\S)(?:\d{4} [a-z]{2}(?= [^\W\d_])|\d{4}[a-z]{2}|\d{3} \d{2}|\d{4,6}(?:-\d{3,4})?"
    r"|\d{2,3}-\d{3,4}|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}|[a-z]\d[a-z] ?\d[a-z]\d)(?!\S)"
)
_COUNTRY_CODE = re.compile(r"[a-z]{2}")
_Token = tuple[str, str]  # as written, and casefolded without edge punctuation
_Span = tuple[int, int, int]  # part, first token, end token


def _is_word(key: str) -> bool:
    return bool(key) and not any(c.isdigit() for c in key)


def _is_code(key: str) -> bool:
    """A region or country code (NSW, IL, MI, USA): a word of two or three letters."""
    return key.isalpha() and 2 <= len(key) <= 3


def _is_region(tokens: list[_Token]) -> bool:
    """A part that names a region or country, not a locality: one code, or a country's name
    (Germany, Deutschland, Россия)."""
    if len(tokens) == 1 and _is_code(tokens[0][1]):
        return True
    return _names_country(" ".join(raw for raw, _ in tokens))


@lru_cache(maxsize=100_000)
def _names_country(text: str) -> bool:
    """rigour's address fingerprint reduces a country's name to its territory's code; it also
    shortens street words to two letters (park to pk, prospect to pr), which rigour's address
    comparison does not match with that territory's name."""
    from rigour.addresses import address_fingerprint, compare_address
    from rigour.territories import get_territory

    found = address_fingerprint(text)
    if found is None or _COUNTRY_CODE.fullmatch(found) is None:
        return False
    territory = get_territory(found)
    return territory is not None and compare_address(text, territory.name) >= 0.5


def _token_key(raw: str) -> str:
    key = raw.casefold()
    return key if key.isalnum() else _EDGE_PUNCTUATION.sub("", key)


def _address_tokens(text: str) -> list[list[_Token]]:
    """The text's parts (split at commas), each a list of tokens; empty parts left out."""
    parts = []
    for chunk in _ADDRESS_SPLIT.split(text):
        tokens = [(raw, _token_key(raw)) for raw in chunk.split()]
        if tokens := [(raw, key) for raw, key in tokens if key]:
            parts.append(tokens)
    return parts


def _find_postcode(parts: list[list[_Token]]) -> _Span | None:
    """The last postcode-shaped token(s), never the text's first token (a house number).

    In the first of several parts (the street's) a postcode needs a word after it
    (``Hauptstraße 5 10115 Berlin, Germany``): a number ending that part is a PO box or a
    flat (``PO Box 1234, Springfield``).
    """
    for p in range(len(parts) - 1, -1, -1):
        keys = [key for _, key in parts[p]]
        starts = [0, *itertools.accumulate(len(k) + 1 for k in keys)]
        for match in reversed(list(_POSTCODE.finditer(" ".join(keys)))):
            first = starts.index(match.start())
            end = first + match.group().count(" ") + 1
            if p == 0 and (
                first == 0 or (len(parts) > 1 and (end == len(keys) or not _is_word(keys[end])))
            ):
                continue
            return p, first, end
    return None


def _locality_part(parts: list[list[_Token]], order: Iterable[int]) -> _Span | None:
    """The first part in ``order`` that can be a locality: not the street's part, no digits,
    not a region or country."""
    for p in order:
        tokens = parts[p]
        if p > 0 and all(_is_word(k) for _, k in tokens) and not _is_region(tokens):
            return p, 0, len(tokens)
    return None


def _find_locality(parts: list[list[_Token]], postcode: _Span | None) -> _Span | None:
    """The locality beside the postcode, else the nearest part that can be one."""
    if postcode is None:
        return _locality_part(parts, range(len(parts) - 1, 0, -1))
    p, first, end = postcode
    tokens = parts[p]
    start, stop, code_only = first, first, None
    while start > 0 and _is_word(tokens[start - 1][1]):
        start -= 1
    if stop - start > 1 and _is_code(tokens[stop - 1][1]):
        stop -= 1  # Kingsford NSW 2032, Springfield IL 62704
    elif stop - start == 1 and _is_code(tokens[start][1]):
        code_only, stop = (p, start, stop), start  # Springfield, IL 62704: the town is elsewhere
    if p == 0:  # the street's own part: only the word before (where the street ends is unsaid)
        start = max(start, stop - 1)
    if stop > start:
        return p, start, stop
    after = end
    while after < len(tokens) and _is_word(tokens[after][1]):
        after += 1
    if after - end > 1 and _is_code(tokens[after - 1][1]):
        after -= 1  # 20121 Milano MI
    if after > end:
        return p, end, after
    near = _locality_part(parts, [*range(p - 1, 0, -1), *range(p + 1, len(parts))])
    return near or code_only


def address_parts(text: str) -> AddressParts:
    """The street, postcode and locality of an address written as one text.

    A few rules that hold in many countries, not a full address parser (documented in
    docs/linkage.md with their limits). The text splits into parts at commas; the first part
    holds the street. The postcode is the last postcode-shaped token (``_POSTCODE``) that is
    not the first token of the text (a house number), nor a number ending the street's part
    (a PO box). The locality is the words just before the postcode in its part (a two- or
    three-letter state code next to it left out), else the words just after it; in the
    street's own part only the one word before it. When the postcode stands alone in its
    part, or there is none, the locality is the nearest part (before the postcode, then after
    it; the last part when there is no postcode) that is neither the street's part nor a
    region or country and holds no digits. The street is the first part, up to the postcode
    or locality when they are in it.
    """
    parts = _address_tokens(text)
    if not parts:
        return AddressParts(None, None, None)
    postcode = _find_postcode(parts)
    locality = _find_locality(parts, postcode)
    street = parts[0]
    cuts = [span[1] for span in (postcode, locality) if span is not None and span[0] == 0]
    if cuts:
        street = street[: min(cuts)]

    def written(span: _Span | None) -> str | None:
        if span is None:
            return None
        p, first, end = span
        return " ".join(raw for raw, _ in parts[p][first:end])

    return AddressParts(
        " ".join(raw for raw, _ in street) or None, written(postcode), written(locality)
    )


def _address_values(text: str) -> tuple[str | None, str | None, str | None]:
    found = address_parts(text)
    return found.street, found.postcode, found.locality


def _birth_date(text: str) -> tuple[str | None, int, int | None, int | None] | None:
    born = parse_partial_date(text)
    if born is None:
        return None
    return str(born) if born.precision == "day" else None, born.year, born.month, born.day


_S = pa.string()
_PART_INFO = pa.schema([("part", _S), ("plain", _S), ("honorific", pa.bool_()),
                        ("particle", pa.bool_()), ("ascii", pa.bool_()), ("token", _S),
                        ("key", _S), ("phonetic", _S), ("skeleton", _S)])  # fmt: skip
_TOKENS = pa.schema([("part", _S), ("prefix", _S), ("token", _S), ("key", _S),
                     ("phonetic", _S), ("skeleton", _S)])  # fmt: skip
_KEYS = pa.schema([("text", _S), ("main_key", _S), ("main_phonetic", _S), ("main_skeleton", _S)])
_ADDRESSES = pa.schema([("text", _S), ("street", _S), ("postcode", _S), ("locality", _S)])
_DATES = pa.schema([("text", _S), ("dob", _S), ("dob_year", pa.int64()),
                    ("dob_month", pa.int64()), ("dob_day", pa.int64())])  # fmt: skip


def _name_features(db: duckdb.DuckDBPyConnection, texts_sql: str) -> None:
    """Name features of every distinct text ``texts_sql`` selects (table ``name_features``).

    Python computes each distinct part's token once (``part_info``); only parts with
    particles folded into them (a prefix) are tokenised again with the prefix.
    """
    db.execute(
        "CREATE OR REPLACE TEMP TABLE name_texts AS SELECT DISTINCT text "  # noqa: S608
        f"FROM ({texts_sql}) t WHERE text IS NOT NULL AND text <> ''"
    )
    db.execute(_PARTS_SQL)
    _map_distinct(db, "SELECT DISTINCT part FROM name_parts", "part_info", _PART_INFO, _part_info)
    db.execute(_GROUPS_SQL)
    _map_distinct(
        db,
        "SELECT DISTINCT part, prefix FROM name_groups WHERE part IS NOT NULL AND prefix <> ''",
        "prefixed_tokens",
        _TOKENS,
        _token_values,
    )
    db.execute(
        "CREATE OR REPLACE TEMP TABLE token_values AS "
        "SELECT part, '' AS prefix, token, key, phonetic, skeleton FROM part_info "
        "WHERE token IS NOT NULL "
        "UNION ALL SELECT * FROM prefixed_tokens"
    )
    db.execute(_FEATURES_SQL.replace("{table}", "name_features"))
    db.unregister("prefixed_tokens")


def _part_keys(db: duckdb.DuckDBPyConnection) -> None:
    """Main key, sound and skeleton of every first or last name (table ``part_keys``).

    Written first and last names have theirs in ``name_features``. A first or last
    name taken from a whole name is a variant key; when the key is the text of an
    ASCII part with nothing folded in, its token is that part's (the same key and
    sound), so only the other keys are tokenised.
    """
    db.execute(
        "CREATE OR REPLACE TEMP TABLE derived_keys AS SELECT DISTINCT text FROM ("
        "SELECT first_key AS text FROM name_features UNION ALL "
        "SELECT last_key FROM name_features) "
        "WHERE text IS NOT NULL AND text NOT IN (SELECT text FROM name_features)"
    )
    db.execute(
        "CREATE OR REPLACE TEMP TABLE known_keys AS "
        "SELECT key AS text, any_value(key) AS main_key, any_value(nullif(phonetic, '')) "
        "AS main_phonetic, any_value(skeleton) AS main_skeleton "
        "FROM part_info WHERE ascii AND key = token "
        "AND key IN (SELECT text FROM derived_keys) GROUP BY key"
    )
    _map_distinct(
        db,
        "SELECT text FROM derived_keys WHERE text NOT IN (SELECT text FROM known_keys)",
        "other_keys",
        _KEYS,
        _key_values,
    )
    db.execute(
        "CREATE OR REPLACE TEMP TABLE part_keys AS "
        "SELECT text, main_key, main_phonetic, main_skeleton FROM name_features "
        "UNION ALL SELECT * FROM known_keys UNION ALL SELECT * FROM other_keys"
    )
    db.unregister("other_keys")
    db.unregister("part_info")


def prepare_records(conn: Connection, collection_ids: Sequence[int]) -> pa.Table:
    """One row per Person/Organization entity of the collections (columns: ``COLUMNS``)."""
    names = conn.execute(select(t_collection.c.id, t_collection.c.name)).all()
    sources, statements = _statement_tables(conn, collection_ids)
    db = duckdb_connection()
    try:
        db.register("entity_sources", sources)
        db.register("value_statements", statements)
        db.register(
            "collection_names",
            pa.table(
                {"id": pa.array([r.id for r in names], pa.int64()), "name": [r.name for r in names]}
            ),
        )
        db.execute(_PIVOT_SQL)
        db.unregister("entity_sources")
        db.unregister("value_statements")
        del sources, statements
        _name_features(
            db,
            "SELECT unnest(written) AS text FROM entities "
            "UNION ALL SELECT first_name FROM entities UNION ALL SELECT last_name FROM entities",
        )
        _part_keys(db)
        _map_distinct(
            db,
            "SELECT DISTINCT birth_date FROM entities WHERE is_person AND birth_date IS NOT NULL",
            "birth_dates",
            _DATES,
            _birth_date,
        )
        _map_distinct(
            db,
            "SELECT DISTINCT address_text FROM entities WHERE address_text IS NOT NULL",
            "address_texts",
            _ADDRESSES,
            _address_values,
        )
        sql = _RECORDS_SQL.replace("{fingerprinted}", _fingerprinted())
        sql = sql.replace("{limit}", str(UNCOMMON_NAME_LIMIT)).replace(
            "{strip}", _sql_string(f"^[{_SPACES}]+|[{_SPACES}]+$")
        )
        table = db.execute(sql).to_arrow_table()
    finally:
        db.close()
    # Ordered by id in Arrow: sorting the wide rows in DuckDB costs several times more.
    return table.select(list(COLUMNS)).cast(RECORD_SCHEMA).sort_by("unique_id")

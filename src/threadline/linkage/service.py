"""Linkage runs: prepare, train or reuse the model, predict, store links, cluster.

The first run (or ``retrain=True``) trains a model and scores every record in
scope. Training estimates u by random sampling and m by EM on a random sample of
the records (``training_records``): the parameters are proportions, which a
large sample estimates as well as the whole, and EM on a blocking rule such as
the birth date would otherwise grow with the square of the records. Later runs
reuse the stored model and score only records that are new or changed since they
were last scored, against each other and against everything already scored
(Splink's ``predict_between`` and ``predict_within``). Clusters are then rebuilt
from every stored link and every judgement in force; each keeps the id of the agency's
previous cluster it continues (:func:`threadline.linkage.clusters.assign_ids`).

Every phase is set-based: records are prepared in DuckDB, Splink's predictions
become link findings (with their waterfall as JSON) in one DuckDB query, and
links, scored records and clusters are written with the driver's bulk insert.
Only pairs at or above the review floor are stored. The result says how long
each phase took. The run is audited as its actor's (counts only) in the transaction
that stores it.
"""

from __future__ import annotations

import gc
import logging
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from sqlalchemy import Column, Connection, MetaData, String, Table, delete, insert, or_, select

from threadline.exc import InputError
from threadline.governance import Actor
from threadline.governance.access import Access, producer
from threadline.governance.audit import record
from threadline.linkage import model as link_model
from threadline.linkage.backends import database_api, duckdb_connection
from threadline.linkage.clusters import (
    Facts,
    Previous,
    assign_ids,
    build_clusters,
    effective_edges,
)
from threadline.linkage.judgements import active_judgements
from threadline.linkage.predict import CLUSTER, LINK, corroborated, link_rows_sql
from threadline.linkage.records import prepare_records
from threadline.linkage.tables import link_model as t_model
from threadline.linkage.tables import link_record as t_record
from threadline.primitives.dates import PartialDate, parse_partial_date
from threadline.store import Store
from threadline.store.bulk import insert_many
from threadline.store.findings import (
    Finding,
    finish_run,
    insert_finding_rows,
    producer_clause,
    start_run,
)
from threadline.store.scopes import ScopeIds, scope_of
from threadline.store.tables import collection as t_collection
from threadline.store.tables import finding as t_finding
from threadline.store.tables import statement as t_statement

RUN_KIND = "linkage"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkOptions:
    """How a run links: threshold for clusters, floor for stored links, training."""

    threshold: float = 0.9
    review_floor: float = 0.05  # links below this probability are not stored
    retrain: bool = False
    backend: str = "duckdb"
    min_training_records: int = 1000  # below this EM is unreliable: keep starting values
    training_records: int = 200_000  # u and m are estimated on a random sample this large
    max_pairs: float = 1e6  # random pairs sampled to estimate u (Splink's own default)
    link_only: bool = False  # only pairs across collections (each collection has no duplicates)

    def validate(self) -> None:
        if not 0 < self.threshold <= 1:
            raise InputError(f"threshold must be a probability in (0, 1], got {self.threshold}")
        if not 0 <= self.review_floor <= self.threshold:
            raise InputError("the review floor must be between 0 and the threshold")
        if self.training_records < max(self.min_training_records, 2):
            raise InputError(
                f"training_records ({self.training_records:,}) must be at least "
                f"min_training_records ({self.min_training_records:,})"
            )


@dataclass
class LinkRunResult:
    run_id: int
    model_id: int
    mode: str  # "full" or "incremental"
    trained: str
    records: int
    scored: int
    links: int
    clusters: int
    seconds: dict[str, float] = field(default_factory=dict)  # phase -> wall-clock seconds

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class _Clock:
    """Wall-clock seconds per phase of a run (logged as each phase ends)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = round(now - self._last, 2)
        self._last = now
        log.info("linkage %s: %.1f s", phase, self.seconds[phase])


def scope_collection_ids(conn: Connection, actor: Actor, names: Sequence[str] | None) -> list[int]:
    """Ids of the named collections (all the actor may see when none are named)."""
    access = Access(conn, actor)
    if not names:
        return access.collection_ids
    ids: list[int] = []
    for name in names:
        found = access.by_name(name)
        if found is None or found.id is None:
            raise InputError(f"no collection named {name!r} that you may see")
        ids.append(found.id)
    return ids


@dataclass(frozen=True)
class Producer:
    """The agency whose linkage this is: its model, scored records, links and clusters."""

    agency: str | None
    country: str | None

    @classmethod
    def of(cls, actor: Actor) -> Producer:
        found = producer(actor)
        return cls(found["agency"], found["country"])

    @property
    def key(self) -> str:
        """How ``link_record`` names it ("" for the platform)."""
        return "" if self.agency is None else f"{self.agency}|{self.country}"

    def models(self) -> Any:
        if self.agency is None:
            return t_model.c.agency.is_(None)
        return (t_model.c.agency == self.agency) & (t_model.c.country == self.country)


def _latest_model(conn: Connection, who: Producer) -> Any:
    query = select(t_model).where(who.models()).order_by(t_model.c.id.desc()).limit(1)
    return conn.execute(query).first()


def training_sample(records: pa.Table, size: int, seed: int = 1) -> pa.Table:
    """A reproducible random sample of ``size`` records (all of them when fewer)."""
    if records.num_rows <= size:
        return records
    rows = sorted(random.Random(seed).sample(range(records.num_rows), size))
    return records.take(pa.array(rows, pa.int64()))


def run_linkage(
    store: Store,
    actor: Actor,
    *,
    collections: Sequence[str] | None = None,
    options: LinkOptions | None = None,
) -> LinkRunResult:
    """Link and deduplicate the Person and Organization entities of the collections."""
    opts = options or LinkOptions()
    opts.validate()
    clock = _Clock()
    who = Producer.of(actor)
    with store.connect() as conn:
        scope = scope_collection_ids(conn, actor, collections)
        records = prepare_records(conn, scope)
        stored_model = _latest_model(conn, who)
        full = opts.retrain or stored_model is None
        scored = None if full else _scored(conn, scope, who)
    clock.lap("prepare")
    api = database_api(opts.backend)
    dialect = api.sql_dialect.sql_dialect_str
    params = None if full else link_model.ModelParameters.from_dict(stored_model.settings)
    settings = link_model.settings_for(dialect, params, link_only=opts.link_only)
    trained = "reused"
    linker = None
    if full:
        trained = "priors"
        if records.num_rows >= opts.min_training_records:
            sample = training_sample(records, opts.training_records)
            trainer = _linker(api, sample, settings)
            trained = link_model.train(trainer, max_pairs=opts.max_pairs, link_only=opts.link_only)
            settings = trainer.misc.save_model_to_json()
            if sample is records:  # trained on every record: it predicts as it is
                linker = trainer
        clock.lap("train")
    if linker is None:
        linker = _linker(api, records, settings)
    settings = linker.misc.save_model_to_json()
    if full:
        fresh = records
        predictions = _predict_all(linker, records, opts)
    else:
        assert scored is not None
        fresh, predictions = _predict_new(api, linker, records, scored, opts)
    clock.lap("predict")
    with store.begin() as conn:
        model_id = _save_model(conn, actor, settings, records.num_rows, trained, stored_model, full)
        run_id = start_run(
            conn,
            RUN_KIND,
            user=actor.user,
            **producer(actor),
            scope={
                "collections": collections or "all visible",
                "threshold": opts.threshold,
                "backend": opts.backend,
                "mode": "full" if full else "incremental",
                "link_only": opts.link_only,
            },
        )
        with _temporary_ids(conn, "linkage_fresh", fresh.column("unique_id").to_pylist()) as ids:
            _forget_links(conn, scope if full else None, ids, who)
            rows = _link_rows(
                predictions, settings, model_id=model_id, run_id=run_id, conn=conn, who=who
            )
            links = insert_finding_rows(conn, rows)
            clock.lap("links")
            _remember(conn, fresh, ids, model_id, who)
        clock.lap("scored_records")
        clusters = recluster(conn, run_id, opts.threshold, api, who)
        clock.lap("clusters")
        counts = {
            "records": records.num_rows,
            "scored": fresh.num_rows,
            "links": links,
            "clusters": clusters,
        }
        finish_run(conn, run_id, counts=counts)
        mode = "full" if full else "incremental"
        record(conn, actor, "link.run", component="linkage", target_type="collections",
               result_count=links, detail={"run_id": run_id, "mode": mode, **counts})  # fmt: skip
    clock.lap("commit")
    return LinkRunResult(
        run_id,
        model_id,
        "full" if full else "incremental",
        trained,
        records.num_rows,
        fresh.num_rows,
        links,
        clusters,
        clock.seconds,
    )


def _linker(api: Any, records: pa.Table, settings: dict[str, Any]) -> Any:
    """A Splink linker of the records. Splink's settings checks are skipped: they only log
    warnings, which the ERROR log level hides, and cost a few tenths of a second per
    linker (the tests run them on the record table)."""
    from splink import Linker

    return Linker(api.register(records), settings, log_level=logging.ERROR, validate_settings=False)


def _scored(conn: Connection, scope: Sequence[int], who: Producer) -> pa.Table:
    """Entity id and fingerprint of every record of the scope this agency already scored."""
    query = select(t_record.c.entity_id, t_record.c.fingerprint).where(
        t_record.c.collection_id.in_(list(scope)), t_record.c.producer == who.key
    )
    rows = conn.execute(query).all()
    return pa.table(
        {
            "entity_id": pa.array([r[0] for r in rows], pa.string()),
            "fingerprint": pa.array([r[1] for r in rows], pa.string()),
        }
    )


def _predict_all(linker: Any, records: pa.Table, opts: LinkOptions) -> pa.Table | None:
    if records.num_rows < 2:
        return None
    result = linker.inference.predict(
        threshold_match_probability=opts.review_floor, warning_mode="never"
    )
    return _taken(result)


def _taken(result: Any) -> pa.Table:
    """A Splink result as an Arrow table, its table dropped from the backend."""
    table = result.as_pyarrow_table()
    result.drop_table_from_database_and_remove_from_cache()
    return table


def _predict_new(
    api: Any, linker: Any, records: pa.Table, scored: pa.Table, opts: LinkOptions
) -> tuple[pa.Table, pa.Table | None]:
    """Score records that are new or changed against the rest, with the stored model."""
    sep = "\x1f"
    known = pc.binary_join_element_wise(scored["entity_id"], scored["fingerprint"], sep)
    current = pc.binary_join_element_wise(records["unique_id"], records["fingerprint"], sep)
    unchanged = pc.is_in(current, value_set=known)
    fresh = records.filter(pc.invert(unchanged))
    if fresh.num_rows == 0:
        return fresh, None
    old = records.filter(unchanged)
    for column in link_model.TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    new_sdf = api.register(fresh)
    parts: list[pa.Table] = []
    if old.num_rows:
        between = linker.inference.predict_between(
            new_sdf,
            api.register(old),
            threshold_match_probability=opts.review_floor,
            warning_mode="never",
        )
        parts.append(_taken(between))
    if fresh.num_rows > 1:
        within = linker.inference.predict_within(
            new_sdf, threshold_match_probability=opts.review_floor, warning_mode="never"
        )
        parts.append(_taken(within))
    parts = [p for p in parts if p.num_rows]
    if not parts:
        return fresh, None
    return fresh, pa.concat_tables(parts, promote_options="permissive")


def _link_rows(
    predictions: pa.Table | None,
    settings: dict[str, Any],
    *,
    model_id: int,
    run_id: int,
    conn: Connection,
    who: Producer,
) -> Iterator[tuple[Any, ...]]:
    """Link finding rows (``FINDING_COLUMNS``) of the predictions, built in DuckDB; each
    link's scope is the collections of its two records."""
    if predictions is None or predictions.num_rows == 0:
        return iter(())
    # Scopes are stored now, before the rows stream in: a bulk COPY holds the connection.
    scope_ids = ScopeIds(conn)
    pairs = {(a, b): scope_ids(scope_of((a, b))) for a, b in _collection_pairs(predictions)}
    return _stream_links(predictions, settings, model_id, run_id, pairs, who)


def _stream_links(
    predictions: pa.Table,
    settings: dict[str, Any],
    model_id: int,
    run_id: int,
    pairs: dict[tuple[int, int], int],
    who: Producer,
) -> Iterator[tuple[Any, ...]]:
    now = datetime.now(UTC)
    db = duckdb_connection()
    try:
        db.register("pred", predictions)
        sql = link_rows_sql(settings, predictions.column_names, model_id=model_id)
        reader = db.execute(sql).to_arrow_reader(20_000)
        for batch in reader:
            columns = [column.to_pylist() for column in batch.columns]
            for key, subject, related, coll, other, score, why, data in zip(*columns, strict=True):
                scope_id = pairs[(min(coll, other), max(coll, other))]
                yield (run_id, LINK, key, subject, related, coll, score, None, why, data, now,
                       scope_id, who.agency, who.country)  # fmt: skip
    finally:
        db.close()


def _collection_pairs(predictions: pa.Table) -> set[tuple[int, int]]:
    """The pairs of collections the predicted links join (smaller id first)."""
    left = predictions.column("collection_id_l").to_pylist()
    right = predictions.column("collection_id_r").to_pylist()
    return {(min(int(a), int(b)), max(int(a), int(b))) for a, b in zip(left, right, strict=True)}


def _save_model(
    conn: Connection,
    actor: Actor,
    settings: dict[str, Any],
    count: int,
    trained: str,
    stored: Any,
    full: bool,
) -> int:
    if not full and stored is not None:
        return int(stored.id)
    result = conn.execute(
        insert(t_model).values(
            settings=link_model.parameters_of(settings).to_dict(),
            records=count,
            trained=trained,
            created_by=actor.user,
            created_at=datetime.now(UTC),
            **producer(actor),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


@contextmanager
def _temporary_ids(conn: Connection, name: str, ids: Sequence[str]) -> Iterator[Table]:
    """A temporary table of entity ids (bulk-loaded), dropped afterwards."""
    table = Table(
        name, MetaData(), Column("entity_id", String(255), primary_key=True), prefixes=["TEMPORARY"]
    )
    table.drop(conn, checkfirst=True)
    table.create(conn)
    try:
        insert_many(conn, table, ("entity_id",), ((i,) for i in ids))
        yield table
    finally:
        table.drop(conn)


def _forget_links(
    conn: Connection, scope: Sequence[int] | None, fresh: Table, who: Producer
) -> None:
    """Delete this agency's stored links a run is about to score again."""
    own = producer_clause(who.agency, who.country)
    if scope is not None:
        in_scope = select(t_record.c.entity_id).where(
            t_record.c.collection_id.in_(scope), t_record.c.producer == who.key
        )
        conn.execute(
            delete(t_finding).where(
                t_finding.c.kind == LINK,
                own,
                t_finding.c.subject_id.in_(in_scope),
                t_finding.c.related_id.in_(in_scope),
            )
        )
    ids = select(fresh.c.entity_id)
    conn.execute(
        delete(t_finding).where(
            t_finding.c.kind == LINK,
            own,
            or_(t_finding.c.subject_id.in_(ids), t_finding.c.related_id.in_(ids)),
        )
    )


_RECORD_COLUMNS = (
    "producer",
    "entity_id",
    "collection_id",
    "source_id",
    "fingerprint",
    "model_id",
    "scored_at",
)


def _remember(conn: Connection, fresh: pa.Table, ids: Table, model_id: int, who: Producer) -> None:
    """Record which records this agency scored, with their fingerprints (bulk)."""
    conn.execute(
        delete(t_record).where(
            t_record.c.producer == who.key, t_record.c.entity_id.in_(select(ids.c.entity_id))
        )
    )
    now = datetime.now(UTC)
    columns = [
        fresh.column(c).to_pylist()
        for c in ("unique_id", "collection_id", "source_id", "fingerprint")
    ]
    rows = (
        (who.key, entity, collection, source or "", fingerprint, model_id, now)
        for entity, collection, source, fingerprint in zip(*columns, strict=True)
    )
    insert_many(conn, t_record, _RECORD_COLUMNS, rows)


def recluster(
    conn: Connection,
    run_id: int,
    threshold: float,
    api: Any | None = None,
    who: Producer | None = None,
) -> int:
    """Rebuild the agency's clusters from its stored links and its judgements in force.

    The new clusters take their ids from the agency's previous ones (read before those
    are deleted; never another agency's): a cluster that only grew keeps its id, a merge
    keeps the largest one's, a split's largest part keeps it.
    """
    who = who or Producer(None, None)
    own = producer_clause(who.agency, who.country)
    with _no_cycle_collection():
        links = conn.execute(
            select(
                t_finding.c.key,
                t_finding.c.subject_id,
                t_finding.c.related_id,
                t_finding.c.score,
                t_finding.c.data,
            ).where(t_finding.c.kind == LINK, t_finding.c.score >= threshold, own)
        ).all()
        # a link stored before links carried the flag: its waterfall says it
        unflagged = [key for key, *_, data in links if "corroborated" not in (data or {})]
        waterfalls = _waterfalls(conn, unflagged, own)
        edges, different = effective_edges(
            (
                (left, right, float(score), corroborated(data, waterfalls.get(key, ())))
                for key, left, right, score, data in links
            ),
            active_judgements(conn, agency=who.agency, country=who.country),
            threshold,
        )
        clusters = build_clusters(
            api or database_api("duckdb"), edges, different, lambda ids: _facts(conn, ids, who)
        )
        previous = previous_clusters(conn, who)
        identities = assign_ids([c.members for c in clusters], previous, run_id)
        for cluster, identity in zip(clusters, identities, strict=True):
            cluster.cluster_id = identity.cluster_id
            cluster.identity = identity
        members = sorted({m for c in clusters for m in c.members})
        records = _member_records(conn, members, who)
        conn.execute(delete(t_finding).where(t_finding.c.kind == CLUSTER, own))
        now = datetime.now(UTC)
        scope_ids = ScopeIds(conn)
        # Every row is made (and its scope stored) before the bulk insert holds the connection.
        rows = [_row(run_id, c.finding(records), now, scope_ids, who, records) for c in clusters]
        return insert_finding_rows(conn, rows)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold off Python's cycle collector while reclustering builds millions of small
    objects that hold no cycles (refcounting still frees them). Its full collections
    otherwise walk every live object again and again: at 1,000,000 records they took
    about 4 s of CPU out of 15 (``benchmarks/bench_recluster.py``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def previous_clusters(conn: Connection, who: Producer) -> Iterator[Previous]:
    """The agency's stored clusters (its own only): id, members and lineage. The database
    picks those fields out of the finding data (as JSON text, which orjson reads far
    faster than the driver's JSON type would), not the member records."""
    data = t_finding.c.data
    query = select(
        t_finding.c.key,
        data["members"].as_string(),
        data["since_run"].as_integer(),
        data["merged_from"].as_string(),
        data["split_from"].as_string(),
        data["split_into"].as_string(),
    ).where(t_finding.c.kind == CLUSTER, producer_clause(who.agency, who.country))
    loads = orjson.loads
    for key, members, since, merged, split_from, split_into in conn.execute(query):
        yield Previous(
            key,
            loads(members) if members else (),
            since,
            loads(merged) if merged else (),
            loads(split_from) if split_from else (),
            loads(split_into) if split_into else (),
        )


def _row(
    run_id: int,
    item: Finding,
    now: datetime,
    scope_ids: ScopeIds,
    who: Producer,
    records: dict[str, dict[str, Any]],
) -> tuple[Any, ...]:
    """A cluster finding as a bulk-insert row (``FINDING_COLUMNS``); its scope is every
    member's collection."""
    members = item.data.get("members") or []
    collections = (records.get(m, {}).get("collection_id") for m in members)
    return (
        run_id,
        item.kind,
        item.key,
        item.subject_id,
        item.related_id,
        item.collection_id,
        item.score,
        item.decision,
        orjson.dumps(item.explanation).decode(),
        orjson.dumps(item.data).decode(),
        now,
        scope_ids(scope_of(collections)),
        who.agency,
        who.country,
    )


def _waterfalls(conn: Connection, keys: Sequence[str], own: Any) -> dict[str, Any]:
    """The explanations of the agency's links with these keys, read in chunks."""
    found: dict[str, Any] = {}
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        rows = conn.execute(
            select(t_finding.c.key, t_finding.c.explanation).where(
                t_finding.c.kind == LINK,
                t_finding.c.key.in_(keys[start : start + _KEYS_PER_QUERY]),
                own,
            )
        )
        found.update((key, explanation) for key, explanation in rows)
    return found


_KEYS_PER_QUERY = 500

# Properties whose value, shared by two records, says one person whatever their birth dates.
IDENTITY_NUMBERS = ("passportNumber", "idNumber", "socialSecurityNumber", "taxNumber")


def _facts(conn: Connection, members: Sequence[str], who: Producer) -> dict[str, Facts]:
    """Birth dates and identity numbers of each member in the record this agency scored."""
    dates: dict[str, set[PartialDate]] = {}
    numbers: dict[str, set[str]] = {}
    if not members:
        return {}
    with _temporary_ids(conn, "linkage_facts", members) as ids:
        query = (
            select(t_statement.c.entity_id, t_statement.c.prop, t_statement.c.value)
            .join(ids, ids.c.entity_id == t_statement.c.entity_id)
            .join(
                t_record,
                (t_record.c.entity_id == t_statement.c.entity_id)
                & (t_record.c.collection_id == t_statement.c.collection_id),
            )
            .where(
                t_statement.c.prop.in_(("birthDate", *IDENTITY_NUMBERS)),
                t_record.c.producer == who.key,
            )
        )
        for entity_id, prop, value in conn.execute(query):
            if prop == "birthDate":
                parsed = parse_partial_date(str(value))
                if parsed is not None:
                    dates.setdefault(entity_id, set()).add(parsed)
            elif number := "".join(ch for ch in str(value).upper() if ch.isalnum()):
                numbers.setdefault(entity_id, set()).add(number)
    return {
        m: Facts(tuple(sorted(dates.get(m, ()))), frozenset(numbers.get(m, ())))
        for m in set(dates) | set(numbers)
    }


def _member_records(
    conn: Connection, members: Sequence[str], who: Producer
) -> dict[str, dict[str, Any]]:
    """Collection and source record of each cluster member (as this agency scored it)."""
    out: dict[str, dict[str, Any]] = {}
    if not members:
        return out
    with _temporary_ids(conn, "linkage_members", members) as ids:
        query = (
            select(
                t_record.c.entity_id,
                t_record.c.source_id,
                t_collection.c.name,
                t_record.c.collection_id,
            )
            .join(ids, ids.c.entity_id == t_record.c.entity_id)
            .join(t_collection, t_collection.c.id == t_record.c.collection_id)
            .where(t_record.c.producer == who.key)
        )
        for entity_id, source_id, name, collection_id in conn.execute(query):
            out[entity_id] = {
                "collection": name,
                "source_id": source_id,
                "collection_id": collection_id,
            }
    return out

"""Linkage runs: prepare, train or reuse the model, predict, store links, cluster.

The first run (or ``retrain=True``) trains a model on every record in scope and
scores all of them. Later runs reuse the stored model and score only records
that are new or changed since they were last scored, against each other and
against everything already scored (Splink's ``predict_between`` and
``predict_within``). Clusters are then rebuilt from every stored link and every
judgement in force, which is cheap.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Connection, delete, insert, or_, select

from threadline.exc import InputError
from threadline.governance import Actor, visible_collection_ids
from threadline.linkage import model as link_model
from threadline.linkage.backends import database_api
from threadline.linkage.clusters import build_clusters, effective_edges
from threadline.linkage.judgements import active_judgements
from threadline.linkage.predict import CLUSTER, LINK, link_findings
from threadline.linkage.records import prepare_records
from threadline.linkage.tables import link_model as t_model
from threadline.linkage.tables import link_record as t_record
from threadline.store import Store
from threadline.store.collections import list_collections
from threadline.store.findings import add_findings, finish_run, replace_findings, start_run
from threadline.store.tables import collection as t_collection
from threadline.store.tables import finding as t_finding

RUN_KIND = "linkage"


@dataclass(frozen=True)
class LinkOptions:
    """How a run links: threshold for clusters, floor for stored links, training."""

    threshold: float = 0.9
    review_floor: float = 0.05  # links below this probability are not stored
    retrain: bool = False
    backend: str = "duckdb"
    min_training_records: int = 1000  # below this EM is unreliable: keep starting values
    max_pairs: float = 2e6  # random pairs sampled to estimate u
    link_only: bool = False  # only pairs across collections (each collection has no duplicates)

    def validate(self) -> None:
        if not 0 < self.threshold <= 1:
            raise InputError(f"threshold must be a probability in (0, 1], got {self.threshold}")
        if not 0 <= self.review_floor <= self.threshold:
            raise InputError("the review floor must be between 0 and the threshold")


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

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def scope_collection_ids(conn: Connection, actor: Actor, names: Sequence[str] | None) -> list[int]:
    """Ids of the named collections (all the actor may see when none are named)."""
    visible = set(visible_collection_ids(conn, actor))
    if not names:
        return sorted(visible)
    known = {c.name: c.id for c in list_collections(conn)}
    ids: list[int] = []
    for name in names:
        ident = known.get(name)
        if ident is None or ident not in visible:
            raise InputError(f"no collection named {name!r} that you may see")
        ids.append(ident)
    return ids


def _latest_model(conn: Connection) -> Any:
    return conn.execute(select(t_model).order_by(t_model.c.id.desc()).limit(1)).first()


def run_linkage(
    store: Store,
    actor: Actor,
    *,
    collections: Sequence[str] | None = None,
    options: LinkOptions | None = None,
) -> LinkRunResult:
    """Link and deduplicate the Person and Organization entities of the collections."""
    from splink import Linker

    opts = options or LinkOptions()
    opts.validate()
    with store.connect() as conn:
        scope = scope_collection_ids(conn, actor, collections)
        records = prepare_records(conn, scope)
        stored_model = _latest_model(conn)
        scored = {
            row.entity_id: row.fingerprint
            for row in conn.execute(
                select(t_record.c.entity_id, t_record.c.fingerprint).where(
                    t_record.c.collection_id.in_(scope)
                )
            )
        }
    api = database_api(opts.backend)
    dialect = api.sql_dialect.sql_dialect_str
    full = opts.retrain or stored_model is None
    params = None if full else link_model.ModelParameters.from_dict(stored_model.settings)
    quiet = logging.ERROR
    all_sdf = api.register(records)
    settings_in = link_model.settings_for(dialect, params, link_only=opts.link_only)
    linker = Linker(all_sdf, settings_in, log_level=quiet)
    trained = "reused"
    if full:
        trained = "priors"
        if records.num_rows >= opts.min_training_records:
            trained = link_model.train(linker, max_pairs=opts.max_pairs, link_only=opts.link_only)
    settings = linker.misc.save_model_to_json()
    if full:
        fresh = records
        rows = _predict_all(linker, records, opts)
    else:
        fresh, rows = _predict_new(api, linker, records, scored, opts)
    names = {
        r["collection"]: r["collection_id"]
        for r in records.select(["collection", "collection_id"]).to_pylist()
    }
    with store.begin() as conn:
        model_id = _save_model(conn, actor, settings, records.num_rows, trained, stored_model, full)
        run_id = start_run(
            conn,
            RUN_KIND,
            user=actor.user,
            scope={
                "collections": collections or "all visible",
                "threshold": opts.threshold,
                "backend": opts.backend,
                "mode": "full" if full else "incremental",
                "link_only": opts.link_only,
            },
        )
        _forget_links(conn, scope if full else None, fresh)
        links = add_findings(
            conn, run_id, link_findings(rows, settings, collection_ids=names, model_id=model_id)
        )
        _remember(conn, fresh, model_id)
        clusters = recluster(conn, run_id, opts.threshold, api)
        counts = {
            "records": records.num_rows,
            "scored": fresh.num_rows,
            "links": links,
            "clusters": clusters,
        }
        finish_run(conn, run_id, counts=counts)
    return LinkRunResult(
        run_id,
        model_id,
        "full" if full else "incremental",
        trained,
        records.num_rows,
        fresh.num_rows,
        links,
        clusters,
    )


def _predict_all(linker: Any, records: pa.Table, opts: LinkOptions) -> list[dict[str, Any]]:
    if records.num_rows < 2:
        return []
    result = linker.inference.predict(
        threshold_match_probability=opts.review_floor, warning_mode="never"
    )
    return list(result.as_record_list())


def _predict_new(
    api: Any, linker: Any, records: pa.Table, scored: dict[str, str], opts: LinkOptions
) -> tuple[pa.Table, list[dict[str, Any]]]:
    """Score records that are new or changed against the rest, with the stored model."""
    ids = records.column("unique_id").to_pylist()
    prints = records.column("fingerprint").to_pylist()
    is_new = [scored.get(i) != f for i, f in zip(ids, prints, strict=True)]
    fresh = records.filter(pa.array(is_new))
    if fresh.num_rows == 0:
        return fresh, []
    old = records.filter(pa.array([not n for n in is_new]))
    for column in link_model.TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    new_sdf = api.register(fresh)
    rows: list[dict[str, Any]] = []
    if old.num_rows:
        between = linker.inference.predict_between(
            new_sdf,
            api.register(old),
            threshold_match_probability=opts.review_floor,
            warning_mode="never",
        )
        rows.extend(between.as_record_list())
    if fresh.num_rows > 1:
        within = linker.inference.predict_within(
            new_sdf, threshold_match_probability=opts.review_floor, warning_mode="never"
        )
        rows.extend(within.as_record_list())
    return fresh, rows


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
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _forget_links(conn: Connection, scope: Sequence[int] | None, fresh: pa.Table) -> None:
    """Delete the stored links a run is about to score again."""
    if scope is not None:
        in_scope = select(t_record.c.entity_id).where(t_record.c.collection_id.in_(scope))
        conn.execute(
            delete(t_finding).where(
                t_finding.c.kind == LINK,
                t_finding.c.subject_id.in_(in_scope),
                t_finding.c.related_id.in_(in_scope),
            )
        )
    ids = fresh.column("unique_id").to_pylist()
    for start in range(0, len(ids), 2000):
        batch = ids[start : start + 2000]
        conn.execute(
            delete(t_finding).where(
                t_finding.c.kind == LINK,
                or_(t_finding.c.subject_id.in_(batch), t_finding.c.related_id.in_(batch)),
            )
        )


def _remember(conn: Connection, fresh: pa.Table, model_id: int) -> None:
    now = datetime.now(UTC)
    rows = fresh.select(["unique_id", "collection_id", "source_id", "fingerprint"]).to_pylist()
    ids = [r["unique_id"] for r in rows]
    for start in range(0, len(ids), 2000):
        conn.execute(delete(t_record).where(t_record.c.entity_id.in_(ids[start : start + 2000])))
    values = [
        {
            "entity_id": r["unique_id"],
            "collection_id": r["collection_id"],
            "source_id": r["source_id"] or "",
            "fingerprint": r["fingerprint"],
            "model_id": model_id,
            "scored_at": now,
        }
        for r in rows
    ]
    for start in range(0, len(values), 5000):
        conn.execute(insert(t_record), values[start : start + 5000])


def recluster(conn: Connection, run_id: int, threshold: float, api: Any | None = None) -> int:
    """Rebuild every cluster from the stored links and the judgements in force."""
    links = [
        (row.subject_id, row.related_id, float(row.score))
        for row in conn.execute(
            select(t_finding.c.subject_id, t_finding.c.related_id, t_finding.c.score).where(
                t_finding.c.kind == LINK, t_finding.c.score >= threshold
            )
        )
    ]
    edges, different = effective_edges(links, active_judgements(conn), threshold)
    clusters = build_clusters(api or database_api("duckdb"), edges, different)
    members = sorted({m for c in clusters for m in c.members})
    records = _member_records(conn, members)
    return replace_findings(conn, run_id, [CLUSTER], (c.finding(records) for c in clusters))


def _member_records(conn: Connection, members: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(members), 2000):
        query = (
            select(t_record.c.entity_id, t_record.c.source_id, t_collection.c.name)
            .join(t_collection, t_collection.c.id == t_record.c.collection_id)
            .where(t_record.c.entity_id.in_(members[start : start + 2000]))
        )
        for row in conn.execute(query):
            out[row.entity_id] = {"collection": row.name, "source_id": row.source_id}
    return out

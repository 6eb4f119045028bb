"""Scoring one set of records against another with the stored model (used by tracing)."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Connection, select

from threadline.linkage import model as link_model
from threadline.linkage.backends import database_api
from threadline.linkage.predict import contributions, level_labels
from threadline.linkage.records import prepare_records
from threadline.linkage.tables import link_model as t_model


def stored_parameters(conn: Connection) -> link_model.ModelParameters | None:
    """The latest trained model's parameters (None before the first linkage run)."""
    row = conn.execute(select(t_model).order_by(t_model.c.id.desc()).limit(1)).first()
    return link_model.ModelParameters.from_dict(row.settings) if row else None


def score_between(
    conn: Connection,
    collection_ids: Sequence[int],
    left_ids: Collection[str],
    right_ids: Collection[str],
    *,
    floor: float = 0.05,
    backend: str = "duckdb",
) -> list[dict[str, Any]]:
    """Pairs (left, right, probability, waterfall) between two sets of entities."""
    from splink import Linker

    records = prepare_records(conn, collection_ids)
    ids = records.column("unique_id").to_pylist()
    # typed masks: an empty list would otherwise be a null-typed array, which filter refuses
    left = records.filter(pa.array([i in left_ids for i in ids], type=pa.bool_()))
    right = records.filter(
        pa.array([i in right_ids and i not in left_ids for i in ids], type=pa.bool_())
    )
    if not left.num_rows or not right.num_rows:
        return []
    api = database_api(backend)
    settings = link_model.settings_for(api.sql_dialect.sql_dialect_str, stored_parameters(conn))
    linker = Linker(api.register(records), settings, log_level=logging.ERROR)
    for column in link_model.TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    result = linker.inference.predict_between(
        api.register(left),
        api.register(right),
        threshold_match_probability=floor,
        warning_mode="never",
    )
    labels = level_labels(settings)
    prior = float(settings["probability_two_random_records_match"])
    return [
        {
            "left": row["unique_id_l"],
            "right": row["unique_id_r"],
            "probability": float(row["match_probability"]),
            "contributions": contributions(row, labels, prior),
        }
        for row in result.as_record_list()
    ]

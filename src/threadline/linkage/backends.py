"""Where Splink runs: DuckDB in-process (default) or Spark for data beyond one machine."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from threadline.exc import InputError

BACKENDS = ("duckdb", "spark")


def duckdb_connection() -> Any:
    """An in-memory DuckDB connection that spills to the system's temporary folder.

    DuckDB otherwise writes what does not fit in memory to ``.tmp`` in the current
    folder, wherever the analyst ran the command.
    """
    import duckdb

    spill = os.path.join(tempfile.gettempdir(), "threadline-duckdb")
    os.makedirs(spill, exist_ok=True)
    db = duckdb.connect()
    db.execute("SET temp_directory = ?", [spill])
    return db


def database_api(backend: str, *, spark_master: str | None = None) -> Any:
    """A Splink database API for the backend (``duckdb`` or ``spark``)."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI(connection=duckdb_connection())
    if backend == "spark":
        from splink import SparkAPI

        api: Any = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=spark_session(spark_master), num_partitions_on_repartition=2
        )
        return api
    raise InputError(f"unknown linkage backend {backend!r}; use one of: {', '.join(BACKENDS)}")


def spark_session(master: str | None = None) -> Any:
    """A Spark session: the configured cluster, else local mode with one core and quiet logs.

    ``THREADLINE_SPARK_MASTER`` names a cluster (``spark://host:7077``); without it
    the session runs in this process's JVM (``local[1]``, 1 GB), which is what the
    tests use.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            "the spark backend needs pyspark (and Java 17); install pyspark or use --backend duckdb"
        ) from None
    from splink.backends.spark import similarity_jar_location

    url = master or os.environ.get("THREADLINE_SPARK_MASTER") or "local[1]"
    checkpoints = os.path.join(tempfile.gettempdir(), "threadline-spark-checkpoints")
    builder = (
        SparkSession.builder.master(url)
        .appName("threadline-linkage")
        .config("spark.driver.memory", os.environ.get("THREADLINE_SPARK_MEMORY", "1g"))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.jars", similarity_jar_location())  # Jaro-Winkler and friends
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(checkpoints)
    return session

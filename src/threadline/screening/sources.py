"""What a screening checks against: watchlists and stolen/lost documents an actor may see.

Both are in-memory indexes built from the store once and cached per set of
visible collections. A cache entry carries the newest completed ingestion job
on those collections; a new job on any of them makes the next check rebuild.

- Watchlists: collections marked ``watchlist`` and notice collections; every
  ``Person`` in them, with the notice colour (:func:`notice_colour_of`).
- Stolen and lost documents: collections with a completed ``travel-documents``
  job; their ``travel_document`` rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from threadline.ingest.readers.notices import notice_colour_of
from threadline.model.collections import Collection, CollectionKind
from threadline.screening.documents import DocumentIndex, ListedDocument
from threadline.screening.watchlist import WatchlistIndex
from threadline.store import Store
from threadline.store.collections import list_collections
from threadline.store.statements import iter_collection_entities
from threadline.store.tables import job as t_job
from threadline.store.tables import travel_document as t_document

DOCUMENT_FORMAT = "travel-documents"
_CACHE_SIZE = 4
_LOCK = threading.Lock()
_WATCHLISTS: OrderedDict[tuple[Any, ...], WatchlistIndex] = OrderedDict()
_DOCUMENTS: OrderedDict[tuple[Any, ...], DocumentIndex] = OrderedDict()


@dataclass(frozen=True)
class Sources:
    """The indexes one actor's screening uses, and the collections behind them."""

    watchlist: WatchlistIndex
    documents: DocumentIndex
    watchlist_collections: tuple[str, ...]
    document_collections: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "watchlists": list(self.watchlist_collections),
            "watchlist_persons": len(self.watchlist),
            "document_lists": list(self.document_collections),
            "listed_documents": len(self.documents),
        }


def is_watchlist(item: Collection) -> bool:
    return item.watchlist or item.kind is CollectionKind.NOTICES


def _completed_jobs(conn: Connection, ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """The newest completed job per (collection, format) of these collections (one query)."""
    if not ids:
        return {}
    query = (
        select(t_job.c.collection_id, t_job.c.format, func.max(t_job.c.id))
        .where(t_job.c.collection_id.in_(list(ids)))
        .where(t_job.c.status == "completed")
        .group_by(t_job.c.collection_id, t_job.c.format)
    )
    return {(int(c), str(f)): int(newest) for c, f, newest in conn.execute(query)}


def _version(jobs: dict[tuple[int, str], int], ids: Sequence[int], fmt: str | None = None) -> int:
    """The newest completed job on these collections (0 when none)."""
    wanted = set(ids)
    return max(
        (
            newest
            for (collection, job_format), newest in jobs.items()
            if collection in wanted and (fmt is None or job_format == fmt)
        ),
        default=0,
    )


def load_sources(store: Store, conn: Connection, visible: Sequence[int]) -> Sources:
    """The cached indexes for the visible collections (rebuilt after new jobs on them)."""
    by_id = {c.id: c for c in list_collections(conn) if c.id in set(visible)}
    watch = sorted(i for i, c in by_id.items() if i is not None and is_watchlist(c))
    jobs = _completed_jobs(conn, [i for i in by_id if i is not None])
    docs = sorted({c for c, job_format in jobs if job_format == DOCUMENT_FORMAT})
    url = str(store.engine.url)
    watch_key = (url, tuple(watch), _version(jobs, watch))
    doc_key = (url, tuple(docs), _version(jobs, docs, DOCUMENT_FORMAT))
    with _LOCK:
        watchlist = _cached(_WATCHLISTS, watch_key)
        documents = _cached(_DOCUMENTS, doc_key)
    if watchlist is None:
        watchlist = build_watchlist(conn, [by_id[i] for i in watch])
        with _LOCK:
            _remember(_WATCHLISTS, watch_key, watchlist)
    if documents is None:
        documents = build_documents(conn, docs)
        with _LOCK:
            _remember(_DOCUMENTS, doc_key, documents)
    return Sources(
        watchlist,
        documents,
        tuple(by_id[i].name for i in watch),
        tuple(by_id[i].name for i in docs),
    )


def _cached(cache: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...]) -> Any:
    found = cache.get(key)
    if found is not None:
        cache.move_to_end(key)
    return found


def _remember(cache: OrderedDict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    # An older version of the same set of collections is useless once a newer one exists.
    for old in [k for k in cache if k[:2] == key[:2]]:
        del cache[old]
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def clear_cache() -> None:
    """Forget every cached index (tests, or after a bulk change outside ingestion)."""
    with _LOCK:
        _WATCHLISTS.clear()
        _DOCUMENTS.clear()


def build_watchlist(conn: Connection, collections: Sequence[Collection]) -> WatchlistIndex:
    """Every Person of the given collections, with its notice colour."""
    index = WatchlistIndex()
    for item in collections:
        assert item.id is not None
        for entity in iter_collection_entities(conn, item.id):
            if entity.schema.is_a("Person"):
                index.add(entity, collection=item.name, notice=notice_colour_of(entity))
    index.freeze()
    return index


def _listed_rows(conn: Connection, ids: Sequence[int]) -> Iterator[ListedDocument]:
    query = (
        select(
            t_document.c.issuing_country,
            t_document.c.document_type,
            t_document.c.document_number,
            t_document.c.status,
            t_document.c.reported_on,
            t_document.c.reporting_agency,
        )
        .where(t_document.c.collection_id.in_(list(ids)))
        .order_by(t_document.c.id)
        .execution_options(stream_results=True, yield_per=50_000)
    )
    for row in conn.execute(query):
        yield ListedDocument(*row)


def build_documents(conn: Connection, ids: Sequence[int]) -> DocumentIndex:
    """The stolen/lost documents of the given collections as an index (row = table order)."""
    if not ids:
        return DocumentIndex.build([])
    return DocumentIndex.build(_listed_rows(conn, ids))

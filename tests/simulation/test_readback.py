"""Every file the simulator writes is read back by the platform's readers without a rejection."""

from __future__ import annotations

from pathlib import Path

from threadline.ingest import list_readers
from threadline.ingest.registry import get_reader
from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store

from .conftest import World

# file pattern -> the reader that must recognise it (checked as soon as the reader exists)
EXPECTED = [
    ("cases/*.ftm.jsonl", "ftm"),
    ("identified_persons.jsonl", "ftm"),
    ("notices/red/*.json", "notices"),
    ("notices/yellow/*.json", "notices"),
    ("travel_documents.csv", "travel-documents"),
    ("manifests/*.edi", "manifest"),
    ("manifests/*.csv", "manifest"),
    ("ads.jsonl", "ads"),
]


def test_every_file_reads_back_without_rejections(world: World, store: Store) -> None:
    known = {cls.name for cls in list_readers()}
    assert {"ftm", "notices", "travel-documents", "manifest"} <= known
    checked: list[str] = []
    for pattern, fmt in EXPECTED:
        if fmt not in known:
            continue
        files = sorted(world.root.glob(pattern))
        assert files, f"the simulator wrote no {pattern}"
        for path in files:
            assert get_reader(None, path).name == fmt, f"{path.name} not recognised as {fmt}"
            job = ingest_file(store, path, f"world-{fmt}").job
            if job.rejected:
                with store.connect() as conn:
                    reasons = [r.reason for r in jobs_store.list_rejections(conn, job.id, limit=3)]
                raise AssertionError(f"{Path(path).name}: {job.rejected} rejected: {reasons}")
            assert job.stored > 0
        checked.append(pattern)
    assert len(checked) >= 7

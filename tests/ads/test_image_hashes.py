"""An image hash that is not 16 hex digits is left out with a reason; the ad is kept."""

from __future__ import annotations

import json
from pathlib import Path

from threadline.ingest.runner import ingest_file
from threadline.store import Store
from threadline.store import jobs as jobs_store
from threadline.store.collections import get_collection
from threadline.store.statements import iter_collection_entities


def _ad(ad_id: str, images: list[dict[str, str]]) -> dict[str, object]:
    return {"id": ad_id, "platform": "jobs.example", "url": f"https://jobs.example/{ad_id}",
            "posted_at": "2025-01-05T10:00:00Z", "country": "GB", "location": "Leeds, GB",
            "title": "Cooks wanted", "text": "Kitchen work, contract before departure.",
            "images": images}  # fmt: skip


def test_a_bad_image_hash_is_never_stored(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl"
    records = [
        _ad("a1", [{"phash": "zzzz"}, {"phash": "D1C4A0F0E0C0B0A0"}]),
        _ad("a2", [{"phash": "d1c4a0f0e0c0b0a01"}]),
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    job = ingest_file(store, path, "ads").job
    assert (job.read, job.stored, job.rejected) == (2, 2, 0)
    with store.connect() as conn:
        reasons = [r.reason for r in jobs_store.list_rejections(conn, job.id)]
        target = get_collection(conn, "ads")
        entities = list(iter_collection_entities(conn, target.id))  # type: ignore[arg-type]
    hashes = sorted(k for e in entities if e.schema.name == "Image" for k in e.get("keywords"))
    assert hashes == ["phash:d1c4a0f0e0c0b0a0"]
    assert reasons == [
        "ad 'a1': images[0].phash: 'zzzz' is not an image hash (16 hex digits); "
        "value left out, entity kept",
        "ad 'a2': images[0].phash: 'd1c4a0f0e0c0b0a01' is not an image hash (16 hex digits); "
        "value left out, entity kept",
    ]
    assert job.values_rejected == 2

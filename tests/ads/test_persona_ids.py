"""Persona ids follow the previous analysis: an operator's persona keeps its id when new
ads arrive, whatever their ids, so an analyst's notes and alerts keep pointing at it."""

from __future__ import annotations

import json
from pathlib import Path

from threadline.ads.service import analyze_collection, list_personas
from threadline.governance import SYSTEM
from threadline.ingest.runner import ingest_file
from threadline.store import Store

from .test_ads_store import RISKY, ad


def _load(store: Store, folder: Path, name: str, records: list[dict]) -> None:
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    ingest_file(store, path, "ads")


def _personas(store: Store) -> dict[tuple[str, ...], dict]:
    found = list_personas(store, SYSTEM, collection="ads", limit=100)
    return {tuple(sorted(p["ad_ids"])): p for p in found}


def test_a_persona_that_gains_an_ad_with_a_smaller_id_keeps_its_id(
    store: Store, tmp_path: Path
) -> None:
    _load(store, tmp_path, "first", [
        ad("m5", RISKY), ad("m7", RISKY.replace("Dubai", "Doha"), location="Manchester, GB"),
    ])  # fmt: skip
    analyze_collection(store, "ads", SYSTEM)
    (before,) = [p for ids, p in _personas(store).items() if len(ids) == 2]
    assert before["id"] == "P-m5" and before["change"] == "new"
    # a new ad of the same operator (same phone and template) whose id sorts first
    _load(store, tmp_path, "second", [ad("a0", RISKY.replace("Dubai", "Riyadh"))])
    analyze_collection(store, "ads", SYSTEM)
    (after,) = [p for ids, p in _personas(store).items() if len(ids) == 3]
    assert after["ad_ids"] and sorted(after["ad_ids"])[0] == "a0"
    assert after["id"] == before["id"] == "P-m5"  # not P-a0
    assert after["change"] == "grew" and after["since_run"] == before["since_run"]
    # unchanged on a third run
    analyze_collection(store, "ads", SYSTEM)
    (again,) = [p for ids, p in _personas(store).items() if len(ids) == 3]
    assert (again["id"], again["change"]) == ("P-m5", "unchanged")

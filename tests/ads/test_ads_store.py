"""Ads through the store: the ``ads`` reader, the analysis run, the CLI and the evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from threadline.ads.evaluation import evaluate_ads
from threadline.ads.service import analyze_collection, get_ad_result, list_personas
from threadline.cli.main import main
from threadline.governance import SYSTEM
from threadline.ingest.readers.ads import ad_entity_id
from threadline.ingest.runner import ingest_file
from threadline.settings import configure
from threadline.store import Store
from threadline.store import jobs as jobs_store
from threadline.store.collections import get_collection
from threadline.store.statements import iter_collection_entities, sourced_values

RISKY = ("URGENT! Hotel workers needed in Dubai. No experience needed, earn £4,000 monthly. "
         "Flights and visa paid. Registration fee £300, we keep your passport. Contract on "
         "arrival. WhatsApp 07700 900123")  # fmt: skip


def ad(ad_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": ad_id, "platform": "jobs.example", "url": f"https://jobs.example/{ad_id}",
            "posted_at": extra.pop("posted_at", "2025-01-05T10:00:00Z"),
            "country": extra.pop("country", "GB"), "location": extra.pop("location", "Leeds, GB"),
            "title": extra.pop("title", "Jobs"), "text": text, "language": "en",
            **extra}  # fmt: skip


def write_ads(folder: Path) -> Path:
    img = Image.new("RGB", (64, 64), (200, 30, 30))
    ImageDraw.Draw(img).ellipse((10, 10, 50, 40), fill=(20, 200, 40))
    (folder / "images").mkdir()
    img.save(folder / "images" / "p1.png")
    (folder / "images" / "broken.jpg").write_bytes(b"not an image")
    records = [
        ad("a1", RISKY, poster={"handle": "@abroad.jobs", "display_name": "Jobs Abroad"},
           images=[{"file": "images/p1.png"}, {"file": "images/gone.png"}]),
        ad("a2", RISKY.replace("Dubai", "Doha"), location="Manchester, GB",
           posted_at="2025-01-09T10:00:00Z", images=[{"phash": "D1C4A0F0E0C0B0A0"}]),
        ad("a3", "Room to rent near the station, quiet street. Call 07700 900123",
           poster={"handle": "@abroad.jobs"}, images=[{"file": "images/broken.jpg"}]),
        ad("z9", "Brightwater Hospitality Ltd, 14 Harbour Street, Leeds recruits cooks. "
           "Written contract before departure. Apply jobs@brightwater.example.com"),
        {"id": "bad1", "platform": "jobs.example", "text": "no date", "country": "GB"},
        ad("bad2", "text", country="Atlantis"),
    ]  # fmt: skip
    path = folder / "ads.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n{oops\n", encoding="utf-8")
    return path


def test_reader_stores_ads_posters_and_images(store: Store, tmp_path: Path) -> None:
    result = ingest_file(store, write_ads(tmp_path), "ads")
    job = result.job
    assert job.format == "ads"  # sniffed from the JSON keys
    assert (job.read, job.stored, job.rejected) == (7, 4, 3)
    with store.connect() as conn:
        reasons = {r.position: r.reason for r in jobs_store.list_rejections(conn, job.id)}
        target = get_collection(conn, "ads")
        entities = {e.id: e for e in iter_collection_entities(conn, target.id)}  # type: ignore[arg-type]
        sourced = sourced_values(conn, [ad_entity_id("ads", "a1")])
    assert reasons[5] == "ad 'bad1': missing field 'url'"
    assert reasons[6] == "ad 'bad2': field 'country' is not an ISO 3166 country: 'Atlantis'"
    assert reasons[7].startswith("not valid JSON")
    first = entities[ad_entity_id("ads", "a1")]
    assert first.schema.name == "HyperText"
    assert first.get("publisher") == ["jobs.example"] and first.get("address") == ["Leeds, GB"]
    assert first.get("publishedAt") == ["2025-01-05T10:00:00"]
    assert {s.provenance.source_id for s in sourced} == {"a1"}
    images = [e for e in entities.values() if e.schema.name == "Image"]
    by_file = {tuple(e.get("fileName")): e for e in images}
    assert by_file[("images/p1.png",)].get("keywords")[0].startswith("phash:")
    assert by_file[("images/gone.png",)].get("processingStatus") == ["missing"]
    assert by_file[("images/broken.jpg",)].get("processingStatus") == ["unreadable"]
    assert by_file[()].get("keywords") == ["phash:d1c4a0f0e0c0b0a0"]
    (account,) = [e for e in entities.values() if e.schema.name == "UserAccount"]
    assert sorted(account.get("proof")) == sorted([ad_entity_id("ads", "a1"),
                                                   ad_entity_id("ads", "a3")])  # fmt: skip


def test_csv_needs_the_format_named(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text("id,platform,url,posted_at,country,location,title,text,poster_handle\n"
                    f'c1,x,https://x.example/c1,2025-01-01,GB,Leeds,Jobs,"{RISKY}",@c\n',
                    encoding="utf-8")  # fmt: skip
    job = ingest_file(store, path, "csvads", format="ads").job
    assert (job.stored, job.rejected, job.format) == (1, 0, "ads")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_analyze_personas_show_and_results_through_the_cli(
    store: Store, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest_file(store, write_ads(tmp_path), "ads")
    configure(db=store_url)
    code, out, _ = run(capsys, "ads", "analyze", "--collection", "ads", "--json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["ads"], summary["personas"]) == (4, 2)
    code, out, _ = run(capsys, "ads", "personas", "--json")
    personas = json.loads(out)
    assert [p["id"] for p in personas] == ["P-a1", "P-z9"]
    top = personas[0]
    assert set(top) == {"id", "ad_ids", "selectors", "risk", "explanation", "countries",
                        "first_seen", "last_seen", "change", "since_run"}  # fmt: skip
    assert top["change"] == "new"  # first analysis: every persona is new
    assert top["ad_ids"] == ["a1", "a2", "a3"] and top["risk"] > 0.6
    assert sum(c["contribution"] for c in top["explanation"]) == pytest.approx(top["risk"])
    assert {"kind": "phone", "value": "+447700900123"}.items() <= top["selectors"][1].items()
    code, out, _ = run(capsys, "ads", "show", "P-a1", "--json")
    shown = json.loads(out)
    assert [s["ad_id"] for s in shown["timeline"]] == ["a1", "a3", "a2"]
    assert shown["movement"]["multi_city"] is True
    assert {r["kind"] for r in shown["reasons"]["a3"]} == {"phone", "account"}
    by_id = {a["id"]: a for a in shown["ads"]}
    assert set(by_id["a1"]) == {"id", "risk", "indicators", "persona_id"}
    passport = next(i for i in by_id["a1"]["indicators"]
                    if i["id"] == "recruitment.passport_retention")  # fmt: skip
    assert passport["spans"] and passport["weight"] == 1.8
    # The room ad looks benign on its own; its phone is the recruiter's, so it rises.
    assert "persona.linked_to_high_risk_ads" in {i["id"] for i in by_id["a3"]["indicators"]}
    assert by_id["a3"]["risk"] > 0.1
    code, out, _ = run(capsys, "ads", "results", "--min-risk", "0.5", "--json")
    assert {r["id"] for r in json.loads(out)} >= {"a1", "a2"}
    assert "z9" not in {r["id"] for r in json.loads(out)}
    code, _, err = run(capsys, "ads", "show", "P-nope")
    assert code == 2 and "no persona 'P-nope'" in err
    code, _, err = run(capsys, "ads", "analyze", "--collection", "missing")
    assert code == 2 and "no collection named 'missing'" in err


def test_rerun_replaces_findings_and_evaluation_reads_them(store: Store, tmp_path: Path) -> None:
    ingest_file(store, write_ads(tmp_path), "ads")
    first = analyze_collection(store, "ads", SYSTEM)
    second = analyze_collection(store, "ads", SYSTEM)
    assert second["run_id"] > first["run_id"]
    assert second["findings"] == first["findings"] == 6
    assert len(list_personas(store, SYSTEM)) == 2
    assert get_ad_result(store, SYSTEM, "a2")["persona_id"] == "P-a1"
    truth = {
        "personas": [{"persona_id": "S1", "network_id": "N1", "ad_ids": ["a1", "a2"]}],
        "legitimate": {"recruitment_agencies": [{"poster_id": "AGE1", "sample_ad_ids": ["z9"]}],
                       "independent_advertisers": [{"poster_id": "ESC1",
                                                    "sample_ad_ids": ["a3"]}]},
    }  # fmt: skip
    scores = evaluate_ads(store, truth)
    # Predicted pairs a1-a2, a1-a3, a2-a3; only a1-a2 is true.
    assert scores["personas"]["precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert scores["personas"]["recall"] == 1.0
    assert scores["ranking"]["average_precision"] == 1.0

"""Features of a whole ads file in worker processes: same result as one process, in order."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import imagehash
import orjson
import pytest
from PIL import Image, ImageDraw

from threadline.ads.bulk import read_features
from threadline.ads.extract import extract
from threadline.ads.features import ad_features
from threadline.exc import InputError
from threadline.ingest.ads_files import iter_ads


def _photo(path: Path, seed: int) -> int:
    rng = random.Random(seed)
    img = Image.new("RGB", (96, 96), (rng.randrange(256), 120, 60))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randrange(80), rng.randrange(80)
        draw.rectangle((x, y, x + 20, y + 30), fill=(rng.randrange(256), 0, rng.randrange(256)))
    img.save(path)
    return int(str(imagehash.phash(img)), 16)


def _record(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"ad{i:04d}", "platform": "classifieds.example", "url": f"https://x.example/{i}",
        "posted_at": "2025-02-01T10:00:00Z", "country": "GB", "location": "Leeds, GB",
        "title": f"Hotel staff wanted {i}",
        "text": f"Flights paid, call 07700 900{i % 1000:03d} or mail ana{i % 7}@example.com",
        **extra,
    }  # fmt: skip


@pytest.fixture
def ads_file(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    _photo(tmp_path / "images" / "a.png", 1)
    _photo(tmp_path / "images" / "b.png", 2)
    (tmp_path / "images" / "broken.png").write_bytes(b"not an image")
    lines = []
    for i in range(57):
        extra: dict[str, object] = {}
        if i % 5 == 0:
            extra["images"] = [{"file": "images/a.png"}, {"file": "images/missing.png"}]
        elif i % 5 == 1:
            extra["images"] = [{"file": "images/b.png"}, {"phash": "8f373714acfcf4d0"}]
        elif i == 7:
            extra["images"] = [{"file": "images/broken.png"}]
        lines.append(orjson.dumps(_record(i, **extra)))
    lines.insert(10, b"{not json")
    lines.insert(20, orjson.dumps(_record(999, country="Atlantis")))
    lines.insert(30, b"")
    path = tmp_path / "ads.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_workers_give_the_one_process_result_in_file_order(ads_file: Path) -> None:
    one = read_features(ads_file, workers=1, chunk=7)
    two = read_features(ads_file, workers=2, chunk=7)
    assert one == two  # (signatures compare apart: arrays)
    assert (one.signatures == two.signatures).all()
    assert [a.ad_id for a in two.ads] == [f"ad{i:04d}" for i in range(57)]
    assert [position for position, _ in two.rejected] == [11, 21]
    assert "not valid JSON" in two.rejected[0][1]
    assert "country" in two.rejected[1][1]
    assert two.images == 4
    assert sorted(two.unreadable) == ["images/broken.png", "images/missing.png"]


def test_features_match_extracting_each_ad_with_its_image_hashes(ads_file: Path) -> None:
    hashes = {
        "images/a.png": int(str(imagehash.phash(Image.open(ads_file.parent / "images/a.png"))), 16),
        "images/b.png": int(str(imagehash.phash(Image.open(ads_file.parent / "images/b.png"))), 16),
    }
    expected = []
    for _, ad in iter_ads(ads_file):
        if isinstance(ad, InputError):
            continue
        files = [hashes[i.file] for i in ad.images if i.file in hashes]
        expected.append(ad_features(ad, extract(ad), phashes=files))
    got = read_features(ads_file, workers=2, chunk=5).ads
    assert got == expected
    assert got[1].phashes == (0x8F373714ACFCF4D0, hashes["images/b.png"])  # given, then file
    assert got[0].phashes == (hashes["images/a.png"],)  # the missing file adds nothing


def test_a_csv_file_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(_record(0)))
        writer.writeheader()
        for i in range(5):
            writer.writerow(_record(i))
    result = read_features(path, workers=2, chunk=2)
    assert [a.ad_id for a in result.ads] == [f"ad{i:04d}" for i in range(5)]
    assert ("phone", "+447700900003") in result.ads[3].selectors


def test_bad_arguments_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_features(tmp_path / "nothing.jsonl")
    (tmp_path / "ads.jsonl").write_text("")
    with pytest.raises(InputError, match="workers must be at least 1"):
        read_features(tmp_path / "ads.jsonl", workers=0)
    with pytest.raises(InputError, match="chunk must be at least 1"):
        read_features(tmp_path / "ads.jsonl", chunk=0)
    assert read_features(tmp_path / "ads.jsonl", workers=2).ads == []


def test_template_signatures_come_with_the_features(ads_file: Path) -> None:
    from threadline.ads.personas import link_ads
    from threadline.ads.similarity import signatures

    result = read_features(ads_file, workers=2, chunk=6)
    assert result.signatures.shape == (len(result.ads), 64)
    assert (result.signatures == signatures([a.template for a in result.ads])).all()
    given = link_ads(result.ads, signatures_of_templates=result.signatures)
    assert given.groups == link_ads(result.ads).groups
    with pytest.raises(InputError, match="template signatures must be 57 x 64, not 3 x 64"):
        link_ads(result.ads, signatures_of_templates=result.signatures[:3])

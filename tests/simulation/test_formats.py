"""Every written file is well-formed in its documented shape."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
from followthemoney import model
from PIL import Image

from threadline.primitives.paxlst import parse_paxlst
from threadline.simulation.documents import SLTD_COLUMNS
from threadline.simulation.travel import MANIFEST_COLUMNS

from .conftest import World

AD_KEYS = {
    "id",
    "platform",
    "url",
    "posted_at",
    "country",
    "location",
    "language",
    "category",
    "title",
    "text",
    "poster",
    "images",
}
RED_KEYS = {
    "entity_id",
    "name",
    "forename",
    "date_of_birth",
    "sex_id",
    "nationalities",
    "country_of_birth_id",
    "place_of_birth",
    "height",
    "weight",
    "eyes_colors_id",
    "hairs_id",
    "distinguishing_marks",
    "languages_spoken_ids",
    "arrest_warrants",
}
YELLOW_EXTRA = {
    "birth_name",
    "date_of_event",
    "place",
    "country",
    "father_forename",
    "mother_forename",
    "mother_name",
}


def test_ads_have_the_documented_fields(world: World) -> None:
    assert len(world.ads) == 400
    assert len({ad["id"] for ad in world.ads}) == 400
    for ad in world.ads:
        assert (
            {"id", "platform", "url", "posted_at", "country", "location", "title", "text"}
            <= set(ad)
            <= AD_KEYS
        )
        assert ad["language"] in {"en", "fr", "es", "pt"}
        assert len(ad["country"]) == 2 and ad["country"].isupper()
        assert ad["posted_at"].endswith("Z") and ad["posted_at"][4] == "-"
        for image in ad.get("images", []):
            assert set(image) in ({"file"}, {"phash"})
            if "file" in image:
                with Image.open(world.root / image["file"]) as img:
                    assert img.format in ("PNG", "JPEG")
            else:
                assert len(image["phash"]) == 16
    assert {ad["language"] for ad in world.ads} >= {"en", "fr", "es", "pt"}


@pytest.mark.parametrize("colour", ["red", "yellow"])
def test_notices_have_the_public_api_shape(world: World, colour: str) -> None:
    files = sorted((world.root / "notices" / colour).glob("*.json"))
    assert files
    expected = RED_KEYS - {"arrest_warrants"} | (
        YELLOW_EXTRA if colour == "yellow" else {"arrest_warrants"}
    )
    for path in files:
        notice = json.loads(path.read_text("utf-8"))
        assert expected <= set(notice)
        year, number = notice["entity_id"].split("/")
        assert path.stem == f"{year}-{number}" and len(year) == 4 and number.isdigit()
        assert notice["sex_id"] in {"F", "M", "U"}
        dob = notice["date_of_birth"]
        assert len(dob) in (4, 10) and dob[:4].isdigit()
        assert all(len(c) == 2 for c in notice["nationalities"])
        for warrant in notice.get("arrest_warrants", []):
            assert set(warrant) == {"issuing_country_id", "charge", "charge_translation"}


def test_travel_documents_csv_has_exact_columns(world: World) -> None:
    with (world.root / "travel_documents.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        assert tuple(next(reader)) == SLTD_COLUMNS
        rows = list(reader)
    assert rows and all(len(r) == len(SLTD_COLUMNS) for r in rows)
    assert {r[3] for r in rows} <= {"stolen", "lost", "revoked", "stolen_blank"}


def test_every_manifest_edi_parses_to_the_csv_travellers(world: World) -> None:
    by_flight: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in world.manifest_rows:
        by_flight[row["record_id"]].append(row)
    edis = sorted((world.root / "manifests").glob("*.edi"))
    assert len(edis) == len(list((world.root / "manifests").glob("*.csv")))
    seen = 0
    for path in edis:
        with path.with_suffix(".csv").open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert tuple(reader.fieldnames or ()) == MANIFEST_COLUMNS
            rows = list(reader)
        result = parse_paxlst(path.read_text("ascii"))
        assert result.problems == []
        (flight,) = result.flights
        assert len(flight.travellers) == len(rows)
        for t, row in zip(flight.travellers, rows, strict=True):
            assert row["flight"] == flight.flight
            assert row["departure_airport"] == flight.departure_airport
            assert row["departure_time"] == flight.departure_time.isoformat()
            assert (t.record_id, t.booking_ref) == (row["record_id"], row["booking_ref"])
            assert (t.surname, t.given_names, t.sex) == (
                row["surname"],
                row["given_names"],
                row["sex"],
            )
            assert t.date_of_birth is not None
            assert t.date_of_birth.isoformat() == row["date_of_birth"]
            assert t.nationality == row["nationality"]
            assert t.document_number == row["document_number"]
            assert t.document_issuing_country == row["document_issuing_country"]
            assert t.document_expiry is not None
            assert t.document_expiry.isoformat() == row["document_expiry"]
            seen += 1
    assert seen == len(world.manifest_rows) >= 400


def _entities(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_case_files_and_identified_persons_are_valid_ftm(world: World) -> None:
    paths = sorted((world.root / "cases").glob("*.ftm.jsonl"))
    assert len(paths) == len(world.truth["countries"])
    paths.append(world.root / "identified_persons.jsonl")
    schemata = set()
    for path in paths:
        for data in _entities(path):
            proxy = model.get_proxy(data, cleaned=True)
            schemata.add(proxy.schema.name)
            assert proxy.id == data["id"]
            for prop, values in data["properties"].items():  # type: ignore[union-attr]
                assert prop in proxy.schema.properties, (path.name, prop)
                kind = proxy.schema.properties[prop].type
                if kind.name not in ("phone",):  # fiction ranges are not assigned numbers
                    assert all(kind.clean(v) is not None for v in values), (prop, values)
    assert {"Person", "Passport", "UserAccount", "Associate"} <= schemata

"""Regimes that vary what the analyses lean on: look-alike travel, records with gaps."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from threadline.simulation import SimulationConfig, simulate


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for regime in ("standard", "confounders", "sparse"):
        root = tmp_path_factory.mktemp(regime)
        config = SimulationConfig(
            seed=3, networks=3, ads=150, travellers=3000, countries=8, regime=regime
        )
        simulate(config, root)
        out[regime] = root
    return out


def _rows(root: Path) -> dict[str, dict[str, str]]:
    rows = {}
    for path in (root / "manifests").glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            rows.update({r["record_id"]: r for r in csv.DictReader(handle)})
    return rows


def test_the_ads_are_the_standard_worlds(worlds: dict[str, Path]) -> None:
    """The regime draws from its own random streams: only the travel changes."""
    standard, confounders = worlds["standard"], worlds["confounders"]
    assert (standard / "ads.jsonl").read_bytes() == (confounders / "ads.jsonl").read_bytes()
    assert len(_rows(confounders)) >= 3000


def test_each_kind_of_honest_lookalike_travels(worlds: dict[str, Path]) -> None:
    truth = json.loads((worlds["confounders"] / "truth.json").read_text(encoding="utf-8"))
    assert truth["config"]["regime"] == "confounders"
    kinds = Counter(b["kind"] for b in truth["legitimate"]["bookings"])
    assert {"school", "friends", "workers", "family"} <= set(kinds)
    rows = _rows(worlds["confounders"])
    for booking in truth["legitimate"]["bookings"]:
        people = [rows[r] for r in booking["record_ids"]]
        if booking["kind"] == "school":
            ages = sorted(2025 - int(p["date_of_birth"][:4]) for p in people)
            assert ages[0] >= 12 and ages[-1] >= 28 and len(people) >= 10
        if booking["kind"] == "friends":
            # booked by one of them: the address starts with a traveller's given name
            local = booking["contact_email"].split("@")[0]
            assert local.isascii()
            given = {p["given_names"].split()[0].lower() for p in people}
            assert any(local.startswith(g) for g in given)


def test_a_few_agencies_book_many_unrelated_travellers(worlds: dict[str, Path]) -> None:
    def bookings_per_contact(root: Path) -> Counter[str]:
        refs: dict[str, set[str]] = defaultdict(set)
        for row in _rows(root).values():
            if row["contact_email"]:
                refs[row["contact_email"]].add(row["booking_ref"])
        return Counter({email: len(r) for email, r in refs.items()})

    def agencies(root: Path) -> dict[str, int]:
        counts = bookings_per_contact(root)
        return {email: n for email, n in counts.items() if email.startswith("bookings")}

    assert len(agencies(worlds["confounders"])) == 6
    assert all(n >= 10 for n in agencies(worlds["confounders"]).values())
    assert agencies(worlds["standard"]) == {}


def _people(path: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r["properties"] for r in rows if r["schema"] == "Person"]


def test_sparse_records_leave_fields_out_and_keep_the_rest(worlds: dict[str, Path]) -> None:
    standard, sparse = worlds["standard"], worlds["sparse"]
    assert (standard / "ads.jsonl").read_bytes() == (sparse / "ads.jsonl").read_bytes()
    assert _rows(standard) == _rows(sparse)  # manifests keep every field
    for name in [
        "identified_persons.jsonl",
        *(f"cases/{p.name}" for p in (sparse / "cases").iterdir()),
    ]:
        before, after = _people(standard / name), _people(sparse / name)
        assert len(before) == len(after)
    people = [p for f in (sparse / "cases").iterdir() for p in _people(f)]
    undated = sum(1 for p in people if not p.get("birthDate")) / len(people)
    stateless = sum(1 for p in people if not p.get("nationality")) / len(people)
    year_only = sum(1 for p in people if len(str((p.get("birthDate") or ["0000-00"])[0])) == 4)
    assert 0.2 < undated < 0.45 and 0.2 < stateless < 0.4 and year_only > 0
    reds = sorted((sparse / "notices" / "red").glob("*.json"))
    assert reds and all(json.loads(p.read_text(encoding="utf-8"))["name"] for p in reds)

"""The same seed writes byte-identical files; another seed writes another world."""

from __future__ import annotations

import hashlib
from pathlib import Path

from threadline.simulation import SimulationConfig, simulate


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _run(tmp_path: Path, name: str, seed: int) -> dict[str, str]:
    config = SimulationConfig(seed=seed, networks=3, ads=150, travellers=120, countries=8)
    simulate(config, tmp_path / name)
    return _digest(tmp_path / name)


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first, second = _run(tmp_path, "a", 11), _run(tmp_path, "b", 11)
    assert len(first) > 20
    assert first == second


def test_another_seed_gives_other_files(tmp_path: Path) -> None:
    first, other = _run(tmp_path, "a", 11), _run(tmp_path, "c", 12)
    for name in ("ads.jsonl", "truth.json", "travel_documents.csv"):
        assert first[name] != other[name]


def test_parallel_and_serial_runs_write_the_same_files(tmp_path: Path) -> None:
    config = SimulationConfig(seed=5, networks=3, ads=150, travellers=120, countries=8)
    simulate(config, tmp_path / "serial", parallel=False)
    simulate(config, tmp_path / "parallel", parallel=True)
    assert _digest(tmp_path / "serial") == _digest(tmp_path / "parallel")

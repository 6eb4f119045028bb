"""The ``sparse`` regime: records that leave fields out, as many agencies' records do.

Applied to the files once they are written, with its own random stream, so every other
regime writes the same files as before. Case records and identified persons lose a
birth date (or keep only its year), a nationality or a sex; notices lose the day and
month of a birth date or a nationality. Passenger manifests keep theirs: airlines must
send them (API data).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import orjson

from threadline.simulation.config import SimulationConfig, stream


def _thin_person(entity: dict[str, Any], share: float, rng: random.Random) -> dict[str, Any]:
    if entity.get("schema") != "Person":
        return entity
    props = entity.setdefault("properties", {})
    roll = rng.random()
    if roll < share:
        props.pop("birthDate", None)
    elif roll < share * 1.5 and props.get("birthDate"):
        props["birthDate"] = [str(value)[:4] for value in props["birthDate"]]
    if rng.random() < share:
        props.pop("nationality", None)
    if rng.random() < share / 2:
        props.pop("gender", None)
    return entity


def _thin_lines(path: Path, share: float, rng: random.Random) -> None:
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    path.write_bytes(b"".join(orjson.dumps(_thin_person(e, share, rng)) + b"\n" for e in lines))


def _thin_notice(path: Path, share: float, rng: random.Random) -> None:
    notice = orjson.loads(path.read_bytes())
    if rng.random() < share / 2 and notice.get("date_of_birth"):
        notice["date_of_birth"] = str(notice["date_of_birth"])[:4]
    if rng.random() < share / 2:
        notice["nationalities"] = None
    path.write_bytes(orjson.dumps(notice, option=orjson.OPT_INDENT_2) + b"\n")


def thin_records(config: SimulationConfig, out: Path) -> None:
    """Leave fields out of the written records at the regime's rate (nothing at 0)."""
    share = config.evasion.sparse
    if share <= 0:
        return
    rng = stream(config.seed, "regime-sparse")
    for path in sorted((out / "cases").glob("*.ftm.jsonl")):
        _thin_lines(path, share, rng)
    identified = out / "identified_persons.jsonl"
    if identified.exists():
        _thin_lines(identified, share, rng)
    for colour in ("red", "yellow"):
        for path in sorted((out / "notices" / colour).glob("*.json")):
            _thin_notice(path, share, rng)

"""The whole run: plan the world, stream every file, then write truth.json.

Ads and manifests are independent streams (each has its own random stream and
touches disjoint parts of the plan), so on a machine with two cores the ads are
written by a forked worker while the manifests are written here. The output is
byte-identical either way.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from threadline.exc import InputError
from threadline.simulation.ads import AdWriter
from threadline.simulation.cases import CaseWriter, write_identified
from threadline.simulation.config import SimulationConfig, stream
from threadline.simulation.documents import plan_documents, write_sltd
from threadline.simulation.images import PhotoLibrary
from threadline.simulation.notices import NoticeBook, plan_red_notices, write_notices
from threadline.simulation.sparse import thin_records
from threadline.simulation.travel import ManifestWriter
from threadline.simulation.truth import build_truth, write_truth
from threadline.simulation.world import plan_world

LAYOUT = "threadline-layout.toml"  # what 'threadline load' reads (services.layout.LAYOUT_FILE)
OUTPUTS = (
    "ads.jsonl",
    "travel_documents.csv",
    "identified_persons.jsonl",
    "truth.json",
    LAYOUT,
    "manifests",
    "notices",
    "cases",
    "images",
)
PARALLEL_FROM = 100_000  # ads; below this a worker process costs more than it saves

Advance = Callable[[int], None]


class Progress(Protocol):
    """Where the run reports progress (the CLI shows it with Rich on stderr)."""

    def task(self, name: str, total: int | None) -> Advance:
        """Start a task of ``total`` items; returns the function that advances it."""


def _quiet(name: str, total: int | None) -> Advance:
    return lambda count: None


def check_output(out: Path, force: bool) -> bool:
    """Refuse a file, or a non-empty directory unless ``force``, before anything is written
    or shown; True when earlier outputs are to be replaced."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a directory")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise InputError(f"--out {out} is not empty (use --force to overwrite)")
        return True
    return False


def prepare_output(out: Path, force: bool) -> None:
    """Refuse a non-empty directory unless ``force``; with it, remove earlier outputs only."""
    if check_output(out, force):
        for name in OUTPUTS:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)


def simulate(
    config: SimulationConfig,
    out: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    parallel: bool | None = None,
) -> dict[str, Any]:
    """Generate the world into ``out``; returns the file counts (also in truth.json)."""
    task = progress.task if progress is not None else _quiet
    prepare_output(out, force)
    planning = task("planning the world", None)
    world = plan_world(config)
    plan_documents(world)
    book = NoticeBook(stream(config.seed, "notice-ids"))
    wanted = plan_red_notices(world, book)
    twin_rng = stream(config.seed, "twins")
    twins = [(m, m.red_notice or "") for m in wanted if twin_rng.random() < 0.5]
    ads = AdWriter(world, out, PhotoLibrary(out, config.seed))
    ads.prepare()
    planning(1)

    if parallel is None:
        parallel = config.ads >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2
    ad_step = task("writing ads", config.ads)
    manifests = ManifestWriter(world, out, twins)
    travel_step = task("writing manifests", config.travellers)
    if parallel:
        travel = _in_parallel(ads, manifests, ad_step, travel_step)
    else:
        ads.write(ad_step)
        travel = manifests.write(travel_step)

    rest = task("writing notices, documents, cases", None)
    reds, yellows = write_notices(world, out, book)
    documents = write_sltd(world, out)
    case_writer = CaseWriter(world, out)
    cases = case_writer.write()
    identified = write_identified(world, out)
    thin_records(config, out)
    counts = {
        "ads": config.ads,
        "flights": travel.flights,
        "travellers": travel.travellers,
        "red_notices": reds,
        "yellow_notices": yellows,
        "travel_documents": documents,
        "cases": case_writer.files,
        "identified_persons": len(identified),
        "victims": len(world.victims),
    }
    write_truth(out, build_truth(world, ads, travel, cases, identified, counts))
    write_layout(out, sorted(case_writer.files), counts)
    rest(1)
    return counts


# Who owns what in a simulated world, as 'threadline demo' loads it: each country's case
# records its bureau's, the notices and the stolen and lost documents (watchlists) one
# INTERPOL agency's, the rest the national unit's; everything shared with every country.
UNIT = ("National Anti-Trafficking Unit", "GB")
INTERPOL = ("INTERPOL notices", "FR")


def write_layout(out: Path, cases: list[str], counts: dict[str, Any]) -> None:
    """Write the layout file that makes 'threadline load OUT' load the world as the demo
    does."""
    lines = [
        "# What 'threadline load' loads from this simulated world (see docs/loading.md):",
        "# the agencies to register, then each collection with its owner, sharing and files.",
    ]
    for name, country in [UNIT, INTERPOL, *[(f"NCB {code}", code) for code in cases]]:
        lines += ["", "[[agencies]]", f"name = {_toml(name)}", f"country = {_toml(country)}"]
    for fields in _world_collections(cases, counts):
        lines += ["", "[[collections]]", *(f"{k} = {_toml(v)}" for k, v in fields.items())]
    (out / LAYOUT).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _world_collections(cases: list[str], counts: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The demo's collections, in its order; a pattern that would match nothing (no notice
    of a colour, say) is left out, and its collection is still made."""

    def files(pattern: str, count: str) -> list[str]:
        return [pattern] if counts[count] else []

    for code in cases:
        owner = (f"NCB {code}", code)
        yield _declared(f"cases-{code.lower()}", "case-records", owner, [f"cases/{code}.ftm.jsonl"])
    found = files("identified_persons.jsonl", "identified_persons")
    yield _declared("identified-persons", "identified-persons", UNIT, found, "ftm")
    for colour in ("red", "yellow"):
        found = files(f"notices/{colour}/*.json", f"{colour}_notices")
        yield _declared(f"interpol-{colour}", "notices", INTERPOL, found, "notices", True)
    found = files("travel_documents.csv", "travel_documents")
    yield _declared("sltd", "travel-documents", INTERPOL, found, "travel-documents", True)
    yield _declared("manifests", "manifests", UNIT, ["manifests/*.csv"], "manifest")
    yield _declared("ads", "ads", UNIT, ["ads.jsonl"], "ads")


def _declared(
    name: str,
    kind: str,
    owner: tuple[str, str],
    files: list[str],
    fmt: str | None = None,
    watchlist: bool = False,
) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": name, "kind": kind, "agency": owner[0]}
    fields.update(country=owner[1], sharing="all", watchlist=watchlist)
    if fmt is not None:
        fields["format"] = fmt
    fields["files"] = files
    return fields


def _toml(value: Any) -> str:
    """A TOML value: a JSON string is a TOML basic string, and lists are written alike."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _ad_worker(ads: AdWriter, done: Any, results: Any) -> None:
    def advance(count: int) -> None:
        with done.get_lock():
            done.value += count

    try:
        ads.write(advance)
        results.put(("ok", ads.outcome()))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which re-raises
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def _in_parallel(
    ads: AdWriter, manifests: ManifestWriter, ad_step: Advance, travel_step: Advance
) -> Any:
    ctx = multiprocessing.get_context("fork")
    done = ctx.Value("q", 0)
    results = ctx.Queue()
    worker = ctx.Process(target=_ad_worker, args=(ads, done, results), daemon=True)
    worker.start()
    seen = 0

    def travel_and_poll(count: int) -> None:
        nonlocal seen
        travel_step(count)
        now = done.value
        if now > seen:
            ad_step(now - seen)
            seen = now

    travel = manifests.write(travel_and_poll)
    status, payload = results.get()  # blocks until the ads are written
    worker.join()
    if status != "ok":
        raise RuntimeError(f"the ads worker failed: {payload}")
    ad_step(done.value - seen)
    ads.absorb(payload)
    return travel

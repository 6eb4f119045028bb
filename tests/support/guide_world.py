"""The prepared world the guides' commands run against, built once per test process.

``threadline demo --no-serve`` run in an empty folder with the demo's agency in
``threadline.toml`` and the simulated world (seed 1, small) written into that same folder, so
its files (``notices/``, ``manifests/``, ``travel_documents.csv``, ``cases/``, ``ads.jsonl``)
are where a reader of a simulated world finds them. Beside them: ``delivery/``, the folder
docs/loading.md describes (filled from the world's files and ``tests/fixtures``; the guide
writes its layout), and ``cases.xlsx``, the workbook docs/formats.md reads.

The session fixture ``guide_world`` (tests/conftest.py) builds it; a test works on a copy
(:func:`copy_world`), never on the world itself, which other tests of the process share.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from threadline.cli.main import main
from threadline.settings import get_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AGENCY = "National Anti-Trafficking Unit"
TOML = f'[threadline]\ndefault_agency = "{AGENCY}"\ndefault_country = "GB"\n'


def prepare(argv: list[str]) -> None:
    """Run a command that prepares a world; any failure stops the test with its reason."""
    try:
        main(argv)
    except SystemExit as done:
        if done.code not in (0, None):
            pytest.fail(f"preparing the world: threadline {' '.join(argv)} exited {done.code}")


def _delivery(world: Path) -> None:
    """docs/loading.md's folder, from the world's files (the guide writes the layout)."""
    target = world / "delivery"
    copies = {
        "cases/2024.ftm.jsonl": world / "cases" / "GB.ftm.jsonl",
        "cases/suspects.csv": FIXTURES / "suspects.csv",
        "cases/suspects.mapping.yml": FIXTURES / "suspects.mapping.yml",
        "sltd/stolen-lost.csv": world / "travel_documents.csv",
        "ads/ads.jsonl": world / "ads.jsonl",
        "partners/oslo/cases.ftm.jsonl": world / "cases" / "SN.ftm.jsonl",
    }
    for colour in ("red", "yellow"):
        for path in sorted((world / "notices" / colour).glob("*.json")):
            copies[f"notices/{colour}/{path.name}"] = path
    for path in sorted((world / "manifests").glob("*.edi")):
        copies[f"manifests/{path.name}"] = path
    for relative, source in copies.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / relative)


def _workbook(path: Path) -> None:
    """docs/formats.md's Excel example: the suspects of its CSV on a sheet 'Suspects'."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Suspects"
    for row in (FIXTURES / "suspects.csv").read_text(encoding="utf-8").splitlines()[:5]:
        sheet.append(row.split(","))
    book.save(path)


def build_world(folder: Path) -> Path:
    """The prepared world (see the module's docstring), made in ``folder`` (new, empty)."""
    folder.mkdir(parents=True)
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("THREADLINE_")]:
            if key != "THREADLINE_TEST_PG_URL":
                patch.delenv(key)
        patch.chdir(folder)
        (folder / "threadline.toml").write_text(TOML, encoding="utf-8")
        get_settings.cache_clear()
        try:
            prepare(["demo", "--no-serve", "--world", "."])
        finally:
            get_settings.cache_clear()
    _delivery(folder)
    _workbook(folder / "cases.xlsx")
    with sqlite3.connect(folder / "threadline.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copies need no -wal file
    return folder


def copy_world(world: Path, into: Path, *, store: bool) -> None:
    """The world's files into ``into`` (an existing folder); ``store=False`` leaves out its
    store (``threadline.db`` and the audit files beside it) for a guide that starts afresh."""
    for item in world.iterdir():
        if item.name.endswith(("-wal", "-shm", ".lock")):
            continue
        if not store and item.name.startswith("threadline.") and item.suffix != ".toml":
            continue
        if item.is_dir():
            shutil.copytree(item, into / item.name)
        else:
            shutil.copy2(item, into / item.name)

"""The README's first command, without serving: a world loaded, a user per role."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.cli.main import main
from threadline.governance.identity import authenticate
from threadline.store import open_store
from threadline.store.collections import list_collections


def test_demo_loads_a_world_and_prints_working_credentials(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--no-serve", "--world", str(tmp_path / "world")])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "simulated a world" in out
    ingested = [line for line in out.splitlines() if "ingested" in line]
    assert len(ingested) >= 10
    assert all(line.endswith(", 0 rejected") for line in ingested), ingested
    store = open_store()
    with store.connect() as conn:
        names = {c.name for c in list_collections(conn)}
    assert {"identified-persons", "cases-gb", "interpol-red", "sltd", "manifests"} <= names
    assert "operation DEMO-LIBERTY" in out and "built the network graph" in out
    rows = [line.split("│") for line in out.splitlines() if "│ analyst" in line]
    password = rows[0][3].strip()
    assert authenticate(store, "analyst", password).username == "analyst"

"""``threadline tasks list``: the agency's queue as the command line shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.cli.main import main
from threadline.governance import Role
from threadline.governance.accounts import create_agency, create_user, get_user
from threadline.governance.actors import Channel
from threadline.services.worker import Worker, submit_manifest
from threadline.store import Store

PASSWORD = "a long enough password"
MANIFEST = Path(__file__).parent.parent / "fixtures" / "border" / "manifest.csv"


def test_an_empty_filtered_list_says_what_it_looked_for(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """'tasks list --state failed' on a queue of done tasks says that none failed, not that
    the agency has no tasks (the counts just above it say 1 done)."""
    with store.begin() as conn:
        create_agency(conn, "Border Police", "SE")
        create_user(conn, "officer-1", "Border Police", frozenset({Role.BORDER_OFFICER}), PASSWORD)
        officer = get_user(conn, "officer-1").actor(Channel.API).for_purpose("border_check")
    submit_manifest(store, officer, MANIFEST.name, MANIFEST.read_bytes(), country="SE")
    assert Worker(store, name="t").drain() == 1
    for args, said in (
        ([], "1 done"),
        (["--state", "failed"], "No tasks for your agency with state failed."),
        (["--kind", "trace"], "No tasks for your agency with kind trace."),
    ):
        with pytest.raises(SystemExit) as done:
            main(["--user", "officer-1", "tasks", "list", *args])
        out = capsys.readouterr().out
        assert done.value.code == 0
        assert "1 done" in out and said in out, out

"""`threadline search`: names in the collections one may see, with a purpose, audited."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from threadline import __version__
from threadline.cli.main import main
from threadline.governance.audit import iter_events
from threadline.store import open_store

FIXTURES = Path(__file__).parent.parent / "fixtures"
CASE = ("--purpose", "investigation", "--reference", "CASE-CLI-7")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture(autouse=True)
def cases(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "cases")
    assert code == 0, err


def test_search_finds_names_case_insensitively(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "ERIKSSON", *CASE, "--json")
    assert code == 0
    page = orjson.loads(out)
    assert [r["id"] for r in page["items"]] == ["se-case-p1"]
    assert page["items"][0]["caption"] == "Anna Maria Eriksson"
    assert page["next_offset"] is None
    code, out, _ = run(capsys, "search", "Eriksson", *CASE)
    assert code == 0 and "se-case-p1" in out and "Anna Maria Eriksson" in out


def test_search_pages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "an", *CASE, "--json", "--limit", "1")
    first = orjson.loads(out)
    assert code == 0 and len(first["items"]) == 1 and first["next_offset"] == 1
    code, out, _ = run(capsys, "search", "an", *CASE, "--json", "--limit", "1", "--offset", "1")
    assert orjson.loads(out)["items"][0]["id"] != first["items"][0]["id"]


def test_search_needs_a_purpose_and_is_audited(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "eriksson")
    assert code == 2 and out == ""
    assert err.startswith("threadline: error: a person query needs a purpose")
    code, _, err = run(capsys, "search", "e", *CASE)
    assert code == 2 and "at least 2 characters" in err
    code, out, _ = run(capsys, "search", "nobody-by-this-name", *CASE)
    assert code == 0 and "No entity you may see" in out
    with open_store().connect() as conn:
        searches = [e for e in iter_events(conn) if e.action == "entity.search"]
    # The refused searches read nothing; the answered one is recorded with its purpose.
    assert [(e.target_id, e.purpose, e.reference) for e in searches] == [
        ("nobody-by-this-name", "investigation", "CASE-CLI-7")
    ]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"threadline {__version__}\n")

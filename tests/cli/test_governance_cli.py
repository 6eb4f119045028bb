from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from sqlalchemy import create_engine, text

from threadline.cli.main import main
from threadline.settings import get_settings

FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_users_tokens_audit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "agencies", "create", "NCB Stockholm", "--country", "SE")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, out, _ = run(
        capsys,
        "users",
        "create",
        "astrid",
        "--agency",
        "NCB Stockholm",
        "--roles",
        "analyst,auditor",
        "--password-stdin",
        "--json",
    )
    assert code == 0
    assert orjson.loads(out)["roles"] == ["analyst", "auditor"]
    code, out, _ = run(capsys, "tokens", "issue", "astrid", "--name", "border-system")
    assert out.startswith("tl_")
    code, out, _ = run(
        capsys, "--user", "astrid", "ingest", str(FIXTURES / "cases.ftm.jsonl"), "-c", "cases"
    )
    assert code == 0
    code, _, err = run(capsys, "--user", "astrid", "entities", "show", "se-case-p1")
    assert code == 2 and "needs a purpose" in err  # a person read names what it is for
    case = ("--purpose", "investigation", "--reference", "CASE-2026-11")
    code, out, _ = run(capsys, "--user", "astrid", *case, "entities", "show", "se-case-p1")
    assert code == 0
    code, out, _ = run(capsys, "audit", "verify", "--json")
    assert code == 0 and orjson.loads(out)["ok"] is True
    code, out, _ = run(capsys, "audit", "export")
    events = [orjson.loads(line) for line in out.splitlines()]
    actions = [e["action"] for e in events]
    assert actions[:3] == ["agency.create", "user.create", "token.issue"]
    assert "entity.read" in actions and actions[-1] == "audit.export"
    read = next(e for e in events if e["action"] == "entity.read")
    assert (read["user"], read["purpose"], read["reference"]) == (
        "astrid",
        "investigation",
        "CASE-2026-11",
    )

    engine = create_engine(get_settings().database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET target_id = 'someone-else' WHERE id = 2"))
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 1
    assert "BROKEN at event 2: its content was altered" in out


def test_governance_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "users", "create", "x", "--agency", "a", "--roles", "chief")
    assert code == 2 and "unknown role 'chief'" in err
    code, _, err = run(capsys, "--user", "ghost", "entities", "show", "x")
    assert code == 2 and "no user named 'ghost'" in err
    code, _, err = run(capsys, "person", "export", "x", "--purpose", "investigation")
    assert code == 2 and "needs a case or operation reference" in err

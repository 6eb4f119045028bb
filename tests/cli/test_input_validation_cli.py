"""Wrong options are refused in one line with exit code 2, and nothing is stored."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.cli.main import main
from threadline.exc import InputError
from threadline.primitives.inputs import partial_date
from threadline.settings import get_settings
from threadline.store import open_store
from threadline.store.findings import list_runs

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
LIAISON = ["--user", "sv-liaison"]
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
# Function-scoped fixtures are shared by the examples on purpose: one store, many commands.
FEW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def refused(capsys: pytest.CaptureFixture[str], message: str, *args: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2, out + err
    assert err.startswith("threadline: error: ") and err.count("\n") == 1, err
    assert message in err, err


@pytest.fixture
def liaison(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Sweden's victim liaison officer, and an agency of Norway."""
    assert run(capsys, "agencies", "create", "test-unit", "--country", "SE")[0] == 0
    assert run(capsys, "agencies", "create", "NCB Oslo", "--country", "NO")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    args = ["users", "create", "sv-liaison", "--agency", "test-unit", "--roles", "victim_liaison"]
    assert run(capsys, *args, "--password-stdin")[0] == 0


def _victims(capsys: pytest.CaptureFixture[str]) -> int:
    code, out, _ = run(capsys, *LIAISON, "victims", "list", "--json")
    assert code == 0
    return len(orjson.loads(out))


def _screenings(capsys: pytest.CaptureFixture[str]) -> int:
    _code, out, _ = run(capsys, "audit", "export")
    events = [orjson.loads(line) for line in out.splitlines()]
    return sum(e["action"] == "screening.person" for e in events)


PERSON = ["screen", "person", "--name", "Ivan Petrov", "--purpose", "border_check"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--dob", "1993-13-45"],
            "dob: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '1993-13-45'",
        ),
        (["--dob", TOMORROW], f"dob: {TOMORROW} is in the future"),
        (["--sex", "Q"], "sex: unknown sex 'Q'"),
        (["--nationality", "Atlantis"], "nationality: unknown country 'Atlantis'"),
        (
            ["--dob", "1993-13-45", "--sex", "Q", "--nationality", "Atlantis"],
            "dob: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '1993-13-45'",
        ),
    ],
)
def test_screen_person_refuses_wrong_values(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    refused(capsys, message, *PERSON, *options)
    assert _screenings(capsys) == 0  # no query was run, so none is audited


def test_screen_person_accepts_what_it_documents(capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--dob", "1974/8/12", "--sex", "female", "--nationality", "Russia", "--json"]
    code, out, err = run(capsys, *PERSON, *options)
    assert code == 0, err
    query = orjson.loads(out)["query"]
    assert (query["birth_date"], query["sex"], query["nationality"]) == ("1974-08-12", "F", "RU")


@FEW
@given(dob=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12))
def test_screen_person_dob_is_a_date_or_exit_2(
    capsys: pytest.CaptureFixture[str], dob: str
) -> None:
    code, _out, err = run(capsys, *PERSON, f"--dob={dob}")
    try:
        accepted = not dob.strip() or bool(partial_date("dob", dob, past=True))
    except InputError:
        accepted = False
    if accepted:
        assert code == 0, err
    else:
        assert code == 2 and err.startswith("threadline: error: dob: ")


VICTIM = [*LIAISON, "victims", "create", "--how", "raid", "--identified-on", "2026-04-01"]


@pytest.mark.usefixtures("liaison")
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--dob", "2009-20"],
            "date_of_birth: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '2009-20'",
        ),
        (["--dob", TOMORROW], f"date_of_birth: {TOMORROW} is in the future"),
        (["--identified-on", TOMORROW], f"identified_on: {TOMORROW} is in the future"),
        (
            ["--identified-on", "2026-04"],
            "identified_on: not a full date, give the day (YYYY-MM-DD): '2026-04'",
        ),
        (["--operation", "NOPE-1"], "operation: unknown operation 'NOPE-1'"),
        (["--nationality", "Atlantis"], "nationality: unknown country 'Atlantis'"),
        (["--sex", "Mars"], "sex: unknown sex 'Mars' (one of F, M, U)"),
        (["--language", "klingon"], "language: unknown language 'klingon'"),
        (["--entity", "no-such-entity"], "no entity with id 'no-such-entity'"),
    ],
)
def test_victims_create_refuses_wrong_values(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    refused(capsys, message, *VICTIM, *options)
    assert _victims(capsys) == 0


@pytest.mark.usefixtures("liaison")
def test_victims_create_tags_an_operation_that_exists(capsys: pytest.CaptureFixture[str]) -> None:
    define = ["ops", "create", "WEKA-III", "--name", "Weka", "--start", "2026-03-01"]
    assert run(capsys, *define, "--end", "2026-03-10", "--countries", "SE")[0] == 0
    code, out, err = run(capsys, *VICTIM, "--operation", "WEKA-III", "--dob", "2009-02", "--json")
    assert code == 0, err
    assert orjson.loads(out)["operation"] == "WEKA-III"
    assert _victims(capsys) == 1


@pytest.mark.usefixtures("liaison")
@FEW
@given(
    dob=st.one_of(
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=10),
        st.dates(max_value=date.today()).map(str),
    )
)
def test_victims_create_dob_is_a_date_or_exit_2(
    capsys: pytest.CaptureFixture[str], dob: str
) -> None:
    before = _victims(capsys)
    code, _out, err = run(capsys, *VICTIM, f"--dob={dob}")
    try:
        accepted = not dob.strip() or bool(partial_date("date_of_birth", dob, past=True))
    except InputError:
        accepted = False
    if accepted:
        assert code == 0, err
        assert _victims(capsys) == before + 1
    else:
        assert code == 2 and err.startswith("threadline: error: date_of_birth: ")
        assert _victims(capsys) == before


@pytest.mark.usefixtures("liaison")
def test_victims_list_filters_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    listing = [*LIAISON, "victims", "list"]
    refused(capsys, "operation: unknown operation 'NOPE-1'", *listing, "--operation", "NOPE-1")
    code, out, err = run(capsys, *listing, "--json")
    assert code == 0 and orjson.loads(out) == [], err


@pytest.mark.usefixtures("liaison")
def test_a_reunification_is_recorded_once_it_happened(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, *VICTIM, "--json")
    assert code == 0, err
    pseudonym = orjson.loads(out)["pseudonym"]
    reunite = [*LIAISON, "victims", "reunite", pseudonym, "--relationship", "mother"]
    refused(capsys, f"date: {TOMORROW} is in the future", *reunite, "--date", TOMORROW)
    refused(capsys, "before the person was identified", *reunite, "--date", "2026-03-31")
    code, out, err = run(capsys, *reunite, "--date", "2026-04-02", "--json")
    assert code == 0, err
    assert [r["date"] for r in orjson.loads(out)["reunifications"]] == ["2026-04-02"]


def test_services_add_refuses_an_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    add = ["victims", "services", "add", "SE", "shelter", "Safe House"]
    refused(capsys, "languages: unknown language 'klingon'", *add, "--languages", "sv,klingon")
    _code, out, _ = run(capsys, "victims", "services", "list", "--json")
    assert orjson.loads(out) == []
    assert run(capsys, *add, "--languages", "sv, en ,tl")[0] == 0


def test_screen_manifest_refuses_an_unknown_operation(capsys: pytest.CaptureFixture[str]) -> None:
    manifest = ["screen", "manifest", str(BORDER / "manifest.csv"), "--country", "SE"]
    refused(capsys, "operation: unknown operation 'NOPE-1'", *manifest, "--operation", "NOPE-1")
    store = open_store(get_settings().database_url)
    try:
        with store.connect() as conn:
            assert list_runs(conn, kind="screening") == []
    finally:
        store.close()


@pytest.mark.usefixtures("liaison")
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--agency", "NCB Atlantis"], "no agency named 'NCB Atlantis'"),
        (["--agency", "NCB Oslo", "--country", "SE"], "agency 'NCB Oslo' belongs to NO, not SE"),
    ],
)
def test_collections_create_checks_the_agency(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    refused(capsys, message, "collections", "create", "oslo-cases", *options)
    _code, out, _ = run(capsys, "collections", "list", "--json")
    assert orjson.loads(out) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dbb = 'x.db'\n", "unknown key 'dbb'"),
        ("[threadline]\nbatch_size = 10\nworker = 2\n", "unknown key 'worker'"),
        ("default_country = 'Atlantis'\n", "default_country: unknown country 'Atlantis'"),
        ("batch_size = 'many'\n", "batch_size: "),
    ],
)
def test_config_file_keys_and_values_are_checked(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    text: str,
    message: str,
) -> None:
    path = tmp_path / "threadline.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("THREADLINE_CONFIG", str(path))
    for key in ("DEFAULT_COUNTRY", "BATCH_SIZE"):
        monkeypatch.delenv(f"THREADLINE_{key}", raising=False)
    get_settings.cache_clear()
    refused(capsys, message, "collections", "list")


def test_tracing_an_empty_store_finds_nothing_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "trace", "run")
    assert (code, err) == (0, "")
    assert "0 reports, 0 sightings, 0 leads" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "verify", "--head", "abc"], "--head must be a head MAC"),
        (["notifications", "list", "--offset", str(2**70)], "Invalid value for '--offset'"),
        (["export", "-c", "x", "--out", "no-such-folder/x.jsonl"], "no-such-folder/x.jsonl"),
    ],
)
def test_malformed_values_are_refused_not_crashed_on(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    refused(capsys, message, *args)


@pytest.mark.parametrize(
    "args",
    [
        ["collections", "list", "--json", "--db", "{db}"],
        ["collections", "list", "--db={db}", "--json"],
        ["--db", "{db}", "collections", "list", "--json"],
    ],
)
def test_global_options_are_accepted_anywhere_on_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    db = tmp_path / "elsewhere.db"
    code, out, err = run(capsys, *[a.replace("{db}", str(db)) for a in args])
    assert (code, err) == (0, "")
    assert orjson.loads(out) == []
    assert db.exists()


def test_a_commands_own_option_is_left_to_it() -> None:
    from threadline.cli.main import hoisted

    line = ["network", "list", "--purpose", "investigation", "--reference", "C-1", "--db", "x"]
    assert hoisted(line) == ["--db", "x", *line[:-2]]
    assert hoisted(["search", "--db", "x", "--", "--db"]) == ["--db", "x", "search", "--", "--db"]


def test_the_default_agency_is_registered_on_first_use(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new installation's console ingests into its default agency; its first user is
    created for that agency without a separate 'agencies create'."""
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    args = ["users", "create", "first-analyst", "--agency", "test-unit", "--roles", "analyst"]
    code, out, err = run(capsys, *args, "--password-stdin")
    assert code == 0, err
    assert "Registered agency 'test-unit'" in err
    code, out, _ = run(capsys, "agencies", "list", "--json")
    assert [a["name"] for a in orjson.loads(out)] == ["test-unit"]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    other = ["users", "create", "x", "--agency", "NCB Nowhere", "--roles", "analyst"]
    refused(capsys, "no agency named 'NCB Nowhere'", *other, "--password-stdin")

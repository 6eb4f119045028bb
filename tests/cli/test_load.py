"""``threadline load``: a folder loaded as its layout file declares.

A simulated world carries its own layout and loads as the demo loads it; a layout with a
mistake anywhere is refused in one line naming the file, the collection and the key, before
anything is written; broken records are counted and reported while the rest is stored.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import column, func, inspect, select, table

from threadline.cli.context import CONSOLE_ROLES
from threadline.cli.main import main
from threadline.governance import Actor
from threadline.governance.actors import Channel
from threadline.governance.identity import list_agencies
from threadline.services import demo
from threadline.services.layout import LAYOUT_FILE, read_layout
from threadline.services.load import load, plan
from threadline.simulation import SimulationConfig, simulate
from threadline.simulation.config import make_config
from threadline.store import Store, open_store
from threadline.store.collections import list_collections
from threadline.store.jobs import list_jobs, list_rejections
from threadline.store.statements import count_entities, count_statements

FIXTURES = Path(__file__).parent.parent / "fixtures"
PASSWORD = "a long enough password\n"
GOOD = """
[[collections]]
name = "cases"
kind = "case-records"
files = ["cases.ftm.jsonl"]
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small simulated world, with the layout the simulator writes beside it."""
    root = tmp_path_factory.mktemp("load") / "world"
    simulate(SimulationConfig(seed=3), root)
    return root


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """A national unit's folder: case records, a broken delivery, a suspects list."""
    root = tmp_path / "unit"
    (root / "notices").mkdir(parents=True)
    shutil.copy(FIXTURES / "cases.ftm.jsonl", root / "cases.ftm.jsonl")
    shutil.copy(FIXTURES / "broken.ftm.jsonl", root / "broken.ftm.jsonl")
    shutil.copy(FIXTURES / "suspects.csv", root / "suspects.csv")
    shutil.copy(FIXTURES / "suspects.mapping.yml", root / "suspects.mapping.yml")
    (root / "notes.txt").write_text("call the liaison officer on Monday\n", encoding="utf-8")
    (root / LAYOUT_FILE).write_text(GOOD, encoding="utf-8")
    return root


def rows() -> dict[str, int]:
    """Rows per table of the configured store (every table, the audit log too)."""
    store = open_store()
    names = sorted(inspect(store.engine).get_table_names())
    with store.connect() as conn:
        count = [select(func.count()).select_from(table(name)) for name in names]
        return {
            name: int(conn.execute(q).scalar_one()) for name, q in zip(names, count, strict=True)
        }


def held(store: Store) -> dict[str, tuple[object, ...]]:
    """Each collection's kind, owner, sharing, watchlist flag, entities and values."""
    with store.connect() as conn:
        return {
            c.name: (
                c.kind.value,
                c.owner_agency,
                c.owner_country,
                c.sharing.value,
                c.watchlist,
                count_entities(conn, c.id),
                count_statements(conn, c.id),
            )
            for c in list_collections(conn)
        }


# ------------------------------------------------------------------ a simulated world


def test_a_simulated_world_loads_with_its_layout(
    capsys: pytest.CaptureFixture[str], world: Path
) -> None:
    code, out, err = run(capsys, "load", str(world), "--json")
    assert code == 0, err
    summary = json.loads(out)
    cases = sorted(p.name.split(".")[0].lower() for p in (world / "cases").glob("*.ftm.jsonl"))
    names = [c["name"] for c in summary["collections"]]
    assert names == [f"cases-{code}" for code in cases] + [
        "identified-persons",
        "interpol-red",
        "interpol-yellow",
        "sltd",
        "manifests",
        "ads",
    ]
    store = open_store()
    with store.connect() as conn:
        stored = {c.name: c for c in list_collections(conn)}
        jobs = list_jobs(conn, limit=10_000)
        agencies = {a["name"]: a["country"] for a in list_agencies(conn)}
        entities = {name: count_entities(conn, c.id) for name, c in stored.items()}
    assert agencies["NCB GB"] == "GB" and agencies["INTERPOL notices"] == "FR"
    for item in summary["collections"]:
        own = [j for j in jobs if j.collection == item["name"]]
        assert item["entities"] == entities[item["name"]]
        assert item["files"] == len(own) and item["files_failed"] == 0
        assert item["records_stored"] == sum(j.stored for j in own)
        assert item["records_refused"] == sum(j.rejected for j in own) == 0
        assert item["handed_over"]
    assert (
        summary["totals"]["files"]
        == len(jobs)
        == 14
        + 1
        + len(list((world / "notices").rglob("*.json")))
        + 1
        + len(list((world / "manifests").glob("*.csv")))
        + 1
    )
    assert summary["totals"]["records_stored"] == sum(j.stored for j in jobs)
    gb, red = stored["cases-gb"], stored["interpol-red"]
    assert (gb.owner_agency, gb.owner_country, gb.kind.value) == ("NCB GB", "GB", "case-records")
    assert (red.owner_agency, red.watchlist, red.sharing.value) == ("INTERPOL notices", True, "all")
    assert stored["sltd"].watchlist and not stored["manifests"].watchlist


def test_a_handed_over_collection_is_its_owners_and_the_handover_is_audited(
    capsys: pytest.CaptureFixture[str], world: Path
) -> None:
    assert run(capsys, "load", str(world))[0] == 0
    store = open_store()
    with store.connect() as conn:
        audit = table("audit_event", column("action"), column("target_id"), column("detail"))
        events = conn.execute(select(audit)).all()
    updates = [e for e in events if e.action == "collection.update" and e.target_id == "cases-fr"]
    detail = updates[0].detail
    detail = json.loads(detail) if isinstance(detail, str) else detail
    assert detail["before"]["owner"] == ["test-unit", "SE"]
    assert detail["after"]["owner"] == ["NCB FR", "FR"]
    # only the owner adds data now: a second load is refused before anything is written
    before = rows()
    code, _, err = run(capsys, "load", str(world))
    assert code == 2
    assert "collection 'cases-ae': exists and belongs to NCB AE (AE)" in err
    assert rows() == before


def test_the_layout_loads_what_the_demo_loads(world: Path, tmp_path: Path) -> None:
    """The simulator's layout declares exactly the demo's collections: same kinds, owners,
    sharing, watchlists, entities and values."""
    by_demo = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    run_ = demo.DemoRun(by_demo, world, make_config("small", 3))
    for step in (
        demo.load_case_records,
        demo.load_identified_persons,
        demo.load_watchlists,
        demo.load_manifests,
        demo.analyse_ads,
    ):
        step(run_)
    by_layout = open_store(f"sqlite:///{tmp_path / 'layout.db'}")
    console = Actor("console:test", "test-unit", "SE", CONSOLE_ROLES, channel=Channel.CLI)
    load(by_layout, console, plan(by_layout, console, read_layout(world)))
    assert held(by_layout) == held(by_demo)
    assert len(held(by_demo)) == 20


# ------------------------------------------------------------------ dry run


def test_a_dry_run_checks_everything_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], world: Path
) -> None:
    before = rows()
    code, out, _ = run(capsys, "load", str(world), "--dry-run")
    assert code == 0
    assert "Would register 16 agencies: National Anti-Trafficking Unit (GB)" in out
    assert "interpol-red" in out and "nothing was written" in out
    code, out, _ = run(capsys, "load", str(world), "--dry-run", "--json")
    assert code == 0
    planned = json.loads(out)
    assert planned["dry_run"] is True
    red = next(c for c in planned["collections"] if c["name"] == "interpol-red")
    assert red["action"] == "create" and red["handover"] and red["watchlist"]
    assert {f["format"] for f in red["files"]} == {"notices"}
    assert len(red["files"]) == len(list((world / "notices" / "red").glob("*.json")))
    assert rows() == before


# ------------------------------------------------------------------ bad layouts


BAD_COLLECTIONS = [
    ('kind = "case-files"', "key 'kind': unknown kind 'case-files'; use one of: ads, notices"),
    ('kind = "other"\nowner = "NCB GB"', "key 'owner': unknown key (the keys are: name, kind"),
    (
        'kind = "other"\nformat = "pdf"\nfiles = ["cases.ftm.jsonl"]',
        "key 'format': unknown format 'pdf'",
    ),
    (
        'kind = "other"\nfiles = [{ path = "cases.ftm.jsonl", format = "pdf" }]',
        "key 'format' (files entry 1): unknown format 'pdf'",
    ),
    (
        'kind = "other"\nfiles = ["cases.ftm.jsonl", "gone.ftm.jsonl"]',
        "key 'files' (entry 2): no such file",
    ),
    (
        'kind = "notices"\nfiles = ["notices/*.json"]',
        "key 'files' (entry 1): 'notices/*.json' matches no file in",
    ),
    ('kind = "other"\nfiles = ["notices"]', "key 'files' (entry 1): 'notices' is a folder"),
    (
        'kind = "other"\nfiles = ["/etc/hosts"]',
        "key 'files' (entry 1): '/etc/hosts' must be relative",
    ),
    (
        'kind = "other"\nfiles = ["notes.txt"]',
        "key 'format' (files entry 1): cannot tell the format",
    ),
    ('kind = "other"\nfiles = ["suspects.csv"]', "key 'mapping' (files entry 1): "),
    (
        'kind = "other"\nfiles = [{ path = "cases.ftm.jsonl", mapping = "suspects.mapping.yml" }]',
        "key 'mapping' (files entry 1): the 'ftm' format takes no mapping",
    ),
    ('sharing = "everyone"\nkind = "other"', "key 'sharing': unknown sharing 'everyone'"),
    ('kind = "other"\nsharing = "countries"', "key 'shared_with': sharing = \"countries\" needs"),
    ('kind = "other"\nshared_with = ["Atlantis"]', "key 'shared_with': unknown country 'Atlantis'"),
    ('kind = "other"\nwatchlist = "yes"', "key 'watchlist': must be true or false"),
    ('kind = "other"\nreview = 2020-01-31', "key 'review': 2020-01-31 is not after today"),
    ('kind = "other"\nagency = "NCB Atlantis"', "key 'agency': no agency named 'NCB Atlantis'"),
    ('kind = "other"\ncountry = "FR"', "key 'country': country FR is not your agency's country"),
    ('label = "no kind"', "key 'kind': is required"),
]


@pytest.mark.parametrize(
    ("fields", "message"), BAD_COLLECTIONS, ids=[m for _, m in BAD_COLLECTIONS]
)
def test_a_bad_collection_is_refused_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], unit: Path, fields: str, message: str
) -> None:
    layout = unit / LAYOUT_FILE
    layout.write_text(f'{GOOD}\n[[collections]]\nname = "bad"\n{fields}\n', encoding="utf-8")
    before = rows()
    code, out, err = run(capsys, "load", str(unit))
    assert code == 2 and out == ""
    assert err.startswith(f"threadline: error: {layout}: collection 'bad', {message}"), err
    assert err.count("\n") == 1
    assert rows() == before


OSLO = '[[agencies]]\nname = "NCB Oslo"\ncountry = "NO"\n'
BAD_LAYOUTS = [
    (f'title = "our unit"\n{GOOD}', ": key 'title': unknown key (the keys are: agencies,"),
    (f"{GOOD}\nkind = ", ": not valid TOML"),
    (
        f'{GOOD}\n[[collections]]\nname = "cases"\nkind = "other"',
        ": collection 'cases', key 'name': is declared twice",
    ),
    (
        f'{GOOD}\n[[collections]]\nname = "Cases 2"\nkind = "other"',
        ": collection 'Cases 2', key 'name': 'Cases 2' is not a collection name",
    ),
    (f'{GOOD}\n[[collections]]\nkind = "other"', ": collection 2, key 'name': is required"),
    (f'{OSLO}city = "Oslo"\n{GOOD}', ": agency 'NCB Oslo', key 'city': unknown key"),
    (
        f'[[agencies]]\nname = "NCB Oslo"\ncountry = "Atlantis"\n{GOOD}',
        ": agency 'NCB Oslo', key 'country': unknown country 'Atlantis'",
    ),
    (
        f'[[agencies]]\nname = "test-unit"\ncountry = "NO"\n{GOOD}',
        ": agency 'test-unit', key 'country': 'test-unit' is your own agency, of SE",
    ),
    (
        f'[[agencies]]\nname = "NCB Malmo"\ncountry = "NO"\n{GOOD}',
        ": agency 'NCB Malmo', key 'country': 'NCB Malmo' is registered for SE",
    ),
    (
        f'{OSLO}{GOOD}\n[[collections]]\nname = "oslo"\nkind = "other"\nagency = "NCB Oslo"\n'
        'country = "SE"',
        ": collection 'oslo', key 'country': agency 'NCB Oslo' is declared for NO, not SE",
    ),
    (
        'collections = "cases"',
        ": key 'collections': must be an array of tables, written [[collections]]",
    ),
    ("", ": declares no [[collections]] (nor [[agencies]]): nothing to load"),
]


@pytest.mark.parametrize(("text", "message"), BAD_LAYOUTS, ids=[m for _, m in BAD_LAYOUTS])
def test_a_bad_layout_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], unit: Path, text: str, message: str
) -> None:
    assert run(capsys, "agencies", "create", "NCB Malmo", "--country", "SE")[0] == 0
    layout = unit / LAYOUT_FILE
    layout.write_text(text, encoding="utf-8")
    before = rows()
    code, _, err = run(capsys, "load", str(unit))
    assert code == 2
    assert err.startswith(f"threadline: error: {layout}{message}"), err
    assert err.count("\n") == 1
    assert rows() == before


def test_a_missing_folder_or_layout_is_named(
    capsys: pytest.CaptureFixture[str], unit: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "load", str(tmp_path / "nowhere"))
    assert code == 2 and f"no such folder: {tmp_path / 'nowhere'}" in err
    (unit / LAYOUT_FILE).unlink()
    code, _, err = run(capsys, "load", str(unit))
    assert code == 2 and f"no layout file {unit / LAYOUT_FILE}" in err
    code, _, err = run(capsys, "load", str(unit), "--layout", str(tmp_path / "other.toml"))
    assert code == 2 and f"--layout {tmp_path / 'other.toml'}: no such file" in err


def test_governance_refuses_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], unit: Path
) -> None:
    """An analyst may not create a collection for another agency; it is refused at
    planning, so the agencies the layout declares are not registered either."""
    assert run(capsys, "agencies", "create", "test-unit", "--country", "SE")[0] == 0
    analyst = ["users", "create", "ana", "--agency", "test-unit", "--roles", "analyst"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(PASSWORD))
        assert run(capsys, *analyst, "--password-stdin")[0] == 0
    layout = unit / LAYOUT_FILE
    layout.write_text(
        '[[agencies]]\nname = "NCB Oslo"\ncountry = "NO"\n'
        f'{GOOD}\n[[collections]]\nname = "oslo"\nkind = "other"\nagency = "NCB Oslo"\n',
        encoding="utf-8",
    )
    before = rows()
    code, _, err = run(capsys, "--user", "ana", "load", str(unit))
    assert code == 2
    assert err == (
        f"threadline: error: {layout}: collection 'oslo': only an administrator creates a "
        "collection for another agency\n"
    )
    assert rows() == before


# ------------------------------------------------------------------ what is loaded


def test_broken_records_are_counted_and_the_rest_is_stored(
    capsys: pytest.CaptureFixture[str], unit: Path
) -> None:
    (unit / LAYOUT_FILE).write_text(
        '[[collections]]\nname = "delivery"\nkind = "case-records"\n'
        'files = ["cases.ftm.jsonl", "broken.ftm.jsonl"]\n'
        '\n[[collections]]\nname = "suspects"\nkind = "case-records"\n'
        'files = [{ path = "suspects.csv", mapping = "suspects.mapping.yml" }]\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "load", str(unit), "--json")
    assert code == 0, err
    summary = json.loads(out)
    delivery = summary["collections"][0]
    store = open_store()
    with store.connect() as conn:
        jobs = {j.source: j for j in list_jobs(conn)}
        broken = jobs[str(unit / "broken.ftm.jsonl")]
        refused = list_rejections(conn, broken.id)
        stored = {c.name: count_entities(conn, c.id) for c in list_collections(conn)}
    assert broken.rejected > 0 and broken.stored > 0
    assert delivery["records_refused"] == broken.rejected
    assert delivery["values_left_out"] == broken.values_rejected
    assert len(refused) == broken.rejected + broken.values_rejected
    assert delivery["records_stored"] == 10 + broken.stored
    assert delivery["entities"] == stored["delivery"] > 10
    assert summary["collections"][1]["entities"] == stored["suspects"] > 0
    assert summary["totals"]["entities"] == sum(stored.values())
    # the table says the same, and where to read the refusals
    (unit / LAYOUT_FILE).write_text(GOOD.replace("cases.ftm.jsonl", "broken.ftm.jsonl"), "utf-8")
    code, out, _ = run(capsys, "load", str(unit))
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("│ cases "))
    cells = [cell.strip() for cell in line.strip("│").split("│")]
    assert cells[2:5] == ["1", str(broken.stored), str(broken.rejected)]
    assert "records refused, " in out and "see 'threadline jobs show " in out


def test_a_file_that_fails_is_named_and_the_others_load(
    capsys: pytest.CaptureFixture[str], unit: Path
) -> None:
    """A file only ingestion finds unreadable (no record in it) does not stop the load; its
    collection stays with the loading agency, so the load can run again once it is fixed."""
    (unit / "blank.ftm.jsonl").write_text("\n \n", encoding="utf-8")
    assert run(capsys, "agencies", "create", "NCB Oslo", "--country", "NO")[0] == 0
    (unit / LAYOUT_FILE).write_text(
        f'{GOOD}\n[[collections]]\nname = "oslo"\nkind = "case-records"\nagency = "NCB Oslo"\n'
        'files = ["blank.ftm.jsonl", "broken.ftm.jsonl"]\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "load", str(unit))
    assert code == 2
    assert f"Failed: {unit / 'blank.ftm.jsonl'}" in err and "no records" in err
    assert "Not handed over (a file failed; fix it and load again): oslo." in err
    assert err.strip().splitlines()[-1] == "threadline: error: 1 of 3 files failed (listed above)"
    store = open_store()
    with store.connect() as conn:
        owners = {c.name: c.owner_agency for c in list_collections(conn)}
    assert owners == {"cases": "test-unit", "oslo": "test-unit"}
    (unit / "blank.ftm.jsonl").unlink()
    (unit / LAYOUT_FILE).write_text(
        (unit / LAYOUT_FILE).read_text("utf-8").replace('"blank.ftm.jsonl", ', ""), "utf-8"
    )
    code, _, err = run(capsys, "load", str(unit))
    assert code == 0, err
    with store.connect() as conn:
        assert {c.name: c.owner_agency for c in list_collections(conn)}["oslo"] == "NCB Oslo"


def test_loading_again_updates_the_loading_agencys_collections(
    capsys: pytest.CaptureFixture[str], unit: Path
) -> None:
    assert run(capsys, "load", str(unit))[0] == 0
    (unit / LAYOUT_FILE).write_text(
        GOOD + 'sharing = "countries"\nshared_with = ["NO", "FI"]\nlabel = "Case files"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "load", str(unit), "--json")
    assert code == 0
    cases = json.loads(out)["collections"][0]
    assert cases["action"] == "updated" and not cases["handed_over"]
    assert cases["sharing"] == "countries" and cases["shared_countries"] == ["FI", "NO"]
    assert cases["entities"] == 10  # the same records again: nothing doubled
    code, out, _ = run(capsys, "collections", "show", "cases", "--json")
    assert json.loads(out)["label"] == "Case files"


def test_the_layout_can_live_elsewhere(
    capsys: pytest.CaptureFixture[str], unit: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "layouts" / "unit.toml"
    elsewhere.parent.mkdir()
    (unit / LAYOUT_FILE).rename(elsewhere)
    code, out, _ = run(capsys, "load", str(unit), "--layout", str(elsewhere), "--json")
    assert code == 0
    assert json.loads(out)["layout"] == str(elsewhere)
    assert json.loads(out)["totals"]["records_stored"] == 10


def test_the_guides_example_layout_loads(
    capsys: pytest.CaptureFixture[str], world: Path, tmp_path: Path
) -> None:
    """docs/loading.md's layout, on a folder laid out as the guide shows, is valid."""
    guide = (Path(__file__).parents[2] / "docs" / "loading.md").read_text("utf-8")
    example = guide.split("```toml file=delivery/threadline-layout.toml\n")[1].split("```")[0]
    delivery = tmp_path / "delivery"
    copies = {
        FIXTURES / "cases.ftm.jsonl": "cases/2024.ftm.jsonl",
        FIXTURES / "suspects.csv": "cases/suspects.csv",
        FIXTURES / "suspects.mapping.yml": "cases/suspects.mapping.yml",
        next((world / "notices" / "red").glob("*.json")): "notices/red/a.json",
        next((world / "notices" / "yellow").glob("*.json")): "notices/yellow/a.json",
        world / "travel_documents.csv": "sltd/stolen-lost.csv",
        next((world / "manifests").glob("*.edi")): "manifests/a.edi",
        world / "ads.jsonl": "ads/2025-03.jsonl",
        world / "cases" / "NG.ftm.jsonl": "partners/oslo/2024.ftm.jsonl",
    }
    for source, target in copies.items():
        (delivery / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, delivery / target)
    (delivery / LAYOUT_FILE).write_text(example, encoding="utf-8")
    code, out, err = run(capsys, "load", str(delivery), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert [c["name"] for c in summary["collections"]] == [
        "cases-se",
        "interpol-red",
        "interpol-yellow",
        "sltd",
        "manifests",
        "ads",
        "cases-oslo",
    ]
    assert summary["agencies_registered"] == ["NCB Oslo"]
    assert summary["totals"]["files"] == len(copies) - 1  # the mapping is no data file


def test_another_agencys_hidden_collection_is_refused_without_naming_its_owner(
    capsys: pytest.CaptureFixture[str], unit: Path
) -> None:
    assert run(capsys, "agencies", "create", "NCB Oslo", "--country", "NO")[0] == 0
    create = ["collections", "create", "cases", "--agency", "NCB Oslo", "--country", "NO"]
    assert run(capsys, *create)[0] == 0
    before = rows()
    code, _, err = run(capsys, "load", str(unit))
    assert code == 2
    assert err == (
        f"threadline: error: {unit / LAYOUT_FILE}: collection 'cases': exists and belongs to "
        "another agency: only its owner adds data to it or changes it, so load it as one of "
        "its owner's users\n"
    )
    assert rows() == before

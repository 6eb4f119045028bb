"""``threadline network`` as a user runs it: JSON, exports re-read by other tools, errors."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import orjson
import pytest

from threadline.cli.main import main
from threadline.settings import configure
from threadline.store import open_store

from .test_graph_files import assert_valid
from .world import A_MEMBERS, B_MEMBERS, load_world

PURPOSE = ["--purpose", "investigation", "--reference", "CASE-NET-1"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """A command with a stated purpose (network views read person data)."""
    return bare(capsys, *PURPOSE, *args)


def bare(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def built(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """The world in the command line's store, built; network ids by first member."""
    configure(default_agency="unit", default_country="SE")  # the world's owning agency
    store = open_store()
    load_world(store)
    store.close()
    code, out, _ = run(capsys, "network", "build", "--json")
    assert code == 0
    # The platform's own view sees the other agency's record joining A and B: one network.
    assert orjson.loads(out)["networks"] == 1
    _code, out, _ = run(capsys, "network", "list", "--json")
    listed = orjson.loads(out)
    by_members = {frozenset(n["members"]): n["id"] for n in listed}
    return {"A": by_members[frozenset(A_MEMBERS)], "B": by_members[frozenset(B_MEMBERS)]}


def test_list_json_shape(capsys: pytest.CaptureFixture[str], built: dict[str, str]) -> None:
    code, out, _ = run(capsys, "network", "list", "--json")
    assert code == 0
    listed = orjson.loads(out)
    assert sorted(set(n["members"]) for n in listed) == sorted([A_MEMBERS, B_MEMBERS])
    assert set(listed[0]) == {"id", "size", "countries", "members", "risk"}
    assert next(n for n in listed if n["id"] == built["B"])["countries"] == ["ES", "FR"]
    code, out, _ = run(capsys, "network", "list")
    assert built["A"] in out


def test_list_is_riskiest_first_and_filters(
    capsys: pytest.CaptureFixture[str], built: dict[str, str]
) -> None:
    _code, out, _ = run(capsys, "network", "list", "--json")
    listed = orjson.loads(out)
    keys = [(-n["risk"], -n["size"], n["id"]) for n in listed]
    assert keys == sorted(keys)
    biggest = max(n["size"] for n in listed)
    _code, out, _ = run(capsys, "network", "list", "--json", "--min-size", str(biggest))
    assert {n["size"] for n in orjson.loads(out)} == {biggest}
    top = listed[0]["risk"]
    _code, out, _ = run(capsys, "network", "list", "--json", "--min-risk", str(top))
    assert orjson.loads(out) and all(n["risk"] >= top for n in orjson.loads(out))
    code, out, _ = run(capsys, "network", "list", "--limit", "1")
    assert code == 0 and f"1 of {len(listed)} networks shown" in out
    code, _out, err = run(capsys, "network", "list", "--min-risk", "1.5")
    assert code == 2 and "--min-risk" in err


def test_show_and_path_for_people(
    capsys: pytest.CaptureFixture[str], built: dict[str, str]
) -> None:
    code, out, _ = run(capsys, "network", "show", built["A"])
    assert code == 0
    assert "route RO → HU → SE: 2 trips, 2 travellers, 2025-02-01 to 2025-02-03" in out
    code, out, _ = run(capsys, "network", "path", "pA2", "pA3", "--time-ordered")
    assert code == 0
    assert out.splitlines()[0] == "3 hops:"
    assert "Ion Pop -[Associate]- Mihai Ionescu (2025-01-16)" in out


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_are_read_by_networkx(
    capsys: pytest.CaptureFixture[str], built: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"a.{fmt}"
    code, _, err = run(
        capsys, "network", "export", built["A"], "--format", fmt, "--out", str(target)
    )
    assert code == 0
    assert f"Wrote {target}" in err
    assert_valid(fmt, target.read_text(encoding="utf-8"))
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target, version="1.3")
    entities = {n for n, d in graph.nodes(data=True) if d["kind"] == "entity"}
    assert entities == A_MEMBERS
    assert graph.nodes["pA3"]["label"] == "Mihai Ionescu"
    kinds = {d["kind"] for _a, _b, d in graph.edges(data=True)}
    assert {"payment", "relation", "property", "selector", "persona"} <= kinds


def test_ftm_export_reimports(
    capsys: pytest.CaptureFixture[str], built: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "b.ftm.jsonl"
    code, _, _ = run(capsys, "network", "export", built["B"], "-f", "ftm", "--out", str(target))
    assert code == 0
    code, out, _ = run(capsys, "ingest", str(target), "-c", "reimport", "--json")
    assert code == 0
    job = orjson.loads(out)
    assert (job["read"], job["stored"], job["rejected"]) == (len(B_MEMBERS), len(B_MEMBERS), 0)


def test_csv_export_has_nodes_and_edges(
    capsys: pytest.CaptureFixture[str], built: dict[str, str], tmp_path: Path
) -> None:
    code, _, _ = run(
        capsys, "network", "export", built["B"], "-f", "csv", "-o", str(tmp_path / "b")
    )
    assert code == 0
    nodes = (tmp_path / "b.nodes.csv").read_text(encoding="utf-8").splitlines()
    edges = (tmp_path / "b.edges.csv").read_text(encoding="utf-8").splitlines()
    assert nodes[0] == "id,label,kind,schema,countries"
    assert edges[0] == "source,target,kind,label,date"
    assert "pB1,pB2,relation,Family," in edges


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["network", "show", "net-0000000000"], "no network with id 'net-0000000000'"),
        (["network", "path", "pA1", "ghost"], "no entity with id 'ghost'"),
        (["network", "expand", "pH"], "no entity with id 'pH'"),  # hidden = unknown
        (["network", "expand", "pA1", "--hops", "9"], "--hops must be between 1 and 6"),
        (["network", "export", "x", "--format", "pdf"], "unknown export format 'pdf'"),
    ],
)
def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], built: dict[str, str], args: list[str], message: str
) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("threadline: error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_victims_show_by_pseudonym_and_are_not_ranked(
    capsys: pytest.CaptureFixture[str], built: dict[str, str]
) -> None:
    from threadline.governance import Actor, Role
    from threadline.victims import build_intake, create_victim

    liaison = Actor("liaison", "unit", "SE", frozenset({Role.VICTIM_LIAISON})).for_purpose(
        "victim_identification"
    )
    intake = build_intake(
        identified_on="2025-03-01",
        identified_how="border",
        identified_country="SE",
        personal={"name": "Elena Marin"},
        entity_ids=["v1"],
    )
    store = open_store()
    with store.begin() as conn:
        pseudonym = create_victim(conn, liaison, intake).pseudonym
    store.close()
    code, out, _ = run(capsys, "network", "show", built["A"])
    assert code == 0
    assert "possible victims (1; never ranked as key actors)" in out
    # Her entity id is never shown to the console operator, so asking by it finds nothing.
    code, _, err = run(capsys, "network", "path", "pA3", "v1")
    assert code == 2 and "no entity with id 'v1'" in err
    code, near, _ = run(capsys, "network", "show", built["A"], "--json")
    assert code == 0
    assert pseudonym in near
    code, exported, _ = run(capsys, "network", "export", built["A"], "-f", "ftm")
    assert "Elena" not in out + near + exported
    assert '"v1"' not in near + exported
    assert pseudonym in exported


@pytest.mark.parametrize(
    "command",
    [["network", "list"], ["network", "show", "A"], ["network", "expand", "a1"]],
)
def test_network_views_need_a_purpose(
    built: dict[str, str], capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    args = [built.get(a, a) for a in command]
    code, out, err = bare(capsys, *args)
    assert code == 2
    assert out == ""
    assert "needs a purpose" in err

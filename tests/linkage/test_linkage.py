"""Entity resolution across agencies: scripts, partial dates, judgements, incremental runs."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from support.population import add, background, person
from threadline.cli.main import main
from threadline.governance import SYSTEM, Actor, Role
from threadline.linkage import LinkOptions, decide_pair, list_clusters, review_queue, run_linkage
from threadline.linkage.clusters import cluster_id
from threadline.store import Store
from threadline.store.findings import query_findings


def _together(store: Store, *ids: str) -> bool:
    for cluster in list_clusters(store, SYSTEM):
        members = {m["entity_id"] for m in cluster["members"]}
        if set(ids) <= members:
            return True
    return False


@pytest.fixture
def world(store: Store) -> Store:
    add(store, "registry", background())
    add(
        store,
        "ru-cases",
        [
            person(
                "ru1",
                "Мухаммад Алиев",
                "1990-05-04",
                "male",
                nationality="ru",
                passportNumber="AB1234567",
            )
        ],
    )
    add(
        store,
        "de-cases",
        [
            person("de1", "Mohammed Aliev", "1990", "male", nationality="ru"),
            person("de2", "Svetlana Orlova", "1988-03", "female"),
        ],
    )
    add(
        store,
        "fr-cases",
        [
            person("fr1", "ORLOVA Svetlana", "1988-03-17", "female"),
            person("fr2", "Muhammad Aliev", "1971-11-30", "male"),  # same name, another man
        ],
    )
    return store


def test_cross_script_and_partial_dates_link(world: Store) -> None:
    result = run_linkage(world, SYSTEM)
    assert result.mode == "full" and result.records == 305
    assert _together(world, "ru1", "de1")  # Cyrillic vs Latin, full date vs year only
    assert _together(world, "de2", "fr1")  # swapped order, month vs full date
    assert not _together(world, "ru1", "fr2")  # namesake with another birth date


def test_link_explanation_is_a_waterfall(world: Store) -> None:
    run_linkage(world, SYSTEM)

    with world.connect() as conn:
        (link,) = query_findings(conn, "link", keys=["de1|ru1"])
    steps = {item["comparison"]: item for item in link.explanation}
    assert steps["prior"]["log2_weight"] < 0
    assert steps["dob"]["level"] == "same year, a month unknown"
    assert steps["first_name"]["level"] == "same first name"
    assert steps["last_name"]["level"] == "same last name"
    total = sum(
        item["log2_weight"] + item.get("tf_adjustment_log2_weight", 0.0)
        for item in link.explanation
    )
    assert total == pytest.approx(link.data["match_weight"], abs=0.01)


def test_judgements_override_model_and_survive_reruns(world: Store) -> None:
    run_linkage(world, SYSTEM)
    decide_pair(world, SYSTEM, "ru1", "de1", "different", "different fathers' names")
    decide_pair(world, SYSTEM, "fr2", "de1", "same", "same fingerprints")
    assert not _together(world, "ru1", "de1")
    assert _together(world, "fr2", "de1")
    run_linkage(world, SYSTEM, options=LinkOptions(retrain=True))
    assert not _together(world, "ru1", "de1")
    assert _together(world, "fr2", "de1")
    queue = {(p["left_id"], p["right_id"]) for p in review_queue(world, SYSTEM, limit=500)}
    assert ("de1", "ru1") not in queue


def test_incremental_run_scores_only_new_records(world: Store) -> None:
    first = run_linkage(world, SYSTEM)
    add(world, "es-cases", [person("es1", "Svetlana Orlova", "1988-03-17", "female")])
    second = run_linkage(world, SYSTEM)
    assert second.mode == "incremental" and second.model_id == first.model_id
    assert second.scored == 1
    assert _together(world, "de2", "fr1", "es1")
    assert _together(world, "ru1", "de1")  # earlier links kept


def test_cli_run_decide_clusters(world: Store, capsys: pytest.CaptureFixture[str]) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as info:
            main(list(args))
        out, err = capsys.readouterr()
        return int(info.value.code or 0), out, err

    # Clusters and the review queue show people: they are read for a purpose.
    case = ("--purpose", "investigation", "--reference", "CASE-LINK-1")
    code, out, _ = run("link", "run", "--json")
    assert code == 0 and orjson.loads(out)["clusters"] >= 2
    code, _, err = run("link", "clusters", "--json")
    assert code == 2 and "needs a purpose" in err
    code, out, _ = run("link", "clusters", "--json", *case)
    clusters = orjson.loads(out)
    members = [m for c in clusters for m in c["members"] if m["entity_id"] == "ru1"]
    assert members == [
        {
            "entity_id": "ru1",
            "collection": "ru-cases",
            "source_id": "src-ru1",
            "caption": "Мухаммад Алиев",
            "schema": "Person",
        }
    ]
    code, out, _ = run("link", "clusters", *case)
    assert "Мухаммад Алиев (Person, ru-cases) ru1" in out
    code, _, err = run("link", "decide", "ru1", "de1", "maybe")
    assert code == 2 and "unknown judgement 'maybe'" in err
    code, out, _ = run("link", "decide", "ru1", "de1", "different", "--reason", "checked")
    assert code == 0
    code, out, _ = run(*case, "link", "clusters", "--json")  # or as root options
    assert not any(
        {"ru1", "de1"} <= {m["entity_id"] for m in c["members"]} for c in orjson.loads(out)
    )
    code, out, _ = run("link", "review", "--json", *case)
    assert code == 0 and isinstance(orjson.loads(out), list)


def test_review_pairs_name_both_sides(world: Store) -> None:
    """Each side of a pair to review: caption, schema and collections next to its id, and
    the compared values as the person reads them."""
    from threadline.cli.link import _side, _values

    run_linkage(world, SYSTEM)
    queue = review_queue(world, SYSTEM, limit=500, high=1.01)  # every link, certain or not
    assert queue
    for pair in queue:
        for side in ("left", "right"):
            about = pair[f"{side}_entity"]
            assert about["schema"] == "Person" and about["caption"] and about["collections"]
    pair = next(p for p in queue if {p["left_id"], p["right_id"]} == {"de2", "fr1"})
    sides = {_side(pair, "left"), _side(pair, "right")}
    assert sides == {
        "Svetlana Orlova (Person, de-cases) de2",
        "ORLOVA Svetlana (Person, fr-cases) fr1",
    }
    steps = {c["comparison"]: c for c in pair["comparisons"]}
    assert "ORLOVA" in _values(steps["last_name"]).upper() and " / " in _values(steps["dob"])


def test_link_only_scores_no_pair_within_a_collection(world: Store) -> None:
    from threadline.store.findings import query_findings

    add(world, "de-cases", [person("de3", "Svetlana Orlova", "1988-03-17", "female")])
    run_linkage(world, SYSTEM, options=LinkOptions(link_only=True))
    with world.connect() as conn:
        keys = {f.key for f in query_findings(conn, "link")}
    assert "de3|fr1" in keys and "de2|fr1" in keys  # across collections
    assert "de2|de3" not in keys  # same collection: never compared
    run_linkage(world, SYSTEM, options=LinkOptions(retrain=True))
    with world.connect() as conn:
        assert query_findings(conn, "link", keys=["de2|de3"])  # dedupe compares them


def _oriented(row: dict[str, Any]) -> dict[str, Any]:
    """A predicted pair with the smaller entity id on the left (``_l``)."""
    if row["unique_id_l"] < row["unique_id_r"]:
        return row
    out: dict[str, Any] = {}
    for key, value in row.items():
        side = key[-2:]
        out[key[:-2] + {"_l": "_r", "_r": "_l"}.get(side, side)] = value
    return out


def test_links_built_in_sql_carry_the_python_waterfall(world: Store) -> None:
    """Links are made in one DuckDB query; each must be the waterfall contributions() makes."""
    import duckdb
    from splink import DuckDBAPI, Linker

    from threadline.linkage.model import settings_for
    from threadline.linkage.predict import contributions, level_labels, link_rows_sql
    from threadline.linkage.records import prepare_records
    from threadline.store.collections import list_collections

    with world.connect() as conn:
        records = prepare_records(conn, [c.id for c in list_collections(conn) if c.id])
    api = DuckDBAPI()
    linker = Linker(api.register(records), settings_for("duckdb", None))
    settings = linker.misc.save_model_to_json()
    predicted = linker.inference.predict(threshold_match_probability=0.001).as_pyarrow_table()
    db = duckdb.connect()
    db.register("pred", predicted)
    built = db.execute(link_rows_sql(settings, predicted.column_names, model_id=7)).fetchall()
    assert len(built) == predicted.num_rows > 0
    labels = level_labels(settings)
    prior = float(settings["probability_two_random_records_match"])
    expected = {}
    for raw in predicted.to_pylist():
        row = _oriented(raw)
        expected[f"{row['unique_id_l']}|{row['unique_id_r']}"] = (
            row,
            contributions(row, labels, prior),
        )
    for key, subject, related, collection_id, _other, score, explanation, data in built:
        row, steps = expected[key]
        assert key == f"{subject}|{related}" and subject < related
        assert collection_id == row["collection_id_l"] and score == row["match_probability"]
        made = orjson.loads(explanation)
        assert [list(step) for step in made] == [list(step) for step in steps]  # keys, in order
        for step, want in zip(made, steps, strict=True):
            for name, value in want.items():
                if isinstance(value, float):
                    assert step[name] == pytest.approx(value, rel=1e-9, abs=1e-4), (key, name)
                else:
                    assert step[name] == value, (key, name)
        assert orjson.loads(data) == {
            "match_weight": pytest.approx(row["match_weight"], abs=1e-4),
            "left": {"collection": row["collection_l"], "source_id": row["source_id_l"]},
            "right": {"collection": row["collection_r"], "source_id": row["source_id_r"]},
            "model_id": 7,
        }


def test_namesakes_born_a_few_years_or_months_apart_stay_apart(store: Store) -> None:
    """Same names and nationality; the birth dates two digits apart, or in the same year.

    Typing slips of two digits in one date are rare in true matches; the model keeps
    these levels as evidence against a match whatever training estimates."""
    from threadline.linkage import model as link_model

    add(store, "registry", background())
    add(
        store,
        "eg-cases",
        [
            person("eg1", "Brahim Nacer", "2005-07-18", "male", nationality="eg"),
            person("eg2", "Amira Saleh", "1999-02-03", "female", nationality="eg"),
        ],
    )
    add(
        store,
        "fr-cases",
        [
            person("fr1", "Brahim Nacer", "2008-07-15", "male", nationality="eg"),
            person("fr2", "Amira Saleh", "1999-09-21", "female", nationality="eg"),
            person("fr3", "Brahim Nacer", "2005-07-18", "male", nationality="eg"),
        ],
    )
    run_linkage(store, SYSTEM, options=LinkOptions(min_training_records=10))
    assert _together(store, "eg1", "fr3")
    assert not _together(store, "eg1", "fr1")
    assert not _together(store, "eg2", "fr2")
    settings = link_model.settings_for("duckdb", None)
    dob = next(c for c in settings["comparisons"] if c["output_column_name"] == "dob")
    fixed = {
        level["label_for_charts"]
        for level in dob["comparison_levels"]
        if level.get("fix_m_probability")
    }
    assert fixed == {"two digits differ", "same year, other month or day"}
    nationality = next(
        c for c in settings["comparisons"] if c["output_column_name"] == "nationality"
    )
    shared = [lvl for lvl in nationality["comparison_levels"] if lvl.get("fix_u_probability")]
    assert [lvl["label_for_charts"] for lvl in shared] == ["a nationality shared"]


def test_duckdb_spills_to_the_temporary_folder_not_the_working_one() -> None:
    import os
    import tempfile

    from threadline.linkage.backends import database_api, duckdb_connection

    expected = os.path.join(tempfile.gettempdir(), "threadline-duckdb")
    db = duckdb_connection()
    assert db.execute("SELECT current_setting('temp_directory')").fetchone()[0] == expected
    api = database_api("duckdb")
    found = api._execute_sql_against_backend("SELECT current_setting('temp_directory')")
    assert found.fetchone()[0] == expected


def _cluster_of(store: Store, entity_id: str, actor: Actor = SYSTEM) -> dict[str, Any]:
    for cluster in list_clusters(store, actor):
        if entity_id in {m["entity_id"] for m in cluster["members"]}:
            return cluster
    raise AssertionError(f"{entity_id} is in no cluster")


def _ids(cluster: dict[str, Any]) -> set[str]:
    return {m["entity_id"] for m in cluster["members"]}


def test_a_grown_cluster_keeps_its_id(world: Store) -> None:
    run_linkage(world, SYSTEM)
    before = _cluster_of(world, "de2")
    assert _ids(before) == {"de2", "fr1"}
    # A new record of her joins, with an id that sorts before every member's.
    add(world, "es-cases", [person("aa1", "Svetlana Orlova", "1988-03-17", "female")])
    run_linkage(world, SYSTEM)
    after = _cluster_of(world, "aa1")
    assert _ids(after) == {"aa1", "de2", "fr1"}
    assert after["cluster_id"] == before["cluster_id"]
    assert after["change"] == "grew"
    assert after["since_run"] == before["since_run"]
    assert _cluster_of(world, "ru1")["change"] == "unchanged"


def test_a_judged_merge_keeps_one_id_and_undoing_it_gives_both_back(
    world: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    run_linkage(world, SYSTEM)
    orlova, aliev = _cluster_of(world, "de2"), _cluster_of(world, "ru1")
    decide_pair(world, SYSTEM, "de2", "ru1", "same", "one person, two identities")
    merged = _cluster_of(world, "de2")
    assert _ids(merged) == _ids(orlova) | _ids(aliev)
    # Two clusters of two, given at one run: the smaller id is kept, the other recorded.
    kept, gone = sorted((orlova["cluster_id"], aliev["cluster_id"]))
    assert (merged["cluster_id"], merged["change"], merged["merged_from"]) == (
        kept,
        "merged",
        [gone],
    )
    decide_pair(world, SYSTEM, "de2", "ru1", "different", "checked again")
    assert _cluster_of(world, "de2")["cluster_id"] == orlova["cluster_id"]
    assert _cluster_of(world, "ru1")["cluster_id"] == aliev["cluster_id"]
    case = ["--purpose", "investigation", "--reference", "CASE-LINK-2"]
    with pytest.raises(SystemExit):
        main(["link", "clusters", "--json", *case])
    shown = {c["cluster_id"]: c for c in orjson.loads(capsys.readouterr().out)}
    assert shown[gone]["split_from"] == [kept] and shown[gone]["change"] == "split"
    assert shown[kept]["split_into"] == [gone] and "merged_from" not in shown[kept]
    assert "links" not in shown[kept]
    with pytest.raises(SystemExit):
        main(["link", "clusters", *case])
    out = capsys.readouterr().out
    assert f"{kept}: 2 records (split at the last run; split into {gone})" in out
    assert f"{gone}: 2 records (split at the last run; split from {kept})" in out


def test_each_agency_keeps_its_own_cluster_ids(world: Store) -> None:
    a, b = (
        Actor(f"{side}-analyst", f"Agency {side}", country, frozenset({Role.ANALYST})).for_purpose(
            "investigation", "CASE-1"
        )
        for side, country in (("A", "SE"), ("B", "FR"))
    )
    run_linkage(world, a)
    first = _cluster_of(world, "de2", a)
    add(world, "es-cases", [person("aa1", "Svetlana Orlova", "1988-03-17", "female")])
    run_linkage(world, a)
    run_linkage(world, b)  # B's first run: it follows no earlier clusters, A's least of all
    mine, theirs = _cluster_of(world, "aa1", a), _cluster_of(world, "aa1", b)
    assert _ids(mine) == _ids(theirs) == {"aa1", "de2", "fr1"}
    assert mine["cluster_id"] == first["cluster_id"] and mine["change"] == "grew"
    assert theirs["cluster_id"] == cluster_id(["aa1"]) != mine["cluster_id"]
    assert theirs["change"] == "new"
    with world.connect() as conn:
        stored = query_findings(conn, "link_cluster", keys=[mine["cluster_id"]])
    assert [(f.agency, f.data["change"]) for f in stored] == [("Agency A", "grew")]
    run_linkage(world, b)
    again = _cluster_of(world, "aa1", b)
    assert (again["cluster_id"], again["change"]) == (theirs["cluster_id"], "unchanged")
    assert _cluster_of(world, "aa1", a) == mine

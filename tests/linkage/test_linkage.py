"""Entity resolution across agencies: scripts, partial dates, judgements, incremental runs."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
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
    from threadline.linkage.predict import (
        contributions,
        corroborated,
        level_labels,
        link_rows_sql,
    )
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
            "corroborated": corroborated(None, steps),  # the SQL flag is the waterfall's
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


def _date_variants(rnd: random.Random, base: date) -> list[date]:
    """Valid dates a few digits away from ``base``: every one-digit change, some two-digit
    changes, and every digit left out in one place and one added in another."""
    digits = base.strftime("%Y%m%d")
    texts = {digits[:i] + c + digits[i + 1 :] for i in range(8) for c in "0123456789"}
    for _ in range(300):
        i, j = rnd.sample(range(8), 2)
        text = list(digits)
        text[i], text[j] = rnd.choice("0123456789"), rnd.choice("0123456789")
        texts.add("".join(text))
    for i in range(8):
        left_out = digits[:i] + digits[i + 1 :]
        texts.update(left_out[:j] + c + left_out[j:] for j in range(8) for c in "0123456789")
    found = []
    for text in texts:
        with contextlib.suppress(ValueError):
            found.append(date(int(text[:4]), int(text[4:6]), int(text[6:])))
    return found


def test_birth_date_slip_levels_give_every_pair_the_level_levenshtein_gives() -> None:
    """The one- and two-digit levels check which of year, month and day agree before they
    work out the distance (a few random pairs in a hundred need it, not all). On dates as
    records write them (YYYY-MM-DD) that changes no pair's level: dates one and two
    digits apart, a digit moved along, and random dates."""
    import duckdb
    import pyarrow as pa

    from threadline.linkage.model import settings_for

    rnd = random.Random(5)
    pairs: list[tuple[date, date]] = []
    for _ in range(25):
        base = date(1900, 1, 1) + timedelta(days=rnd.randrange(45_000))
        pairs += [(base, other) for other in _date_variants(rnd, base)]
    days = [date(1900, 1, 1) + timedelta(days=rnd.randrange(45_000)) for _ in range(200)]
    pairs += [(a, b) for a in days[:100] for b in days[100:]]
    columns: dict[str, list[Any]] = {}
    for side, index in (("l", 0), ("r", 1)):
        chosen = [pair[index] for pair in pairs]
        columns[f"dob_{side}"] = [str(d) for d in chosen]
        for part in ("year", "month", "day"):
            columns[f"dob_{part}_{side}"] = [getattr(d, part) for d in chosen]
    db = duckdb.connect()
    db.register("pairs", pa.table(columns))
    dob = next(
        c for c in settings_for("duckdb", None)["comparisons"] if c["output_column_name"] == "dob"
    )
    levels = {lv["label_for_charts"]: lv["sql_condition"] for lv in dob["comparison_levels"]}
    for label, distance in (("one digit differs", 1), ("two digits differ", 2)):
        level = levels[label]
        assert "levenshtein" in level and level != f"levenshtein(dob_l, dob_r) <= {distance}"
        query = (
            f"SELECT count(*) FILTER (WHERE levenshtein(dob_l, dob_r) <= {distance}), "
            f"count(*) FILTER (WHERE ({level}) IS DISTINCT FROM "
            f"(levenshtein(dob_l, dob_r) <= {distance})) FROM pairs"
        )
        within, differ = db.execute(query).fetchone()
        assert within > 1000 and differ == 0, (label, within, differ)


def _one_edit_away(rnd: random.Random, text: str, letters: str) -> list[str]:
    """Every value one letter changed, added or left out (letters drawn from ``letters``)."""
    out = [text[:i] + text[i + 1 :] for i in range(len(text))]
    for i in range(len(text) + 1):
        out.append(text[:i] + rnd.choice(letters) + text[i:])
        if i < len(text):
            out.append(text[:i] + rnd.choice(letters) + text[i + 1 :])
    return out


def test_one_letter_levels_give_every_pair_the_level_levenshtein_gives() -> None:
    """The one-letter levels of names and document numbers check the lengths and the halves
    of the values before they work out the distance on DuckDB (Spark works it out
    directly). That changes no pair's level: values one edit apart in any script, values
    two apart, unrelated values, empty and missing ones."""
    import duckdb
    import pyarrow as pa
    from splink.internals.dialects import SplinkDialect

    from threadline.linkage.model import OneEditLevel, settings_for

    rnd = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789éßøçжыдあ日本"
    values = ["", "a", "é", "日", "ab"]
    values += ["".join(rnd.choice(letters) for _ in range(rnd.randint(1, 12))) for _ in range(300)]
    pairs: list[tuple[str | None, str | None]] = [(None, "a"), ("a", None), (None, None)]
    for value in values:
        near = _one_edit_away(rnd, value, letters)
        pairs += [(value, other) for other in near]
        pairs += [
            (value, other) for other in _one_edit_away(rnd, rnd.choice(near or [value]), letters)
        ]
        pairs += [(value, rnd.choice(values)) for _ in range(20)]
    db = duckdb.connect()
    db.register("pairs", pa.table({"v_l": [a for a, _ in pairs], "v_r": [b for _, b in pairs]}))
    guarded = OneEditLevel("v").create_sql(SplinkDialect.from_string("duckdb"))
    assert "prefix(" in guarded
    query = (
        "SELECT count(*) FILTER (WHERE levenshtein(v_l, v_r) <= 1), "
        f"count(*) FILTER (WHERE coalesce(({guarded}), false) "
        "<> coalesce(levenshtein(v_l, v_r) <= 1, false)) FROM pairs"
    )
    within, differ = db.execute(query).fetchone()
    assert within > 5000 and differ == 0, (within, differ)
    for dialect, guard in (("duckdb", True), ("spark", False)):
        comparisons = settings_for(dialect, None)["comparisons"]
        levels = [
            level["sql_condition"]
            for comparison in comparisons
            if comparison["output_column_name"] in {"first_name", "last_name", "documents"}
            for level in comparison["comparison_levels"]
            if "<= 1" in level["sql_condition"] and "levenshtein" in level["sql_condition"]
        ]
        assert len(levels) == 3 and all(("prefix(" in sql) == guard for sql in levels)


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


def _u_values(settings: dict[str, Any]) -> list[Any]:
    return [
        level.get("u_probability")
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
    ]


def test_u_is_sampled_in_one_pass_with_the_estimates_of_splinks_chunks(
    world: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Splink samples u in chunks so that it can stop once every level of a comparison has
    100 random pairs; most comparisons of this model have a level far rarer than that in a
    million pairs (names swapped, a shared document), so they never stopped and a probe and
    ten chunk queries did the work of one. One pass gives the estimates of all the chunks."""
    from logging import ERROR

    from splink import DuckDBAPI, Linker
    from splink.internals.linker_components.training import LinkerTraining

    from threadline.linkage.model import settings_for, train
    from threadline.linkage.records import prepare_records
    from threadline.store.collections import list_collections

    calls: list[dict[str, Any]] = []
    sample_u = LinkerTraining.estimate_u_using_random_sampling

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(kwargs)
        sample_u(self, *args, **kwargs)

    monkeypatch.setattr(LinkerTraining, "estimate_u_using_random_sampling", spy)
    run_linkage(world, SYSTEM, options=LinkOptions(min_training_records=10))
    assert [call.get("num_chunks") for call in calls] == [1]

    with world.connect() as conn:
        records = prepare_records(conn, [c.id for c in list_collections(conn) if c.id])
    linkers = [
        Linker(DuckDBAPI().register(records), settings_for("duckdb", None), log_level=ERROR)
        for _ in range(2)
    ]
    # in Splink's chunks, every one of them (no early stop)
    sample_u(linkers[0].training, max_pairs=1e6, seed=1, min_count_per_level=None)
    train(linkers[1])
    chunked, one = (_u_values(linker.misc.save_model_to_json()) for linker in linkers)
    assert len(one) == len(chunked) and any(u is not None for u in one)
    for got, want in zip(one, chunked, strict=True):
        assert got == (None if want is None else pytest.approx(want, rel=1e-9))


def test_a_run_that_trains_on_every_record_predicts_with_the_trained_linker(
    world: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every record is in the training sample the trained linker predicts: no second
    Linker (and its settings checks) is made, and the links are those a new linker made
    from the stored model predicts."""
    from splink import DuckDBAPI, Linker
    from splink.internals import linker as splink_linker

    from threadline.linkage.model import settings_for
    from threadline.linkage.records import prepare_records
    from threadline.linkage.scoring import stored_parameters
    from threadline.store.collections import list_collections

    made: list[int] = []
    init = splink_linker.Linker.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(splink_linker.Linker, "__init__", counted)
    options = LinkOptions(min_training_records=10)
    result = run_linkage(world, SYSTEM, options=options)
    assert result.trained in {"em", "partial"} and len(made) == 1
    monkeypatch.undo()

    with world.connect() as conn:
        stored = {f.key: f.score for f in query_findings(conn, "link", limit=100_000)}
        records = prepare_records(conn, [c.id for c in list_collections(conn) if c.id])
        parameters = stored_parameters(conn)
    fresh = Linker(DuckDBAPI().register(records), settings_for("duckdb", parameters))
    predicted = fresh.inference.predict(threshold_match_probability=options.review_floor)
    expected = {
        "|".join(sorted((row["unique_id_l"], row["unique_id_r"]))): row["match_probability"]
        for row in predicted.as_record_list()
    }
    assert stored and stored.keys() == expected.keys()
    for key, score in stored.items():
        assert score == pytest.approx(expected[key], rel=1e-9, abs=1e-12), key


def test_the_model_settings_pass_splinks_checks_on_the_record_table(
    world: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Runs skip Splink's settings checks (they only log, at a level runs hide); this test
    keeps them: every column a comparison or blocking rule names is a record column."""
    import logging

    from splink import DuckDBAPI, Linker

    from threadline.linkage.model import settings_for
    from threadline.linkage.records import prepare_records
    from threadline.store.collections import list_collections

    with world.connect() as conn:
        records = prepare_records(conn, [c.id for c in list_collections(conn) if c.id])
    for link_only in (False, True):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="splink"):
            Linker(
                DuckDBAPI().register(records),
                settings_for("duckdb", None, link_only=link_only),
                log_level=None,
                validate_settings=True,
            )
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_training_without_any_exact_duplicate_keeps_the_starting_prior(world: Store) -> None:
    """No two records share a full name and birth date or a document: Splink estimates
    the prior as 0 from such rules (a match weight of minus infinity), which made every
    prediction fail; the starting prior is kept instead. The EM session blocked on those
    keys has no pairs and fails; Splink had by then taken its blocking rule's comparisons
    out of the model and adjusted the prior (in place), and the model is kept whole."""
    from threadline.linkage.model import DEFAULT_PRIOR, settings_for
    from threadline.linkage.scoring import stored_parameters

    result = run_linkage(world, SYSTEM, options=LinkOptions(min_training_records=10))
    assert result.trained == "partial"
    with world.connect() as conn:
        parameters = stored_parameters(conn)
    assert parameters is not None and parameters.prior == DEFAULT_PRIOR
    names = [c["output_column_name"] for c in settings_for("duckdb", None)["comparisons"]]
    assert list(parameters.levels) == names
    assert _together(world, "de2", "fr1")


def test_arabic_script_links_to_its_romanisations_by_their_consonants(store: Store) -> None:
    """An Emirati case file keeps the Arabic script; a Russian one romanises the same woman
    with its own vowels and article. Her given name is a known name (one key); her family
    name is not, and only its consonants (m-s-r, the article aside) say it is the same. A
    namesake of the given name born the same day with another family name stays apart."""
    add(store, "registry", background())
    add(store, "ae-cases", [
        person("ae1", "أمل المصري", "1973-03-31", "female", nationality="ae",
               firstName="أمل", lastName="المصري"),
    ])  # fmt: skip
    add(store, "ru-cases", [
        person("ru1", "Amal Al-Masri", "1973-03-31", "female", nationality="ae",
               firstName="Amal", lastName="Al-Masri"),
        person("ru2", "Amal Haddad", "1973-03-31", "female", nationality="ae",
               firstName="Amal", lastName="Haddad"),
    ])  # fmt: skip
    run_linkage(store, SYSTEM)
    with store.connect() as conn:
        [link] = query_findings(conn, "link", keys=["ae1|ru1"])
    [last] = [s for s in link.explanation if s["comparison"] == "last_name"]
    assert last["level"] == "last name written alike without vowels"
    assert _together(store, "ae1", "ru1")
    assert not _together(store, "ae1", "ru2")

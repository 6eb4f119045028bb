"""A cluster never holds two records whose full birth dates say they are two people.

A notice that knows only the year 2012 links to a boy born 2012-01-01 and to another boy
of the same name born 2012-08-13: each link is right on its own, together they would
make one person of two, and through him join two networks.
"""

from __future__ import annotations

from threadline.linkage.backends import database_api
from threadline.linkage.clusters import Edge, Facts, build_clusters
from threadline.primitives.dates import parse_partial_date


def _births(**dates: str) -> dict[str, Facts]:
    parsed = {who: parse_partial_date(d) for who, d in dates.items()}
    return {who: Facts((d,)) for who, d in parsed.items() if d is not None}


def test_a_year_only_record_does_not_join_two_people_born_apart() -> None:
    edges = [
        Edge("notice", "boy-a", 0.97, "model"),
        Edge("notice", "boy-b", 0.91, "model"),
        Edge("boy-a", "boy-a-leg2", 0.99, "model"),
    ]
    births = _births(notice="2012", **{"boy-a": "2012-01-01", "boy-a-leg2": "2012-01-01",
                                       "boy-b": "2012-08-13"})  # fmt: skip
    clusters = build_clusters(database_api("duckdb"), edges, set(), births)
    assert sorted(c.members for c in clusters) == [["boy-a", "boy-a-leg2", "notice"]]
    [kept] = clusters
    [cut] = kept.finding({}).explanation[-1:]
    assert (cut["left"], cut["right"]) == ("notice", "boy-b")
    assert cut["via"] == ("cut: birth dates 2012-01-01 and 2012-08-13 differ beyond a typing slip")


def test_dates_a_typing_slip_apart_or_a_direct_link_stay_as_the_model_put_them() -> None:
    slip = [Edge("n", "a", 0.95, "model"), Edge("n", "b", 0.93, "model")]
    births = _births(n="1990", a="1990-05-03", b="1990-03-05")  # day and month swapped
    [one] = build_clusters(database_api("duckdb"), slip, set(), births)
    assert one.members == ["a", "b", "n"]
    direct = [Edge("a", "b", 0.95, "model")]  # a document, phone or address agreed too
    births = _births(a="1990-05-03", b="1971-11-20")
    [pair] = build_clusters(database_api("duckdb"), direct, set(), births)
    assert pair.members == ["a", "b"]  # the model weighed these two dates itself


def test_a_direct_link_of_names_alone_does_not_hold_two_birth_dates_together() -> None:
    """Two girls of one name and nationality born months apart in one year: the names
    outweigh the dates in the model, but nothing that identifies a person (a document,
    phone, e-mail or address) agrees, so two full dates beyond a typing slip win."""
    direct = [Edge("girl-a", "girl-b", 0.93, "model", corroborated=False)]
    births = _births(**{"girl-a": "2010-02-15", "girl-b": "2010-08-13"})
    assert build_clusters(database_api("duckdb"), direct, set(), births) == []
    # a year-only notice, a notice of the second girl and her own travel record
    edges = [
        Edge("girl-a", "notice-b", 0.93, "model", corroborated=False),
        Edge("girl-a", "notice-year", 0.999, "model", corroborated=False),
        Edge("girl-b", "notice-b", 0.99999, "model", corroborated=False),
        Edge("girl-b", "notice-year", 0.999, "model", corroborated=False),
        Edge("notice-b", "notice-year", 0.999, "model", corroborated=False),
    ]
    births = _births(**{"girl-a": "2010-02-15", "girl-b": "2010-08-13",
                        "notice-b": "2010-08-13", "notice-year": "2010"})  # fmt: skip
    clusters = build_clusters(database_api("duckdb"), edges, set(), births)
    assert not any({"girl-a", "girl-b"} <= set(c.members) for c in clusters)
    assert [c.members for c in clusters] == [["girl-b", "notice-b", "notice-year"]]
    reasons = [e["via"] for e in clusters[0].finding({}).explanation if "cut" in e["via"]]
    assert reasons and all(
        r == "cut: birth dates 2010-02-15 and 2010-08-13 differ beyond a typing slip, "
        "and nothing but name, sex and nationality links them"
        for r in reasons
    )


def test_a_link_run_keeps_namesakes_born_apart_out_of_one_cluster(store: object) -> None:
    """Through ``link run``: the notice (year only) joins the boy it is about, not the
    other boy of his name born the same year; the cut says why."""
    from support.population import add, background, person
    from threadline.governance import SYSTEM
    from threadline.linkage import list_clusters, run_linkage
    from threadline.store import Store

    assert isinstance(store, Store)
    add(store, "registry", background())
    add(store, "notices", [person("notice", "Arnel Mark Villanueva", "2012", "male",
                                  nationality="ph")])  # fmt: skip
    add(store, "manifests", [
        person("boy-a", "ARNEL MARK VILLANUEVA", "2012-01-01", "male", nationality="ph",
               passportNumber="FZ5400001"),
        person("boy-a-leg2", "ARNEL MARK VILLANUEVA", "2012-01-01", "male", nationality="ph",
               passportNumber="FZ5400001"),
        person("boy-b", "ARNEL VILLANUEVA", "2012-08-13", "male", nationality="ph",
               passportNumber="LN5400002"),
    ])  # fmt: skip
    run_linkage(store, SYSTEM)
    groups = [{m["entity_id"] for m in c["members"]} for c in list_clusters(store, SYSTEM)]
    assert not any({"boy-a", "boy-b"} <= g for g in groups), groups
    assert any({"boy-a", "boy-a-leg2"} <= g for g in groups), groups


def test_a_group_an_analyst_judged_one_person_keeps_its_dates_apart() -> None:
    """One person, two identities (two birth dates): the analyst's judgement holds the
    group, and the records of each identity stay with it."""
    edges = [
        Edge("alias-1", "alias-2", 1.0, "judgement"),
        Edge("alias-2", "alias-2b", 0.93, "model"),
    ]
    births = _births(**{"alias-1": "1990-05-04", "alias-2": "1988-03",
                        "alias-2b": "1988-03-17"})  # fmt: skip
    [one] = build_clusters(database_api("duckdb"), edges, set(), births)
    assert one.members == ["alias-1", "alias-2", "alias-2b"]


def test_records_sharing_an_identity_number_stay_together_whatever_their_dates() -> None:
    """A passport number in common says one person: a birth date corrupted on one record
    does not split them."""
    edges = [Edge("n", "a", 0.95, "model"), Edge("n", "b", 0.93, "model")]
    facts = {
        "n": Facts(),
        "a": Facts(_births(a="1985-04-12")["a"].births, frozenset({"X1234567"})),
        "b": Facts(_births(b="1958-09-30")["b"].births, frozenset({"X1234567"})),
    }
    [one] = build_clusters(database_api("duckdb"), edges, set(), facts)
    assert one.members == ["a", "b", "n"]


def test_two_copies_each_a_slip_from_a_third_record_stay_with_it() -> None:
    """1985-04-12 and 1985-04-21 (transposed) and 1985-07-12 (one digit): each copy is one
    slip from the first record, so all three may be one person."""
    edges = [
        Edge("first", "copy-1", 0.97, "model"),
        Edge("first", "copy-2", 0.96, "model"),
        Edge("copy-2", "fourth", 0.9, "model"),
    ]
    births = _births(first="1985-04-12", **{"copy-1": "1985-04-21", "copy-2": "1985-07-12"})
    [one] = build_clusters(database_api("duckdb"), edges, set(), births)
    assert one.members == ["copy-1", "copy-2", "first", "fourth"]


def test_a_link_run_records_whether_identifying_evidence_corroborates_a_link(
    store: object,
) -> None:
    """Each stored link says whether a document, phone, e-mail or address agreed; two
    girls of one name born months apart, with nothing else in common, are not clustered."""
    from support.population import add, background, person
    from threadline.governance import SYSTEM
    from threadline.linkage import list_clusters, run_linkage
    from threadline.linkage.predict import LINK
    from threadline.linkage.service import LinkOptions
    from threadline.store import Store
    from threadline.store.findings import query_findings

    assert isinstance(store, Store)
    add(store, "registry", background())
    add(store, "manifests", [
        person("girl-a", "MARY GRACE RAMOS", "2010-02-15", "female", nationality="ph",
               passportNumber="CP6876478"),
        person("girl-b", "MARY GRACE RAMOS", "2010-08-13", "female", nationality="ph",
               passportNumber="LN5400002"),
        person("man-a", "JONAS BERG", "1981-04-02", "male", nationality="se",
               phone="+46701740605"),
    ])  # fmt: skip
    add(store, "cases", [
        person("man-b", "Jonas Berg", "1981-04-02", "male", nationality="se",
               phone="+46701740605"),
    ])  # fmt: skip
    # a threshold low enough for the names alone to link the girls in this small store
    run_linkage(store, SYSTEM, options=LinkOptions(threshold=0.2))
    with store.connect() as conn:
        links = {(f.subject_id, f.related_id): f for f in query_findings(conn, LINK)}
    assert links[("girl-a", "girl-b")].score >= 0.2
    assert links[("girl-a", "girl-b")].data["corroborated"] is False
    assert links[("man-a", "man-b")].data["corroborated"] is True
    groups = [{m["entity_id"] for m in c["members"]} for c in list_clusters(store, SYSTEM)]
    assert not any({"girl-a", "girl-b"} <= g for g in groups), groups
    assert any({"man-a", "man-b"} <= g for g in groups), groups
    # links stored before they carried the flag: reclustering reads it off their waterfalls
    from sqlalchemy import update

    from threadline.linkage.service import RUN_KIND, recluster
    from threadline.store.findings import list_runs
    from threadline.store.tables import finding as t_finding

    with store.begin() as conn:
        for (left, right), link in links.items():
            data = {k: v for k, v in link.data.items() if k != "corroborated"}
            conn.execute(
                update(t_finding)
                .where(t_finding.c.kind == LINK, t_finding.c.key == f"{left}|{right}")
                .values(data=data)
            )
        recluster(conn, list_runs(conn, kind=RUN_KIND)[0].id, 0.2)
    groups = [{m["entity_id"] for m in c["members"]} for c in list_clusters(store, SYSTEM)]
    assert not any({"girl-a", "girl-b"} <= g for g in groups), groups
    assert any({"man-a", "man-b"} <= g for g in groups), groups

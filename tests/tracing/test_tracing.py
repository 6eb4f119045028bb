"""Missing-person tracing: leads with evidence and trail, purpose, hidden collections."""

from __future__ import annotations

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy

from support.population import add, background, person
from threadline.governance import AccessDenied, Actor, Role
from threadline.store import Store
from threadline.tracing import list_leads, run_tracing, show_report

ANALYST = Actor("ana", "se-police", "SE", frozenset({Role.ANALYST}))


def _ad(ident: str, text: str, posted: str, place: str) -> EntityProxy:
    ad = model.make_entity("HyperText")
    ad.id = ident
    ad.add("title", "New girl")
    ad.add("bodyText", text)
    ad.add("publishedAt", posted)
    ad.add("address", place)
    return ad


@pytest.fixture
def world(store: Store) -> Store:
    add(store, "registry", background(200))
    add(
        store,
        "se-missing",
        [person("rep1", "Elin Marklund", "2008-02-11", "female", country="se")],
        kind="missing-persons",
        agency="se-police",
        country="SE",
        sharing="owner",
    )
    add(
        store,
        "de-raids",
        [
            person(
                "id1",
                "Marklund Elin",
                "2008-02",
                "female",
                notes=["Identified in a raid in Hamburg on 2025-04-28."],
                country="de",
            )
        ],
        kind="identified-persons",
        agency="de-bka",
        country="DE",
    )
    add(
        store,
        "ads",
        [
            _ad("ad1", "Elin Marklund, 17 yo, new in town", "2025-03-02", "Berlin"),
            _ad("ad2", "Massage, call now", "2025-03-03", "Berlin"),
        ],
        kind="ads",
        agency="de-bka",
        country="DE",
    )
    add(
        store,
        "hidden",
        [person("hid1", "Elin Marklund", "2008-02-11", "female")],
        agency="no-police",
        country="NO",
        sharing="owner",
    )
    return store


def test_leads_with_evidence_and_trail(world: Store) -> None:
    actor = ANALYST.for_purpose("victim_identification")
    result = run_tracing(world, actor)
    assert result.reports == 1 and result.alerts == result.leads
    leads = {lead["sighting_id"]: lead for lead in list_leads(world, actor)}
    assert set(leads) == {"id1", "ad1"}  # not the hidden collection, not the unrelated ad
    assert leads["id1"]["sighting_kind"] == "identified_person"
    assert {e["feature"] for e in leads["ad1"]["evidence"]} == {"name_mentioned", "stated_age_fits"}
    view = show_report(world, actor, "rep1")
    assert [step["sighting_id"] for step in view["trail"]] == ["ad1", "id1"]
    assert view["last_seen"]["place"] == "de"
    again = run_tracing(world, actor)
    assert again.alerts == 0  # only new leads alert the owner


def test_tracing_needs_a_purpose(world: Store) -> None:
    with pytest.raises(AccessDenied, match="needs a purpose"):
        run_tracing(world, ANALYST)


def test_ad_index_offers_every_ad_that_gives_a_lead() -> None:
    """Candidates from the index give exactly the leads a comparison with every ad gives."""
    from threadline.tracing.evidence import AdIndex, ad_evidence

    reports = [
        person("r1", "Elin Marklund", "2008-02-11", "female"),
        person("r2", "Мария Петрова", "2006-05-01", "female"),
        person("r3", "Ana Silva", "2007-01-01", "female"),
    ]
    ads = [
        _ad("a1", "Elin Marklund, 17 yo, new in town", "2025-03-02", "Berlin"),
        _ad("a2", "Marklund here, call", "2025-03-02", "Berlin"),  # last name only: no lead
        _ad("a3", "Maria Petrova 19 years old", "2025-03-05", "Madrid"),  # another script
        _ad("a4", "Massage, call now", "2025-03-03", "Berlin"),  # only the photo
        _ad("a5", "Elin, 18 ans, Silva", "2025-03-03", "Paris"),  # parts of two reports
    ]
    ad_hashes = [[], [], [], [0b1011 << 40], [0xFFFF]]
    report_hashes = {"r1": [], "r2": [], "r3": [(0b1011 << 40) | 0b111]}  # 3 bits from a4
    index = AdIndex(ads, ad_hashes)
    for report in reports:
        mine = report_hashes[report.id or ""]
        everything = [
            ad.id
            for ad, own in zip(ads, ad_hashes, strict=True)
            if ad_evidence(report, ad, own, mine)
        ]
        offered = index.candidates(report, mine)
        found = [
            ads[n].id
            for n in offered
            if ad_evidence(report, ads[n], ad_hashes[n], mine, index.texts[n])
        ]
        assert found == everything
        assert len(offered) < len(ads)
    assert [ads[n].id for n in index.candidates(reports[0], [])] == ["a1"]
    assert [ads[n].id for n in index.candidates(reports[1], [])] == ["a3"]
    assert [ads[n].id for n in index.candidates(reports[2], report_hashes["r3"])] == ["a4"]


def test_a_name_written_in_another_script_still_gives_a_lead(store: Store) -> None:
    """The screening name matcher finds a sighting recorded in Cyrillic for a report in Latin
    script with only the birth year, and the lead says which names matched how."""
    add(store, "registry", background(200))
    add(
        store,
        "kz-missing",
        [person("rep2", "EVGENII KOUZNETSOV", "2004", "male", nationality="kz")],
        kind="missing-persons",
        agency="kz-police",
        country="KZ",
    )
    add(
        store,
        "kz-border",
        [
            person("bc1", "Евгений Кузнецов", "2004-12-30", "male", nationality="kz"),
            person("bc2", "Евгений Кузнецов", "1971-03-02", "male", nationality="kz"),
        ],
        kind="identified-persons",
        agency="kz-police",
        country="KZ",
    )
    actor = ANALYST.for_purpose("victim_identification")
    run_tracing(store, actor)
    leads = {lead["sighting_id"]: lead for lead in list_leads(store, actor)}
    assert "bc1" in leads
    # a namesake born 33 years apart is at most a weaker lead
    assert leads["bc1"]["score"] > leads.get("bc2", {"score": 0.0})["score"]
    features = {item["feature"]: item for item in leads["bc1"]["evidence"]}
    screened = features["name_and_birth_date_match"]
    assert screened["weight"] == leads["bc1"]["score"] >= 0.7
    assert {c["feature"] for c in screened["evidence"]} >= {"name", "birth_date"}


def test_a_namesake_born_decades_apart_is_not_a_lead(store: Store) -> None:
    """A missing girl born 2011 and a traveller of her name born 1963 are two people: the pair
    is at most a possible lead, held back with its reason and alerting no one. A full date one
    typing slip away, or a birth year a year apart, still gives a lead."""
    add(store, "registry", background(200))
    add(
        store,
        "sn-missing",
        [
            person("rep-bt", "Binta Traore", "2011-05-03", "female", nationality="sn"),
            person("rep-ad", "Awa Diallo", "2011", "female", nationality="sn"),
        ],
        kind="missing-persons",
        agency="sn-police",
        country="SN",
    )
    add(
        store,
        "manifests",
        [
            person("tr-far", "BINTA TRAORE", "1963-02-17", "female", nationality="sn"),
            person("tr-swap", "BINTA TRAORE", "2011-03-05", "female", nationality="sn"),
            person("tr-digit", "BINTA TRAORE", "2001-05-03", "female", nationality="sn"),
            person("tr-year", "AWA DIALLO", "2012", "female", nationality="sn"),
        ],
        kind="manifests",
    )
    actor = ANALYST.for_purpose("victim_identification")
    result = run_tracing(store, actor)
    leads = {(lead["report_id"], lead["sighting_id"]) for lead in list_leads(store, actor)}
    assert ("rep-bt", "tr-far") not in leads, "a traveller born 48 years before her is a lead"
    assert leads == {("rep-bt", "tr-swap"), ("rep-bt", "tr-digit"), ("rep-ad", "tr-year")}
    assert (result.leads, result.possible, result.alerts) == (3, 1, 3)
    view = show_report(store, actor, "rep-bt")
    assert {step["sighting_id"] for step in view["leads"]} == {"tr-swap", "tr-digit"}
    [held] = view["possible"]
    assert (held["sighting_id"], held["decision"]) == ("tr-far", "possible")
    cap = next(item for item in held["evidence"] if item["feature"] == "decision_cap")
    assert cap["evidence"] == (
        "at most a possible lead: birth years differ by 48 (2011-05-03 vs 1963-02-17), "
        "more than a typing slip apart"
    )
    assert cap["weight"] == 0.0 and held["score"] == max(e["weight"] for e in held["evidence"])


def test_a_withheld_birth_date_cap_keeps_its_reason_not_the_dates() -> None:
    from threadline.tracing.service import _evidence, birth_date_cap

    assert birth_date_cap(["2011-05-03"], ["2011-05-30"]) is None  # two digits transposed
    assert birth_date_cap(["2011"], ["2004-02-17"]) is None  # a year-only date 7 years off
    assert birth_date_cap(["2011"], ["2001-02-17"]) is None  # one digit of the year
    assert birth_date_cap(["2011"], ["2101"]) is None  # two digits of the year transposed
    reason = birth_date_cap(["2011-05-03"], ["1963-02-17", "1963"])
    evidence = [{"feature": "decision_cap", "weight": 0.0, "evidence": reason}]
    shown = str(_evidence(evidence, withhold=True))
    assert "typing slip" in shown and "2011" not in shown and "1963" not in shown


def test_birth_years_decades_apart_hold_a_lead_back_though_one_side_knows_only_the_year() -> None:
    """A report giving only the year 2011 and a traveller born 1963: 48 years, no slip of a
    digit explains them. Years under ten apart keep the lead (a year may be an estimate)."""
    from threadline.tracing.service import birth_date_cap

    assert birth_date_cap(["2011"], ["1963-02-17"]) == (
        "at most a possible lead: birth years 2011 and 1963 are 48 years apart, "
        "more than a typing slip or an estimate"
    )
    assert birth_date_cap(["1975-06"], ["2009"]) is not None
    assert birth_date_cap(["2011", "1963"], ["1963-02-17"]) is None  # one of them agrees


def test_withheld_name_matcher_evidence_keeps_points_not_names() -> None:
    from threadline.screening.matching import score_names
    from threadline.tracing.service import _evidence

    compared = score_names("Maria Petrova", "Mariya Petrova")
    evidence = [
        {
            "feature": "name_and_birth_date_match",
            "weight": compared.score,
            "evidence": [c.to_dict() for c in compared.explanation],
        }
    ]
    shown = _evidence(evidence, withhold=True)
    assert "petrova" not in str(shown).lower() and "mari" not in str(shown).lower()
    assert shown[0]["evidence"][0]["points"] == evidence[0]["evidence"][0]["points"]
    assert _evidence(evidence, withhold=False) == evidence


def test_a_traveller_sighting_is_the_journey_with_flights(store: Store) -> None:
    """A missing boy found on a passenger manifest: the lead and the trail say when and
    where he flew (flight, airports with their countries, times), not a bare record."""
    from pathlib import Path

    from threadline.ingest.runner import ingest_file

    manifest = Path(__file__).parent.parent / "fixtures" / "border" / "manifest.csv"
    add(store, "registry", background(50))
    add(
        store,
        "fr-missing",
        [person("rep-jd", "Jules Dupont", "2010-04-04", "male", country="fr")],
        kind="missing-persons",
        agency="fr-police",
        country="FR",
    )
    add(store, "manifests", [], kind="manifests")
    ingest_file(store, manifest, "manifests")
    run_tracing(store, ANALYST.for_purpose("victim_identification"))
    reader = ANALYST.for_purpose("victim_identification")
    lead = next(
        item
        for item in list_leads(store, reader)
        if item["report_id"] == "rep-jd" and item["sighting_kind"] == "traveller"
    )
    assert lead["caption"] == "JULES DUPONT"
    assert (lead["when"], lead["place"], lead["country"]) == (
        "2025-03-01",
        "CDG (Paris, FR)",
        "FR",
    )
    assert lead["flights"] == [
        {
            "flight": "ZZ100",
            "departure_airport": "LED",
            "departure_country": "RU",
            "departure_time": "2025-03-01T10:00:00",
            "arrival_airport": "CDG",
            "arrival_country": "FR",
            "arrival_time": "2025-03-01T13:30:00",
        }
    ]
    view = show_report(store, reader, "rep-jd")
    step = next(s for s in view["trail"] if s["sighting_kind"] == "traveller")
    assert step["flights"] == lead["flights"] and step["country"] == "FR"
    assert view["undated"] == len(view["leads"]) - len(view["trail"])

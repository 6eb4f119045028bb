"""An operation end to end: define, screen, submit, revise, confirm, report (both backends)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection

from threadline.exc import InputError, NotFound
from threadline.governance import Actor, Role
from threadline.operations import (
    build_spec,
    confirm_outcome,
    consolidate,
    create_operation,
    outcome_history,
    submit_outcome,
    validate_figures,
    write_report,
)
from threadline.store import Store
from threadline.store.findings import finish_run, start_run
from threadline.victims import build_intake, create_victim

LIAISON = Actor("liaison1", "NCB Nairobi", "KE", frozenset({Role.VICTIM_LIAISON}))
COORDINATOR = Actor("coordinator", "INTERPOL", "FR", frozenset({Role.OPERATION_COORDINATOR}))


def ncb(country: str, user: str | None = None) -> Actor:
    """An analyst of a participating country's bureau (submits only its own figures)."""
    return Actor(user or f"ncb-{country}", f"NCB {country}", country, frozenset({Role.ANALYST}))


# Personal data of (synthetic) victims that must never reach a report.
SECRETS = ["Amina Wanjiru Otieno", "KE-A1234567", "1999-04-12", "07700 900123", "Moi Avenue 12"]


def _operation(conn: Connection) -> None:
    spec = build_spec(
        "STORM-IV",
        name="Storm Breaker",
        edition="IV",
        start="2026-03-01",
        end="2026-03-14",
        countries="KE=DCI Kenya,NG=NAPTIP,FR=OCRTEH,BR,TH",
        focus="forced_labour,sexual_exploitation,migrant_smuggling",
        coordinators="INTERPOL,AFRIPOL",
        hotspots="Mombasa port",
        border_points="Namanga,Busia",
    )
    create_operation(conn, spec, COORDINATOR)


def _screening(
    conn: Connection, country: str | None, checks: int, hits: int, *, tag: str = "STORM-IV"
) -> None:
    scope = {"collections": ["manifests"], **({"country": country} if country else {})}
    run = start_run(conn, "screening", scope=scope, user="system", operation=tag)
    finish_run(conn, run, counts={"checks": checks, "hits": hits})


KE = {
    "arrests_trafficking": 30,
    "arrests_smuggling": 12,
    "victims_rescued": 150,
    "victims_minors": 40,
    "victims_female": 90,
    "victims_male": 60,
    "migrants_identified": 300,
    "migrant_nationalities": {"ET": 200, "SO": 100},
    "notices": {"yellow": 4},
    "database_checks": 5000,
    "database_hits": 2,
    "forms_of_exploitation": ["forced_labour"],
}
NG = {"arrests_trafficking": 20, "victims_rescued": 80, "victims_minors": 15, "notices.red": 2}
FR = {
    "arrests_other": 5,
    "victims_identified": 12,
    "forms_of_exploitation": ["sexual_exploitation"],
}


@pytest.fixture
def operation(store: Store) -> Store:
    with store.begin() as conn:
        _operation(conn)
        _screening(conn, "KE", 12_000, 5)
        _screening(conn, "KE", 3_000, 1)
        _screening(conn, "NG", 4_000, 0)
        _screening(conn, None, 500, 2)
        _screening(conn, "KE", 99_999, 99, tag="OTHER-OP")  # another operation: not counted
        for country, figures in (("KE", KE), ("NG", NG), ("FR", FR)):
            submit_outcome(conn, "STORM-IV", country, validate_figures(figures), ncb(country))
        intake = build_intake(
            identified_on="2026-03-05",
            identified_how="raid",
            identified_country="KE",
            operation="STORM-IV",
            personal={
                "name": SECRETS[0],
                "documents": [SECRETS[1]],
                "date_of_birth": SECRETS[2],
                "phones": [SECRETS[3]],
                "address": SECRETS[4],
            },
        )
        create_victim(conn, LIAISON, intake)
    return store


def test_consolidated_figures_and_headline(operation: Store) -> None:
    with operation.connect() as conn:
        report = consolidate(conn, "STORM-IV")
    assert report.totals["arrests_total"] == 67
    assert report.totals["victims_rescued"] == 230
    assert report.totals["notices"] == {"yellow": 4, "red": 2}
    assert report.screening_total.checks == 19_500 and report.screening_total.hits == 8
    by_country = {c.country: c for c in report.countries}
    assert (by_country["KE"].screening.checks, by_country["KE"].screening.hits) == (15_000, 6)
    assert by_country["KE"].figures["database_checks"] == 5000  # submitted, shown beside
    assert by_country["TH"].status == "not submitted"
    assert report.continents == ["Africa", "Asia", "Europe", "South America"]
    assert report.headline.startswith(
        "Operation Storm Breaker (IV): 5 countries across four continents; "
        "230 victims rescued (including 55 minors); 67 arrests (50 for trafficking, "
        "12 for smuggling); 300 irregular migrants identified;"
    )
    assert "19,500 database checks with 8 hits" in report.headline
    assert report.status == "preliminary"
    assert report.status_line.startswith("PRELIMINARY figures: 0 of 5 countries confirmed")
    assert report.victim_records == {"KE": 1}


def test_revisions_are_kept_and_confirmation_is_recorded(operation: Store) -> None:
    with operation.begin() as conn:
        revised = dict(KE, victims_rescued=160)
        submit_outcome(conn, "STORM-IV", "ke", validate_figures(revised), ncb("KE", "ncb-KE-2"))
        confirm_outcome(conn, "STORM-IV", "Kenya", COORDINATOR)
        with pytest.raises(InputError, match="already confirmed"):
            confirm_outcome(conn, "STORM-IV", "KE", COORDINATOR)
        history = outcome_history(conn, "STORM-IV", "KE")
        report = consolidate(conn, "STORM-IV")
    assert [(h.revision, h.status, h.changed_by) for h in history] == [
        (1, "preliminary", "ncb-KE"),
        (2, "preliminary", "ncb-KE-2"),
        (3, "confirmed", "coordinator"),
    ]
    assert history[0].figures["victims_rescued"] == 150
    assert history[2].figures["victims_rescued"] == 160
    assert report.totals["victims_rescued"] == 240
    assert report.status_line.startswith("PRELIMINARY figures: 1 of 5 countries confirmed")


def test_all_confirmed_makes_the_report_confirmed(operation: Store) -> None:
    with operation.begin() as conn:
        for country in ("KE", "NG", "FR"):
            confirm_outcome(conn, "STORM-IV", country, COORDINATOR)
        for country in ("BR", "TH"):
            submit_outcome(conn, "STORM-IV", country, {}, COORDINATOR, confirm=True)
        report = consolidate(conn, "STORM-IV")
    assert report.status == "confirmed"
    assert report.status_line.startswith("CONFIRMED figures: all 5")


def test_reports_in_three_formats(operation: Store, tmp_path: Path) -> None:
    with operation.begin() as conn:
        for fmt in ("html", "pdf", "csv"):
            write_report(conn, COORDINATOR, "STORM-IV", fmt, tmp_path / f"storm.{fmt}")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "storm.pdf").pages)
    html = (tmp_path / "storm.html").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "storm.csv").read_text(encoding="utf-8"))))
    flat = " ".join(pdf_text.split())
    assert "PRELIMINARY figures" in flat
    assert "5 countries across four continents" in flat
    assert "230 victims rescued" in flat
    assert "12,000" not in flat and "15,000" in flat  # KE screening counted, summed per country
    assert "PRELIMINARY figures" in html and "230 victims rescued" in html
    assert "<svg" in html and ">KE</text>" in html
    totals = {(r["metric"], r["key"]): r["value"] for r in rows if r["country"] == "ALL"}
    assert totals[("arrests_total", "")] == "67"
    assert totals[("screening_checks", "")] == "19500"
    assert totals[("victim_records", "")] == "1"
    ke = {(r["metric"], r["key"]): r["value"] for r in rows if r["country"] == "KE"}
    assert ke[("migrant_nationalities", "ET")] == "200"
    for text in (flat, html, (tmp_path / "storm.csv").read_text(encoding="utf-8")):
        for secret in SECRETS:
            assert secret not in text


BAD_REQUESTS: list[tuple[Callable[[Connection], object], str]] = [
    (lambda c: submit_outcome(c, "STORM-IV", "DE", {}, COORDINATOR), "DE is not a participating"),
    (
        lambda c: submit_outcome(c, "STORM-IV", "Atlantis", {}, COORDINATOR),
        "unknown country 'Atlantis'",
    ),
    (lambda c: submit_outcome(c, "NOPE", "KE", {}, COORDINATOR), "no operation with code 'NOPE'"),
    (lambda c: confirm_outcome(c, "STORM-IV", "TH", COORDINATOR), "TH has submitted no figures"),
    (lambda c: _operation(c), "an operation with code 'STORM-IV' already exists"),
]


def test_changes_are_governed_and_audited(operation: Store) -> None:
    from threadline.governance import AccessDenied
    from threadline.governance.audit import iter_events

    with operation.begin() as conn, pytest.raises(AccessDenied, match="only an agency of KE"):
        submit_outcome(conn, "STORM-IV", "KE", {}, ncb("NG"))
    with operation.begin() as conn, pytest.raises(AccessDenied, match="only operation coord"):
        confirm_outcome(conn, "STORM-IV", "KE", ncb("KE"))
    with operation.begin() as conn, pytest.raises(AccessDenied, match="only operation coord"):
        submit_outcome(conn, "STORM-IV", "KE", {}, ncb("KE"), confirm=True)
    with operation.begin() as conn:
        confirm_outcome(conn, "STORM-IV", "KE", COORDINATOR)
    with operation.connect() as conn:
        events = [e for e in iter_events(conn) if e.target_type == "operation"]
    assert [(e.action, e.user, e.detail.get("country")) for e in events] == [
        ("operation.create", "coordinator", None),
        ("operation.submit", "ncb-KE", "KE"),
        ("operation.submit", "ncb-NG", "NG"),
        ("operation.submit", "ncb-FR", "FR"),
        ("operation.confirm", "coordinator", "KE"),
    ]
    assert events[-1].detail == {"country": "KE", "revision": 2}


def test_bad_requests(operation: Store) -> None:
    # One store for every case (each a fresh transaction): building a store is the slow part.
    for call, message in BAD_REQUESTS:
        with operation.begin() as conn, pytest.raises((InputError, NotFound), match=message):
            call(conn)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "2026-02-30"}, "start: not a date in the form YYYY-MM-DD: '2026-02-30'"),
        ({"end": "2026-02-01"}, "end: 2026-02-01 is before the start 2026-03-01"),
        ({"countries": "KE,XX"}, "countries: unknown country 'XX'"),
        ({"countries": "KE,ke"}, "countries: KE is listed twice"),
        ({"focus": "tourism"}, "focus: unknown value 'tourism'"),
    ],
)
def test_bad_definitions(fields: dict[str, str], message: str) -> None:
    values = {"name": "x", "start": "2026-03-01", "end": "2026-03-14", "countries": "KE", **fields}
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        build_spec("OP-1", **values)

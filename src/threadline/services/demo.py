"""The demo: a simulated world (small by default) loaded, analysed, with a user per role.

Each step is a function of the run's context; ``threadline demo`` runs them in
order and then serves the web application.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from threadline.governance import SYSTEM, Role
from threadline.ingest.runner import ingest_file
from threadline.model.collections import build_collection
from threadline.simulation.config import SimulationConfig, make_config
from threadline.store import Store
from threadline.store.collections import create_collection, find_collection, update_collection

DEMO_AGENCY = "National Anti-Trafficking Unit"
DEMO_COUNTRY = "GB"
DEMO_USERS: list[tuple[str, Role]] = [
    ("analyst", Role.ANALYST),
    ("border-officer", Role.BORDER_OFFICER),
    ("coordinator", Role.OPERATION_COORDINATOR),
    ("victim-liaison", Role.VICTIM_LIAISON),
    ("auditor", Role.AUDITOR),
    ("admin", Role.ADMINISTRATOR),
]


@dataclass
class DemoRun:
    store: Store
    world: Path
    config: SimulationConfig
    lines: list[str] = field(default_factory=list)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)


Step = Callable[[DemoRun], None]


def _collection(
    run: DemoRun, name: str, kind: str, agency: str, country: str, **kw: object
) -> None:
    item = build_collection(
        name,
        kind=kind,
        owner_agency=agency,
        owner_country=country,
        sharing="all",
        **kw,  # type: ignore[arg-type]
    )
    with run.store.begin() as conn:
        found = find_collection(conn, name)
        if found is None:
            create_collection(conn, item)
        else:
            update_collection(conn, replace(item, created_at=found.created_at))


def _ingest(run: DemoRun, path: Path, collection: str, fmt: str | None = None) -> None:
    result = ingest_file(run.store, path, collection, format=fmt, user=SYSTEM.user)
    job = result.job
    run.say(
        f"ingested {path.relative_to(run.world)} into {collection}: "
        f"{job.stored} stored, {job.rejected} rejected"
    )


def simulate_world(run: DemoRun) -> None:
    from threadline.simulation.writer import simulate

    counts = simulate(run.config, run.world, force=True)
    run.say(
        f"simulated a world: {counts['ads']} ads, {counts['travellers']} travellers, "
        f"{counts['red_notices']} red and {counts['yellow_notices']} yellow notices, "
        f"{counts['victims']} victims"
    )


def load_case_records(run: DemoRun) -> None:
    for path in sorted((run.world / "cases").glob("*.ftm.jsonl")):
        country = path.name.split(".")[0].upper()
        name = f"cases-{country.lower()}"
        _collection(run, name, "case-records", f"NCB {country}", country)
        _ingest(run, path, name)


def load_identified_persons(run: DemoRun) -> None:
    _collection(run, "identified-persons", "identified-persons", DEMO_AGENCY, DEMO_COUNTRY)
    _ingest(run, run.world / "identified_persons.jsonl", "identified-persons")


def create_users(run: DemoRun) -> None:
    from threadline.governance.identity import (
        create_agency,
        create_user,
        list_agencies,
        list_users,
        set_password,
    )

    with run.store.begin() as conn:
        if DEMO_AGENCY not in {a["name"] for a in list_agencies(conn)}:
            create_agency(conn, DEMO_AGENCY, DEMO_COUNTRY)
        existing = {u.username for u in list_users(conn)}
        for username, role in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            if username in existing:
                set_password(conn, username, password)
            else:
                create_user(conn, username, DEMO_AGENCY, frozenset({role}), password)
            run.credentials.append((username, role.value, password))
    run.say(f"created {len(DEMO_USERS)} demo users of the {DEMO_AGENCY} ({DEMO_COUNTRY})")


def load_watchlists(run: DemoRun) -> None:
    _collection(run, "interpol-red", "notices", "INTERPOL notices", "FR", watchlist=True)
    _collection(run, "interpol-yellow", "notices", "INTERPOL notices", "FR", watchlist=True)
    for colour in ("red", "yellow"):
        files = sorted((run.world / "notices" / colour).glob("*.json"))
        stored = rejected = 0
        for path in files:
            job = ingest_file(
                run.store, path, f"interpol-{colour}", format="notices", user=SYSTEM.user
            ).job
            stored, rejected = stored + job.stored, rejected + job.rejected
        run.say(f"ingested {len(files)} {colour} notices: {stored} stored, {rejected} rejected")
    _collection(run, "sltd", "travel-documents", "INTERPOL notices", "FR", watchlist=True)
    _ingest(run, run.world / "travel_documents.csv", "sltd", "travel-documents")


def load_manifests(run: DemoRun) -> None:
    _collection(run, "manifests", "manifests", DEMO_AGENCY, DEMO_COUNTRY)
    files = sorted((run.world / "manifests").glob("*.csv"))
    stored = rejected = 0
    for path in files:
        job = ingest_file(run.store, path, "manifests", format="manifest", user=SYSTEM.user).job
        stored, rejected = stored + job.stored, rejected + job.rejected
    run.say(f"ingested {len(files)} passenger manifests: {stored} stored, {rejected} rejected")


def analyse_ads(run: DemoRun) -> None:
    from threadline.ads.service import analyze_collection

    _collection(run, "ads", "ads", DEMO_AGENCY, DEMO_COUNTRY)
    _ingest(run, run.world / "ads.jsonl", "ads", "ads")
    summary = analyze_collection(run.store, "ads", SYSTEM)
    run.say(
        f"analysed {summary['ads']} ads: {summary['high_risk_ads']} high-risk, "
        f"{summary['multi_ad_personas']} personas behind several ads, "
        f"{len(summary['hub_selectors'])} hub selectors set aside"
    )


DEMO_OPERATION = "DEMO-LIBERTY"


def run_operation(run: DemoRun) -> None:
    """A coordinated operation: manifests screened under it, outcomes from three countries."""
    from threadline.governance import Actor, Purpose
    from threadline.operations.records import create_operation, list_operations, submit_outcome
    from threadline.operations.spec import build_spec

    coordinator = Actor(
        "coordinator", DEMO_AGENCY, DEMO_COUNTRY, frozenset({Role.OPERATION_COORDINATOR})
    )
    countries = ["GB", "FR", "ES"]
    with run.store.begin() as conn:
        if DEMO_OPERATION not in {op.code for op in list_operations(conn)}:
            spec = build_spec(
                DEMO_OPERATION,
                name="Liberty (demo)",
                start="2025-03-01",
                end="2025-03-07",
                countries=",".join(countries),
                focus="sexual_exploitation,forced_labour",
                coordinators="Demo coordinating bureau",
            )
            create_operation(conn, spec, coordinator, component="demo")
    officer = Actor(
        "border-officer", DEMO_AGENCY, DEMO_COUNTRY, frozenset({Role.BORDER_OFFICER})
    ).for_purpose(Purpose.OPERATION, DEMO_OPERATION)
    # The manifests arrive as an airline system would send them: queued, then screened by
    # the worker as the officer who sent them, under the operation.
    from threadline.services.worker import Worker, get_task, submit_manifest

    queued = [
        submit_manifest(
            run.store, officer, path.name, path.read_bytes(),
            operation=DEMO_OPERATION, country=DEMO_COUNTRY,
        ).id
        for path in sorted((run.world / "manifests").glob("*.csv"))
    ]  # fmt: skip
    Worker(run.store, name="demo").drain()
    results = [get_task(run.store, officer, ident).result or {} for ident in queued]
    checks = sum(int(r.get("checks") or 0) for r in results)
    hits = sum(int(r.get("hits") or 0) for r in results)
    flagged = sum(int(r.get("victim_indicators") or 0) for r in results)
    figures = {
        "GB": {
            "arrests_trafficking": 7,
            "victims_identified": 12,
            "victims_rescued": 10,
            "victims_minors": 3,
        },
        "FR": {
            "arrests_trafficking": 4,
            "victims_identified": 9,
            "victims_rescued": 9,
            "victims_minors": 2,
        },
        "ES": {
            "arrests_trafficking": 3,
            "victims_identified": 6,
            "victims_rescued": 5,
            "victims_minors": 1,
        },
    }
    with run.store.begin() as conn:
        for country, values in figures.items():
            submit_outcome(conn, DEMO_OPERATION, country, values, coordinator, component="demo")
    run.say(
        f"operation {DEMO_OPERATION}: {len(queued)} manifests queued and screened by the "
        f"worker, {checks} database checks, {hits} hits, "
        f"{flagged} safeguarding referrals suggested; outcomes from {len(figures)} countries"
    )


def link_and_trace(run: DemoRun) -> None:
    from threadline.governance import Actor, Purpose
    from threadline.linkage import LinkOptions, run_linkage
    from threadline.tracing import run_tracing

    analyst = Actor("analyst", DEMO_AGENCY, DEMO_COUNTRY, frozenset({Role.ANALYST}))
    linked = run_linkage(run.store, SYSTEM, collections=None, options=LinkOptions())
    run.say(f"linked {linked.records} person records across countries: {linked.links} links")
    traced = run_tracing(run.store, analyst.for_purpose(Purpose.VICTIM_IDENTIFICATION))
    run.say(
        f"traced {traced.reports} missing-person reports against {traced.sightings} "
        f"sightings: {traced.leads} leads"
    )
    from threadline.alerts import list_alerts

    with run.store.begin() as conn:
        _items, waiting, _states = list_alerts(
            conn, analyst.for_purpose(Purpose.VICTIM_IDENTIFICATION), state="new", limit=1,
            component="demo",
        )  # fmt: skip
    run.say(f"{waiting} new alerts (leads, hits, safeguarding referrals) wait in the inbox")


def build_network(run: DemoRun) -> None:
    from threadline.network.service import build_networks

    summary = build_networks(run.store, full=True)
    run.say(f"built the network graph: {summary['networks']} networks")


STEPS: list[tuple[str, Step]] = [
    ("simulate a world", simulate_world),
    ("load case records", load_case_records),
    ("load identified persons", load_identified_persons),
    ("load watchlists", load_watchlists),
    ("load passenger manifests", load_manifests),
    ("analyse ads", analyse_ads),
    ("create demo users", create_users),
    ("screen manifests in an operation", run_operation),
    ("link records and trace missing persons", link_and_trace),
    ("build the network", build_network),
]


def run_demo(
    store: Store,
    world: Path,
    on_step: Callable[[str], None] | None = None,
    *,
    scale: str = "small",
    seed: int = 1,
) -> DemoRun:
    """Run every step; returns what each did and the demo users' credentials.

    The world is small unless asked otherwise (a medium or large world exercises the
    analyses at scale; ``threadline evaluate`` then scores them against its truth).
    """
    # an unknown scale is refused here, before anything is written
    run = DemoRun(store, world, make_config(scale, seed))
    for label, step in STEPS:
        if on_step is not None:
            on_step(label)
        step(run)
    return run

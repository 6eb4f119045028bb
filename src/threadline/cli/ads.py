"""``threadline ads``: selector extraction and explained risk scores for ad files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(
    no_args_is_help=True,
    help="Ads: extract selectors, score risk indicators, link personas.",
)

FILE = typer.Argument(
    ..., help="ads.jsonl (one JSON object per line) or a CSV with the same columns"
)
JSON = typer.Option(True, "--json/--no-json", help="JSON lines output (the only format for now)")


def _rows(path: Path, scoring: bool) -> Iterator[dict[str, Any]]:
    from threadline.ads import extract, score
    from threadline.ads.posted import score_view
    from threadline.ingest.ads_files import iter_ads

    for position, item in iter_ads(path):
        if isinstance(item, Exception):
            yield {"position": position, "error": str(item)}
            continue
        extraction = extract(item)
        yield score_view(score(item, extraction)) if scoring else extraction.to_dict()


@app.command("extract")
def extract_command(file: Path = FILE, json: bool = JSON) -> None:
    """Print the selectors of every ad as JSON lines; a bad line prints {position, error}."""
    from threadline.cli.output import print_json_lines

    print_json_lines(_rows(file, scoring=False))


@app.command("score")
def score_command(file: Path = FILE, json: bool = JSON) -> None:
    """Print {id, risk, indicators} per ad as JSON lines; a bad line prints {position, error}."""
    from threadline.cli.output import print_json_lines

    print_json_lines(_rows(file, scoring=True))


# ---------------------------------------------------------------- stored analysis
COLLECTION = typer.Option(None, "--collection", "-c", help="Only this collection.")
MIN_RISK = typer.Option(None, "--min-risk", min=0.0, max=1.0, help="Only risk >= this.")
AS_JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("analyze")
def analyze_command(
    collection: str = typer.Option(..., "--collection", "-c", help="Collection of ingested ads."),
    json: bool = AS_JSON,
) -> None:
    """Score every ad of a collection, link personas, store the findings (replaces a re-run's)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from threadline.ads.service import analyze_collection
    from threadline.cli.context import actor
    from threadline.cli.context import store as open_store
    from threadline.cli.output import console, counted, err_console, print_json

    db = open_store()
    who = actor(db)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    bar = Progress(*columns, console=err_console, disable=not err_console.is_terminal)
    with bar:
        task = bar.add_task("ads", total=None)

        def report(stage: str, done: int, total: int | None) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        summary = analyze_collection(db, collection, who, progress=report)
    if json:
        print_json(summary)
        return
    console.print(
        f"Run {summary['run_id']}: {counted(summary['ads'], 'ad')}, "
        f"{summary['high_risk_ads']:,} with risk >= 0.5; {counted(summary['personas'], 'persona')} "
        f"({summary['multi_ad_personas']:,} with several ads); "
        f"{counted(summary['hubs'], 'hub selector')} ignored.",
        markup=False,
    )
    for persona in summary["top_personas"]:
        where = ", ".join(persona["countries"])
        ads = counted(len(persona["ad_ids"]), "ad")
        console.print(
            f"  {persona['id']}: risk {persona['risk']:.2f}, {ads}, {where}", markup=False
        )


@app.command("personas")
def personas_command(
    min_risk: float | None = MIN_RISK, collection: str | None = COLLECTION, json: bool = AS_JSON
) -> None:
    """Stored personas, riskiest first: {id, ad_ids, selectors, risk, explanation, ...}."""
    from threadline.ads.service import list_personas
    from threadline.cli.context import actor
    from threadline.cli.context import store as open_store
    from threadline.cli.output import console, counted, print_json

    db = open_store()
    found = list_personas(db, actor(db), min_risk=min_risk, collection=collection)
    if json:
        print_json(found)
        return
    for p in found:
        links = ", ".join(f"{s['kind']}:{s['value']}" for s in p["selectors"] if not s["hub"])
        console.print(f"{p['id']}  risk {p['risk']:.2f}  {counted(len(p['ad_ids']), 'ad')}  "
                      f"{','.join(p['countries'])}  {p['first_seen'][:10]}..{p['last_seen'][:10]}"
                      f"  {links[:80]}", markup=False)  # fmt: skip


@app.command("show")
def show_command(
    persona_id: str = typer.Argument(..., help="Persona id (see 'threadline ads personas')."),
    collection: str | None = COLLECTION,
    json: bool = AS_JSON,
) -> None:
    """One persona: timeline, movement, why each ad joined, and each ad's result."""
    from threadline.ads.service import get_persona
    from threadline.cli.context import actor
    from threadline.cli.context import store as open_store
    from threadline.cli.output import console, counted, print_json

    db = open_store()
    persona = get_persona(db, actor(db), persona_id, collection=collection)
    if json:
        print_json(persona)
        return
    move = persona["movement"]
    console.print(f"{persona['id']}: risk {persona['risk']:.2f}, "
                  f"{counted(len(persona['ad_ids']), 'ad')}, "
                  f"{persona['first_seen']} .. {persona['last_seen']}; multi-city "
                  f"{move.get('multi_city')}, cross-border {move.get('cross_border')}",
                  markup=False)  # fmt: skip
    for stop in persona["timeline"]:
        console.print(f"  {stop['posted_at']}  {stop['place']}  {stop['ad_id']}", markup=False)
    for ad in persona["ads"]:
        why = ", ".join(f"{r['kind']} {r['value']}" for r in persona["reasons"].get(ad["id"], []))
        ids = ", ".join(i["id"] for i in ad["indicators"])
        console.print(
            f"  {ad['id']}: risk {ad['risk']:.2f} [{ids}] joined by: {why or '-'}", markup=False
        )


@app.command("results")
def results_command(
    min_risk: float | None = MIN_RISK, collection: str | None = COLLECTION, json: bool = AS_JSON
) -> None:
    """Stored ad results, riskiest first: {id, risk, indicators, persona_id}."""
    from threadline.ads.service import list_ad_results
    from threadline.cli.context import actor
    from threadline.cli.context import store as open_store
    from threadline.cli.output import console, print_json

    db = open_store()
    found = list_ad_results(db, actor(db), min_risk=min_risk, collection=collection)
    if json:
        print_json(found)
        return
    for ad in found:
        ids = ", ".join(i["id"] for i in ad["indicators"])
        console.print(f"{ad['id']}  risk {ad['risk']:.2f}  {ad['persona_id']}  {ids}", markup=False)

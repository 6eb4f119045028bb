"""``threadline link``: entity resolution runs, the review queue, decisions, clusters."""

from __future__ import annotations

from typing import Any

import typer

from threadline.cli.options import PURPOSE_OPTION, REFERENCE_OPTION
from threadline.cli.output import console, counted, print_json

app = typer.Typer(
    no_args_is_help=True,
    help="Link and deduplicate people and organisations across collections (Splink).",
)


@app.command("run")
def run(
    collections: str | None = typer.Option(
        None, "--collections", help="Comma-separated collection names (default: all you see)."
    ),
    threshold: float = typer.Option(0.9, "--threshold", help="Match probability for clusters."),
    retrain: bool = typer.Option(False, "--retrain", help="Train a new model and rescore all."),
    backend: str = typer.Option("duckdb", "--backend", help="duckdb (default) or spark."),
    min_training: int = typer.Option(
        1000, "--min-training-records", help="Below this many records keep the starting model."
    ),
    link_only: bool = typer.Option(
        False, "--link-only", help="Only link across collections (none has duplicates within)."
    ),
    json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
) -> None:
    """Score records against each other (new ones only, unless --retrain) and cluster."""
    from threadline.cli.context import actor, store
    from threadline.linkage import LinkOptions, run_linkage

    db = store()
    names = [c.strip() for c in collections.split(",") if c.strip()] if collections else None
    options = LinkOptions(
        threshold=threshold,
        retrain=retrain,
        backend=backend,
        min_training_records=min_training,
        link_only=link_only,
    )
    result = run_linkage(db, actor(db), collections=names, options=options)
    if json:
        print_json(result.to_dict())
        return
    console.print(
        f"Linkage run {result.run_id} ({result.mode}, model {result.model_id}, {result.trained}): "
        f"{result.records:,} records, {result.scored:,} scored, {result.links:,} links, "
        f"{result.clusters:,} clusters."
    )


@app.command("review")
def review(
    limit: int = typer.Option(50, "--limit", min=1, help="How many pairs."),
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Pairs needing a decision, most uncertain first, with the comparison breakdown."""
    from threadline.cli.context import actor, store
    from threadline.linkage import review_queue

    db = store()
    pairs = review_queue(db, actor(db, purpose, reference), limit=limit)
    if json:
        print_json(pairs)
        return
    if not pairs:
        console.print("Nothing to review.")
    for pair in pairs:
        console.print(
            f"p={pair['match_probability']:.3f} (weight {pair['match_weight']:+.2f})",
            highlight=False,
        )
        for side in ("left", "right"):
            console.print(f"  {_side(pair, side)}", markup=False, highlight=False)
        for item in pair["comparisons"]:
            console.print(
                f"    {item['comparison']:<12} {item['log2_weight']:+7.2f}  {item['level']}"
                + _values(item),
                markup=False,
                highlight=False,
            )


@app.command("decide")
def decide(
    left: str = typer.Argument(..., help="Entity id."),
    right: str = typer.Argument(..., help="Entity id."),
    judgement: str = typer.Argument(..., help="same, different or unsure."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept with the decision)."),
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Judge a pair; the judgement overrides the model now and in later runs."""
    from threadline.cli.context import actor, store
    from threadline.linkage import decide_pair

    db = store()
    item = decide_pair(db, actor(db), left, right, judgement, reason)
    if json:
        print_json(item.to_dict())
    else:
        console.print(f"Judged {item.left_id} and {item.right_id}: {item.judgement}.")


@app.command("retract")
def retract(
    left: str = typer.Argument(..., help="Entity id."),
    right: str = typer.Argument(..., help="Entity id."),
) -> None:
    """Withdraw the judgement on a pair (it stays in the history); the model decides again."""
    from threadline.cli.context import actor, store
    from threadline.linkage import retract_pair

    db = store()
    retract_pair(db, actor(db), left, right)
    console.print(f"Retracted the judgement on {left} and {right}.")


@app.command("clusters")
def clusters(
    purpose: str | None = PURPOSE_OPTION,
    reference: str | None = REFERENCE_OPTION,
    json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Resolved clusters with their members (entity id, collection, source record) and
    what changed since the last run (grew, merged, split; ids stay stable)."""
    from threadline.cli.context import actor, store
    from threadline.linkage import list_clusters

    db = store()
    found = list_clusters(db, actor(db, purpose, reference))
    if json:
        print_json([{k: v for k, v in c.items() if k != "links"} for c in found])
        return
    for cluster in found:
        console.print(
            f"{cluster['cluster_id']}: {counted(len(cluster['members']), 'record')}"
            + _since_last_run(cluster),
            highlight=False,
            markup=False,
        )
        for m in cluster["members"]:
            what = f"{m.get('caption') or '(no name)'} ({m.get('schema') or 'entity'}"
            console.print(
                f"  {what}, {m['collection']}) {m['entity_id']}", markup=False, highlight=False
            )


def _since_last_run(cluster: dict[str, Any]) -> str:
    """What happened to the cluster at the last run, and the ids it took in, split from or
    gave to parts that split off (at that run or before)."""
    change = cluster.get("change")
    parts = [] if change in (None, "unchanged") else [f"{change} at the last run"]
    for key, label in (("merged_from", "merged from"), ("split_from", "split from"),
                       ("split_into", "split into")):  # fmt: skip
        if cluster.get(key):
            parts.append(f"{label} {', '.join(cluster[key])}")
    return f" ({'; '.join(parts)})" if parts else ""


def _values(item: dict[str, Any]) -> str:
    """The compared values, ``(left / right)``; nothing where neither side has one."""
    left, right = item.get("left"), item.get("right")
    if left in (None, "", []) and right in (None, "", []):
        return ""
    return f"  ({_shown(left)} / {_shown(right)})"


def _shown(value: Any) -> str:
    if value in (None, "", []):
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _side(pair: dict[str, Any], side: str) -> str:
    """One side of a review pair: caption, schema, collections and id; a protected person
    by her pseudonym label alone."""
    entity_id = pair[f"{side}_id"]
    if entity_id is None:
        label = (pair.get(side) or {}).get("label") or "protected person"
        return f"{label} (protected: id and values withheld)"
    about = pair.get(f"{side}_entity") or {}
    where = ", ".join([about.get("schema") or "entity", *about.get("collections", [])])
    return f"{about.get('caption') or '(no name)'} ({where}) {entity_id}"

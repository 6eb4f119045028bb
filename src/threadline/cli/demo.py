"""``threadline demo``: the README's first command: load a world and show what Threadline finds."""

from __future__ import annotations

from pathlib import Path

import typer

from threadline.cli.output import console

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def demo(
    examples: Path = typer.Option(EXAMPLES, "--examples", help="Folder with the example files."),
) -> None:
    """Load the example data into the store and show the jobs and collections."""
    from threadline.cli.context import store
    from threadline.exc import InputError
    from threadline.ingest.runner import ingest_file
    from threadline.store.collections import list_collections
    from threadline.store.statements import count_entities

    if not examples.is_dir():
        raise InputError(f"example folder not found: {examples}")
    db = store()
    loads = [
        (examples / "cases-se.ftm.jsonl", "demo-cases-se", {}),
        (
            examples / "suspects.csv",
            "demo-suspects",
            {"mapping": str(examples / "suspects.mapping.yml")},
        ),
    ]
    for path, collection, options in loads:
        job = ingest_file(db, path, collection, options=options).job
        console.print(
            f"Job {job.id}: {path.name} → {collection}: read {job.read}, stored {job.stored}, "
            f"rejected {job.rejected}"
        )
    with db.connect() as conn:
        for item in list_collections(conn):
            assert item.id is not None
            console.print(f"  {item.name}: {count_entities(conn, item.id)} entities")
    console.print(
        "Next: 'threadline entities show se-case-p1', 'threadline export -c demo-cases-se'."
    )


def register(root: typer.Typer) -> None:
    root.command("demo")(demo)

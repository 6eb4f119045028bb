"""``threadline simulate``: write a synthetic trafficking world with its ground truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer


def register(root: typer.Typer) -> None:
    """Add the top-level ``simulate`` command."""
    root.command("simulate")(simulate_command)


def simulate_command(
    out: Path = typer.Option(..., "--out", help="Directory to write the world into."),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed gives the same files."),
    scale: str = typer.Option("small", "--scale", help="small, medium or large."),
    countries: int | None = typer.Option(None, "--countries", help="Number of countries."),
    networks: int | None = typer.Option(None, "--networks", help="Trafficking networks."),
    ads: int | None = typer.Option(None, "--ads", help="Ads to write."),
    travellers: int | None = typer.Option(None, "--travellers", help="Manifest records."),
    noise: float | None = typer.Option(
        None, "--noise", help="0-1: name variants, typos and partial dates across sources."
    ),
    regime: str = typer.Option(
        "standard",
        "--regime",
        help="What operators do to evade: standard, contactless (a fifth of network ads "
        "without contacts), burners (fresh phones and accounts every 4 ads), boilerplate "
        "(platforms' safety notices on half the ads), evasive (all three), confounders "
        "(honest travel that looks like victims' travel at the border), sparse (records "
        "without birth dates, nationalities or sex) or romanisation (names spelled by each "
        "source's country: French, German, English conventions, own script; passports "
        "as their issuer spells).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite a non-empty --out."),
) -> None:
    """Write ads, notices, documents, manifests, case files and truth.json for a seed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from threadline.cli.output import err_console, print_json
    from threadline.simulation import simulate
    from threadline.simulation.config import make_config
    from threadline.simulation.writer import check_output

    config = make_config(
        scale,
        seed,
        countries=countries,
        networks=networks,
        ads=ads,
        travellers=travellers,
        noise=noise,
        regime=regime,
    )
    check_output(out, force)  # refused before the progress display draws anything
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as bar:

        class _Report:
            def task(self, name: str, total: int | None) -> Callable[[int], None]:
                task_id = bar.add_task(name, total=total if total is not None else 1)
                return lambda count: bar.advance(task_id, count)

        counts = simulate(config, out, force=force, progress=_Report())
    print_json({"out": str(out), "seed": seed, "scale": scale, "counts": counts})

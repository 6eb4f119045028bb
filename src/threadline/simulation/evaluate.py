"""``threadline evaluate``: score what the platform found against a simulated world's truth.

Each capability offers an evaluation hook (a function of the store and the
truth dict returning metrics). A task whose capability is not installed, or
whose analysis has not been run on the store, is reported as *not measured*
with the reason, never as zero or as passing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from threadline.exc import InputError, NotMeasured
from threadline.primitives.scores import pairwise_scores
from threadline.store import Store

# task name -> (module, function, what it measures)
TASKS: list[tuple[str, str, str, str]] = [
    (
        "ad_risk",
        "threadline.ads.evaluation",
        "evaluate_ad_risk",
        "trafficking ads ranked above legitimate look-alikes",
    ),
    (
        "personas",
        "threadline.ads.evaluation",
        "evaluate_personas",
        "ads grouped into the operators who wrote them (pairwise)",
    ),
    (
        "networks",
        "threadline.network.evaluation",
        "evaluate_networks",
        "recovered networks against the true ones (pairwise)",
    ),
    (
        "border_victims",
        "threadline.screening.evaluation",
        "evaluate_border_victims",
        "victims flagged for a safeguarding referral at the border",
    ),
    (
        "screening_hits",
        "threadline.screening.evaluation",
        "evaluate_screening_hits",
        "wanted and missing persons found among travellers",
    ),
    (
        "linkage",
        "threadline.linkage.evaluation",
        "evaluate_linkage",
        "the same person across countries' records (pairwise)",
    ),
    (
        "tracing_leads",
        "threadline.tracing.evaluation",
        "evaluate_tracing",
        "missing victims whose true sighting is among the top leads",
    ),
]


@dataclass
class TaskResult:
    task: str
    description: str
    measured: bool
    metrics: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "description": self.description,
            "measured": self.measured,
            "metrics": self.metrics,
            "reason": self.reason,
        }


def load_truth(world: Path) -> dict[str, Any]:
    path = world / "truth.json" if world.is_dir() else world
    if not path.is_file():
        raise InputError(f"no truth.json in {world}: give the folder 'threadline simulate' wrote")
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} does not hold a truth object")
    return data


def _run_task(store: Store, truth: dict[str, Any], spec: tuple[str, str, str, str]) -> TaskResult:
    name, module_name, function, description = spec
    try:
        module = importlib.import_module(module_name)
        hook = getattr(module, function)
    except (ModuleNotFoundError, AttributeError):
        return TaskResult(name, description, False, reason="capability not built yet")
    try:
        metrics = hook(store, truth)
    except NotMeasured as exc:
        return TaskResult(name, description, False, reason=str(exc))
    return TaskResult(name, description, True, metrics=dict(metrics))


def evaluate(store: Store, world: Path, tasks: list[str] | None = None) -> list[TaskResult]:
    """Every task (or the named ones) measured against the world's truth."""
    truth = load_truth(world)
    known = {spec[0] for spec in TASKS}
    for task in tasks or []:
        if task not in known:
            raise InputError(f"unknown task {task!r}; tasks: {', '.join(sorted(known))}")
    return [_run_task(store, truth, spec) for spec in TASKS if not tasks or spec[0] in tasks]


__all__ = ["NotMeasured", "pairwise_scores"]

"""What a resubmission does to a country's figures: merge, and the changes metric by metric.

A country resends figures to correct some of them, so the metrics it does not resend
keep their value from its newest revision; keyed metrics (``notices.red``) merge key by
key for the same reason. A metric is never removed by leaving it out: a coordinator
corrects a figure reported in error by sending its right value (0 when there was none).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from threadline.operations.metrics import KEYED


@dataclass(frozen=True)
class FigureChange:
    """One metric (a keyed one per key, ``notices.red``) whose value a revision changed.

    ``old`` is None where the metric was not reported before, ``new`` where a revision
    no longer reports it (only revisions stored before resubmissions merged did that).
    """

    metric: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "old": self.old, "new": self.new}


def merge_figures(current: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """The country's figures once ``given`` (validated) is applied over its ``current`` ones."""
    merged = {name: _copy(value) for name, value in current.items()}
    for name, value in given.items():
        if name in KEYED and isinstance(merged.get(name), dict):
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = _copy(value)
    return merged


def figure_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FigureChange]:
    """Every metric whose value differs between two revisions' figures, by metric name."""
    before, after = dict(_flatten(old)), dict(_flatten(new))
    return [
        FigureChange(name, before.get(name), after.get(name))
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]


def _flatten(figures: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Metrics as ``name: value``, a keyed metric as one ``name.key: count`` per key."""
    for name, value in figures.items():
        if name in KEYED and isinstance(value, Mapping):
            for key, count in value.items():
                yield f"{name}.{key}", count
        else:
            yield name, value


def _copy(value: Any) -> Any:
    """A copy of a value that the merge may change (keyed objects, lists) without aliasing."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value

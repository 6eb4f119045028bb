from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from threadline.exc import InputError
from threadline.simulation.evaluate import evaluate, pairwise_scores
from threadline.store import Store


@pytest.mark.parametrize(
    ("predicted", "precision", "recall"),
    [
        ([{"a", "b", "c"}, {"d", "e"}], 1.0, 1.0),
        ([{"a", "b", "c", "d", "e"}], 4 / 10, 1.0),
        ([{"a", "b"}, {"c"}, {"d"}, {"e"}], 1.0, 1 / 4),
        ([{"a", "b", "x", "y"}, {"c", "d"}], 1 / 2, 1 / 4),
    ],
)
def test_pairwise_scores(predicted: list[set[str]], precision: float, recall: float) -> None:
    scores = pairwise_scores(predicted, [{"a", "b", "c"}, {"d", "e"}])
    assert scores["precision"] == pytest.approx(precision)
    assert scores["recall"] == pytest.approx(recall)


def test_tasks_not_run_are_not_measured(store: Store, tmp_path: Path) -> None:
    (tmp_path / "truth.json").write_bytes(orjson.dumps({"networks": [], "victims": []}))
    results = evaluate(store, tmp_path)
    assert results, "every task is reported"
    assert all(not r.measured and r.reason for r in results)
    assert all(r.metrics == {} for r in results)


def test_bad_world(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no truth\.json"):
        evaluate(store, tmp_path)
    (tmp_path / "truth.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        evaluate(store, tmp_path)
    (tmp_path / "truth.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unknown task 'nope'"):
        evaluate(store, tmp_path, ["nope"])

"""Scores of a clustering against the truth (no I/O), shared by every evaluation hook."""

from __future__ import annotations


def pairwise_scores(predicted: list[set[str]], true: list[set[str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true clusters.

    Only items that appear in some true cluster count, so background items the
    platform groups among themselves neither help nor hurt.
    """
    label: dict[str, int] = {}
    for index, group in enumerate(true):
        for item in group:
            label[item] = index
    true_pairs = sum(len(g) * (len(g) - 1) // 2 for g in true)
    predicted_pairs = correct = 0
    for group in predicted:
        members = [m for m in group if m in label]
        predicted_pairs += len(members) * (len(members) - 1) // 2
        counts: dict[int, int] = {}
        for m in members:
            counts[label[m]] = counts.get(label[m], 0) + 1
        correct += sum(c * (c - 1) // 2 for c in counts.values())
    precision = correct / predicted_pairs if predicted_pairs else 0.0
    recall = correct / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": float(true_pairs)}

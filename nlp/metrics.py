"""Accuracy, macro-F1, per-class precision/recall and the confusion matrix.

Written out rather than imported (scikit-learn would add 100 MB for twenty lines), and
kept separate from the CLI so the regression test checks the same numbers staff see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassStats:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    field: str
    n: int
    accuracy: float
    macro_f1: float
    classes: tuple[ClassStats, ...]
    confusion: dict[tuple[str, str], int]  # (gold, predicted) -> count

    def stats(self, label: str) -> ClassStats:
        return next(c for c in self.classes if c.label == label)

    def format(self) -> str:
        lines = [f"== {self.field}: n={self.n} accuracy={self.accuracy:.3f} macro-F1={self.macro_f1:.3f}",
                 f"{'class':<14}{'prec':>7}{'recall':>8}{'f1':>7}{'n':>6}"]
        lines += [f"{c.label:<14}{c.precision:>7.3f}{c.recall:>8.3f}{c.f1:>7.3f}{c.support:>6}" for c in self.classes]
        labels = [c.label for c in self.classes]
        if len(labels) <= 16:
            lines.append("confusion (rows gold, columns predicted):")
            lines.append(" " * 14 + "".join(f"{label[:4]:>6}" for label in labels))
            for gold in labels:
                row = "".join(f"{self.confusion.get((gold, pred), 0):>6}" for pred in labels)
                lines.append(f"{gold:<14}{row}")
        return "\n".join(lines)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def report(field: str, gold: list[str], predicted: list[str]) -> Report:
    """Compare two equally long label lists; macro-F1 averages over gold classes only."""
    confusion = Counter(zip(gold, predicted, strict=True))
    gold_n, pred_n = Counter(gold), Counter(predicted)
    labels = sorted(set(gold) | set(predicted), key=lambda x: (-gold_n[x], x))
    classes = []
    for label in labels:
        tp = confusion[(label, label)]
        p = tp / pred_n[label] if pred_n[label] else 0.0
        r = tp / gold_n[label] if gold_n[label] else 0.0
        classes.append(ClassStats(label, p, r, _f1(p, r), gold_n[label]))
    in_gold = [c.f1 for c in classes if c.support]
    accuracy = sum(confusion[(g, g)] for g in gold_n) / len(gold) if gold else 0.0
    return Report(field, len(gold), accuracy, sum(in_gold) / len(in_gold) if in_gold else 0.0,
                  tuple(classes), dict(confusion))

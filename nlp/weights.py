"""Learned per-department word weights (config/nlp/weights.tsv), scored without scikit-learn.

``linli nlp learn`` fits a linear model over TF-IDF features (``nlp.features``) and
writes every weight it kept as one line a person can read: the feature, its IDF, and
one weight per department. Scoring reproduces the fit exactly: each feature present
counts (1 + ln count) × idf, the vector is scaled to unit length, and a department's
score is its intercept plus the sum of value × weight. ``why`` names the features
that pushed the winner up most.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from pathlib import Path

from nlp.features import words

FILE = "weights.tsv"
INTERCEPT = "(intercept)"
HEADER = "feature\tidf"


@dataclass(frozen=True)
class LearnedScore:
    scores: dict[str, float]  # department -> score (higher is likelier)
    values: dict[str, float]  # feature -> its TF-IDF value in this message (unit length)
    weights: Weights

    def best(self) -> str:
        return max(self.scores, key=self.scores.__getitem__)

    def reasons(self, department: str, n: int = 5) -> list[tuple[str, float]]:
        """The features that pushed ``department`` up most, with value × weight."""
        i = self.weights.classes.index(department)
        parts = ((f, v * self.weights.rows[f][i]) for f, v in self.values.items())
        return [p for p in heapq.nlargest(n, parts, key=lambda p: p[1]) if p[1] > 0]

    def explain(self, department: str) -> str:
        terms = ", ".join(f"{f}{v:+.2f}" for f, v in self.reasons(department))
        return f"{department}={self.scores[department]:+.2f} [{terms}]"


@dataclass(frozen=True)
class Weights:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    idf: dict[str, float]
    rows: dict[str, tuple[float, ...]]  # feature -> one weight per class
    source: str

    def __post_init__(self) -> None:
        # Bigram features ("楼道 灯") by their first token, so a message's pairs are looked up
        # without building a string for each of them (most pairs are not features).
        pairs: dict[str, set[str]] = {}
        for feature in self.rows:
            first, _, second = feature.partition(" ")
            if second:
                pairs.setdefault(first, set()).add(second)
        object.__setattr__(self, "_pairs", pairs)

    def __len__(self) -> int:
        return len(self.rows)

    def _counts(self, tokens: list[str]) -> dict[str, int]:
        """Counts of ``nlp.features.features(tokens)`` that are in the file."""
        rows, pairs = self.rows, self._pairs  # type: ignore[attr-defined]
        kept = words(tokens)
        found: dict[str, int] = {}
        for token in kept:
            if token in rows:
                found[token] = found.get(token, 0) + 1
        for a, b in zip(kept, kept[1:]):
            if b in pairs.get(a, ()):
                feature = f"{a} {b}"
                found[feature] = found.get(feature, 0) + 1
        return found

    def score(self, tokens: list[str]) -> LearnedScore:
        rows, idf = self.rows, self.idf
        values = {f: (1.0 + math.log(c)) * idf[f] if c > 1 else idf[f] for f, c in self._counts(tokens).items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        # one column per department, summed by the C-level sum() rather than a Python loop
        columns = zip(*(tuple(value * w for w in rows[f]) for f, value in values.items()))
        totals = [sum(column) for column in columns] or [0.0] * len(self.classes)
        scores = {c: b + t / norm for c, b, t in zip(self.classes, self.intercept, totals)}
        return LearnedScore(scores, {f: v / norm for f, v in values.items()}, self)


class WeightsError(ValueError):
    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(f"line {line}: {reason}")


def parse(text: str, source: str) -> Weights:
    """Read the TSV written by ``nlp.learn.write``: '#' comments, a header, an intercept row."""
    classes: tuple[str, ...] = ()
    intercept: tuple[float, ...] | None = None
    idf: dict[str, float] = {}
    rows: dict[str, tuple[float, ...]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not classes:
            if "\t".join(cells[:2]) != HEADER or len(cells) < 4:
                raise WeightsError(n, f"header must be '{HEADER}' then the departments, got {line!r}")
            classes = tuple(cells[2:])
            continue
        if len(cells) != len(classes) + 2:
            raise WeightsError(n, f"expected {len(classes) + 2} tab-separated cells, got {len(cells)}")
        try:
            values = tuple(float(c) if c else 0.0 for c in cells[2:])
            weight_idf = float(cells[1])
        except ValueError as exc:
            raise WeightsError(n, f"not a number: {exc}") from None
        if cells[0] == INTERCEPT:
            intercept = values
        else:
            idf[cells[0]], rows[cells[0]] = weight_idf, values
    if not classes or intercept is None:
        raise WeightsError(0, f"needs the header and an '{INTERCEPT}' row")
    return Weights(classes, intercept, idf, rows, source)


def read(path: Path) -> Weights:
    return parse(path.read_text(encoding="utf-8"), path.name)

"""Run the classifier over a labelled set and compare each field with the labels."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from nlp.classify import Classification, classify, load
from nlp.dataset import DERIVED, FIELDS, Example
from nlp.intent import CHAT
from nlp.metrics import Report, report


def predicted_label(result: Classification, field: str) -> str:
    """The classifier's answer for ``field`` in the text form the CSV uses."""
    if field == "places":
        return ";".join(sorted(p.value for p in result.places))
    if field == "is_request":
        return str(result.intent != CHAT)
    if field == "alerted":
        return str(result.urgent or result.maybe_urgent)
    return str(getattr(result, field))


@dataclass(frozen=True)
class Evaluation:
    reports: dict[str, Report]
    errors: dict[str, list[tuple[Example, str]]]  # field -> (example, predicted) it got wrong
    seconds: float
    n: int

    @property
    def per_second(self) -> float:
        return self.n / self.seconds if self.seconds else float("inf")


def evaluate(examples: list[Example], fields: Iterable[str] = FIELDS) -> Evaluation:
    """Classify every example (after start-up, so msgs/s measures steady state) and score."""
    load()
    start = time.perf_counter()
    results = [classify(e.text) for e in examples]
    seconds = time.perf_counter() - start
    reports, errors = {}, {}
    for field in fields:
        label = DERIVED.get(field, field)
        pairs = [(e, r) for e, r in zip(examples, results, strict=True) if label in e.labels]
        if not pairs:
            continue
        gold = [e.labels[label] for e, _ in pairs]
        pred = [predicted_label(r, field) for _, r in pairs]
        reports[field] = report(field, gold, pred)
        errors[field] = [(e, p) for (e, _), g, p in zip(pairs, gold, pred, strict=True) if g != p]
    return Evaluation(reports, errors, seconds, len(examples))

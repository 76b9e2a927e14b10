"""The labelled sets against the issue's targets; fails when a figure drops below.

``labelled.csv`` and ``holdout.csv`` … ``holdout6.csv`` were each written before the
rules saw them, measured once, then used for later tuning; together they are the
labelled set the issue's targets apply to. ``holdout7.csv`` was written after round 7
and ``blind1.csv`` (by someone who never saw the rules) after that; both were measured
once and then tuned on in round 8, so their floors are the figures after round 8, and
urgency must be perfect in recall and at least 0.9 in precision on every set
(figures and history: README, "nlp").
A public labelled set in ../shared/data/ (README there) is evaluated when present.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nlp import dataset
from nlp.evaluate import evaluate

DATA = Path(__file__).resolve().parents[1] / "data"
PUBLIC_EVAL = os.environ.get("LINLI_NLP_PUBLIC_EVAL") or str(
    Path(__file__).resolve().parents[3] / "shared" / "data" / "eval.csv")


def _figures(*files: str) -> dict[str, float]:
    examples = [e for f in files for e in dataset.read(DATA / f)]
    result = evaluate(examples)
    urgent = result.reports["urgent"].stats("True")
    return {
        "n": len(examples),
        "department": result.reports["department"].accuracy,
        "kind": result.reports["kind"].accuracy,
        "urgent_recall": urgent.recall,
        "urgent_precision": urgent.precision,
        "places": result.reports["places"].accuracy,
    }


TUNED = ("labelled.csv", "holdout.csv", "holdout2.csv", "holdout3.csv", "holdout4.csv", "holdout5.csv",
         "holdout6.csv")


def test_labelled_set_meets_the_targets() -> None:
    got = _figures(*TUNED)
    assert got["n"] >= 850
    assert got["department"] >= 0.85, got
    assert got["kind"] >= 0.85, got
    assert got["urgent_recall"] == 1.0, got
    assert got["urgent_precision"] >= 0.9, got
    assert got["places"] >= 0.95, got


def test_later_sets_do_not_get_worse() -> None:
    got = _figures("holdout7.csv")
    assert got["department"] >= 0.72, got
    assert got["kind"] >= 0.82, got
    got = _figures("blind1.csv")
    assert got["department"] >= 0.73, got
    assert got["kind"] >= 0.74, got


def test_untuned_blind_set_does_not_get_worse() -> None:
    """``blind2.csv``: a second writer who never saw the rules; measured once after round 8 and
    never tuned on. Its figures are what to expect of unseen wording: keep it untuned."""
    got = _figures("blind2.csv")
    assert got["department"] >= 0.77, got
    assert got["kind"] >= 0.67, got
    assert got["urgent_recall"] >= 0.80, got


def test_third_blind_set_holds_its_first_measurement() -> None:
    """``blind3.csv`` and ``smalltalk.csv``: a third writer who never saw the rules, measured
    once with the round-9 classifier (department 0.707, kind 0.737, urgent recall 0.642 /
    precision 0.929; small talk 117/120 right, every one of the 60 requests a request) and
    never tuned on. Floors at those first figures, rounded down."""
    got = _figures("blind3.csv")
    assert got["department"] >= 0.70, got
    assert got["kind"] >= 0.73, got
    assert got["urgent_recall"] >= 0.64, got
    talk = evaluate(dataset.read(DATA / "smalltalk.csv"), ["is_request"]).reports["is_request"]
    assert talk.stats("True").recall == 1.0  # every short real request opens a ticket
    assert talk.accuracy >= 0.97


def test_every_emergency_is_found_in_every_set() -> None:
    got = _figures(*TUNED, "holdout7.csv", "blind1.csv")
    assert got["urgent_recall"] == 1.0, got
    assert got["urgent_precision"] >= 0.9, got


@pytest.mark.skipif(not Path(PUBLIC_EVAL).exists(), reason="no public labelled evaluation split here")
def test_public_evaluation_split() -> None:
    """Real residents' letters (evaluation only). A floor at the figure last measured
    (`linli nlp eval ../shared/data/eval.csv --field department`: accuracy 0.847, macro-F1
    0.854 with the learned weights and the hand topics following DOMAIN.md; 0.551 / 0.581
    before round 9), raised as the figure rises; the issue's target is 0.87 / 0.85."""
    result = evaluate(dataset.read(PUBLIC_EVAL), ["department"])
    assert result.reports["department"].accuracy >= 0.84
    assert result.reports["department"].macro_f1 >= 0.85

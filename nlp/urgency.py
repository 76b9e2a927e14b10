"""Danger to life or property now: fire, gas, sparks, flooding, a person down or missing.

Any cue from urgency.yaml makes a message urgent unless ``Negation`` cancels it; the
reasons list every cue that fired or was cancelled, so a grid worker sees both.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.matcher import Hits, KeywordIndex
from nlp.negation import Negation
from nlp.rules import Urgency


@dataclass(frozen=True)
class UrgencyResult:
    urgent: bool
    why: tuple[str, ...]


class UrgencyDetector:
    def __init__(self, rules: Urgency, negation: Negation):
        self.cues = KeywordIndex(rules.cues)
        self.negation = negation

    def detect(self, hits: Hits) -> UrgencyResult:
        fired, cancelled = [], []
        for cue in self.cues.present(hits):
            marker = self.negation.cancelled(cue, hits)
            if marker:
                cancelled.append(f"not urgent: {cue.text} cancelled by {marker}")
            else:
                fired.append(f"urgent: {cue.text} ({cue.source})")
        if fired:
            return UrgencyResult(True, tuple(fired))
        return UrgencyResult(False, tuple(cancelled) or ("not urgent: no danger cue",))

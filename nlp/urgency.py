"""Danger to life or property now: fire, gas, sparks, flooding, a person down or missing.

Any cue from urgency.yaml makes a message urgent unless ``Negation`` cancels it; the
reasons list every cue that fired or was cancelled, so a grid worker sees both. Recall
comes first: a ``maybe`` cue (a hazard named without the people it endangers, 井盖没了)
makes the message *maybe urgent*, which goes to the grid head to check at once instead
of the normal queue.
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
    maybe: bool = False


class UrgencyDetector:
    def __init__(self, rules: Urgency, negation: Negation):
        self.cues = KeywordIndex(rules.cues)
        self.maybe = KeywordIndex(rules.maybe)
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
        maybe = [f"maybe urgent: {cue.text} ({cue.source})" for cue in self.maybe.present(hits)
                 if not self.negation.cancelled(cue, hits)]
        if maybe:
            return UrgencyResult(False, (*maybe, *cancelled), maybe=True)
        return UrgencyResult(False, tuple(cancelled) or ("not urgent: no danger cue",))

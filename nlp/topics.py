"""Score every topic by the weights of its keywords present in a message.

A keyword counts once however often it occurs: a resident repeating 垃圾 five times in
anger is no more about rubbish than one who says it once. In topics marked
``negatable`` (fire, emergencies) a denied or hypothetical keyword does not count, so
"楼道堆满杂物, 万一着火怎么办" is about fire safety, not a fire. The best-scoring topic wins;
its margin over the runner-up becomes the confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.matcher import Hits, KeywordIndex
from nlp.negation import Negation
from nlp.rules import Keyword, Topic


@dataclass(frozen=True)
class TopicScore:
    topic: Topic
    score: float
    matched: tuple[Keyword, ...]

    def explain(self) -> str:
        terms = ", ".join(f"{k.text}{k.weight:+g}" for k in self.matched)
        return f"{self.topic.name}={self.score:g} [{terms}] ({self.topic.source})"


class TopicScorer:
    def __init__(self, topics: tuple[Topic, ...], negation: Negation):
        self.topics = topics
        self.negation = negation
        self._owner = {id(kw): i for i, topic in enumerate(topics) for kw in topic.keywords}
        self._index = KeywordIndex(kw for topic in topics for kw in topic.keywords)

    def score(self, hits: Hits) -> list[TopicScore]:
        """Topics with a positive score, best first (ties: the order in the rule files)."""
        matched: dict[int, list[Keyword]] = {}
        for kw in self._index.present(hits):
            i = self._owner[id(kw)]
            if not (self.topics[i].negatable and self.negation.cancelled(kw, hits)):
                matched.setdefault(i, []).append(kw)
        scores = []
        for i, kws in matched.items():
            kws = _longest(kws)
            scores.append((i, TopicScore(self.topics[i], sum(k.weight for k in kws), tuple(kws))))
        ranked = sorted((item for item in scores if item[1].score > 0), key=lambda item: (-item[1].score, item[0]))
        return [s for _, s in ranked]


def _longest(keywords: list[Keyword]) -> list[Keyword]:
    """Drop a word inside a longer matched word of the same topic (垃圾 within 垃圾桶),
    so one phrase is not counted twice."""
    singles = [k.text for k in keywords if len(k.words) == 1]
    return [k for k in keywords
            if len(k.words) > 1 or not any(k.text in w and k.text != w for w in singles)]


def confidence(ranked: list[TopicScore]) -> float:
    """High when the winner scores well and clearly beats the runner-up."""
    if not ranked:
        return 0.3
    top = ranked[0].score
    second = ranked[1].score if len(ranked) > 1 else 0.0
    strength = min(1.0, top / 3.0)
    margin = top / (top + second)
    return round(max(0.05, min(1.0, strength * margin)), 2)

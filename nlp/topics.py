"""Score every topic by the weights of its keywords present in a message.

A keyword counts once however often it occurs: a resident repeating 垃圾 five times in
anger is no more about rubbish than one who says it once. Likewise a word counts once
per topic: when it is listed in several one-part keywords of a topic (偷 and 偷|撬|小偷),
only the heaviest counts, so adding synonyms to a list never double-counts a word. In topics marked
``negatable`` (fire, emergencies) a denied or hypothetical keyword does not count, so
"楼道堆满杂物, 万一着火怎么办" is about fire safety, not a fire. The best-scoring topic wins;
its margin over the runner-up becomes the confidence.
"""

from __future__ import annotations

from collections.abc import KeysView
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
        present = hits.positions.keys()
        for i, kws in matched.items():
            kws = _count_once(kws, present)
            scores.append((i, TopicScore(self.topics[i], sum(k.weight for k in kws), tuple(kws))))
        ranked = sorted((item for item in scores if item[1].score > 0), key=lambda item: (-item[1].score, item[0]))
        return [s for _, s in ranked]


def _count_once(keywords: list[Keyword], present: KeysView[str]) -> list[Keyword]:
    """Each word counts once per topic. A one-part keyword is dropped when every word it
    matched lies inside a longer matched word (垃圾 within 垃圾桶) or was already matched
    by a heavier one-part keyword (偷 and 偷|撬|小偷); combinations ("灯 不亮") always count."""
    found = {id(k): present & set(k.parts[0]) for k in keywords if len(k.parts) == 1}
    if len(found) < 2:
        return keywords
    words = set().union(*found.values())
    inner = {w for w in words if any(w != v and w in v for v in words)}
    kept: list[Keyword] = []
    covered: set[str] = set()
    for k in sorted(keywords, key=lambda k: -k.weight):
        if id(k) in found:
            own = found[id(k)] - inner
            if own <= covered:
                continue
            covered |= own
        kept.append(k)
    return kept


def confidence(ranked: list[TopicScore]) -> float:
    """High when the winner scores well and clearly beats the runner-up."""
    if not ranked:
        return 0.3
    top = ranked[0].score
    second = ranked[1].score if len(ranked) > 1 else 0.0
    strength = min(1.0, top / 3.0)
    margin = top / (top + second)
    return round(max(0.05, min(1.0, strength * margin)), 2)

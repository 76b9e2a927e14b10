"""三事分流: decide 大事 / 小事 / 私事 from the topic's usual kind and the override rules.

The topic gives the usual answer (违章搭建 needs 城管's power: 大事). Override rules,
read top to bottom, catch what changes it: the same leak is 私事 inside one's own
flat but 小事 when it comes from the neighbour upstairs, and an outage becomes 大事
when a whole estate is cut off. A rule may apply only to emergencies (``urgent: true``):
someone unconscious needs 120, which is a public service (大事), while the same words
in a question about a past fall are not.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.matcher import Hits, KeywordIndex
from nlp.rules import KindRule, RuleSet


@dataclass(frozen=True)
class KindResult:
    kind: str
    why: str


class KindDecider:
    def __init__(self, rules: RuleSet):
        self.rules = rules.kind_rules
        self.other_kind = rules.other_kind
        self._index = KeywordIndex(k for r in self.rules for k in (*r.any_of, *r.none_of))

    @staticmethod
    def _applies(rule: KindRule, topic: str, present: set[str], urgent: bool) -> list[str] | None:
        """The words that made ``rule`` apply, or None when it does not."""
        if rule.topics and topic not in rule.topics:
            return None
        if rule.urgent is not None and rule.urgent != urgent:
            return None
        if any(k.text in present for k in rule.none_of):
            return None
        found = [k.text for k in rule.any_of if k.text in present]
        if rule.any_of and not found:
            return None
        return found

    def decide(self, topic: str, default: str | None, hits: Hits, urgent: bool = False) -> KindResult:
        present = {k.text for k in self._index.present(hits)}
        for rule in self.rules:
            found = self._applies(rule, topic, present, urgent)
            if found is not None:
                return KindResult(rule.kind, f"kind {rule.kind}: rule {rule.id} [{', '.join(found)}] ({rule.source})")
        if default is None:
            return KindResult(self.other_kind, f"kind {self.other_kind}: no topic, default other_kind")
        return KindResult(default, f"kind {default}: usual kind of topic {topic}")

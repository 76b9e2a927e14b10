"""One compiled rule set: normaliser, tokenizer words, matcher and deciders together.

An Engine is immutable once built, so ``reload`` can build a new one aside and swap a
single reference: a request being classified during a reload sees old or new rules,
never a mixture.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.departments import decide
from nlp.intent import CHAT, CHAT_TOPIC, NOT_A_REQUEST, QUESTION, REQUEST, Answer, IntentDetector
from nlp.kinds import KindDecider
from nlp.matcher import PhraseMatcher
from nlp.negation import Negation
from nlp.normalize import Normalizer
from nlp.places import Place, PlaceFinder
from nlp.rules import OTHER, RuleSet
from nlp.tokenizer import Tokenizer
from nlp.topics import TopicScorer, confidence
from nlp.urgency import UrgencyDetector


@dataclass(frozen=True)
class Classification:
    """How one request is sorted, and why (each ``why`` line names rules and words)."""

    department: str
    topic: str
    kind: str
    urgent: bool
    places: tuple[Place, ...]
    confidence: float
    why: tuple[str, ...]
    tokens: tuple[str, ...]
    intent: str = REQUEST  # request, question (answered from the bank, 私事) or chat (no ticket)
    chat: str = ""  # for chat: greeting, thanks, ack, staff, opener, bot, emoji
    answer: Answer | None = None  # for a question: the answer bank entry, when one matches
    maybe_urgent: bool = False  # not judged urgent, but a grid head should check at once

    def building(self) -> str | None:
        """First building mentioned ('楼3'), the key used to route to a grid."""
        return next((p.value for p in self.places if p.kind == "building"), None)


class Engine:
    def __init__(self, rules: RuleSet, tokenizer: Tokenizer):
        self.rules = rules
        self.tokenizer = tokenizer
        self.normalize = Normalizer(rules.typos)
        words = rules.phrases()
        tokenizer.add_words(words)
        self.matcher = PhraseMatcher(words)
        self.places = PlaceFinder(rules.estates)
        negation = Negation(rules.urgency)
        self.topics = TopicScorer(rules.topics, negation)
        self.kinds = KindDecider(rules)
        self.urgency = UrgencyDetector(rules.urgency, negation)
        self.intents = IntentDetector(rules.intents) if rules.intents else None

    def classify(self, text: str) -> Classification:
        clean = self.normalize(text)
        tokens = self.tokenizer.cut(clean)
        hits = self.matcher.match(clean, tokens)
        ranked = self.topics.score(hits)
        learned = self.rules.weights.score(tokens) if self.rules.weights else None
        chosen = decide(ranked, learned, len(clean))
        best = chosen.topic.topic if chosen.topic else None
        topic = best.name if best else OTHER
        department = chosen.department
        urgency = self.urgency.detect(hits)
        # 三事 follows who must act, which the hand topics were written for: the strongest
        # hand topic decides it even when the learned weights chose another department.
        ruling = ranked[0].topic if ranked else None
        kind = self.kinds.decide(ruling.name if ruling else OTHER, ruling.kind if ruling else None, hits,
                                 urgency.urgent)
        places = self.places.find(clean)
        said = (self.intents.detect(clean, urgency.urgent or urgency.maybe, bool(ranked) and ranked[0].score >= 3)
                if self.intents else None)
        if said and said.intent == CHAT:
            return Classification(OTHER, CHAT_TOPIC, NOT_A_REQUEST, False, places, 1.0, (said.why,), tuple(tokens),
                                  CHAT, said.category)
        why = [
            "topic " + (chosen.topic.explain() if chosen.topic else f"{OTHER}: no topic keyword of {department}"),
            *(f"runner-up {s.explain()}" for s in [s for s in ranked if s is not chosen.topic][:1]),
            chosen.why,
            kind.why,
            *urgency.why,
        ]
        if places:
            why.append("places " + ", ".join(p.value for p in places))
        kind_name = kind.kind
        if said:
            why.insert(0, said.why)
            if said.intent == QUESTION:
                kind_name = "私事"
                why[why.index(kind.why)] = "kind 私事: an information-only question (DOMAIN.md)"
        return Classification(department, topic, kind_name, urgency.urgent, places,
                              confidence(ranked), tuple(why), tuple(tokens),
                              said.intent if said else REQUEST, "", said.answer if said else None, urgency.maybe)

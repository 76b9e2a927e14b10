"""The rule set as plain frozen values: what the YAML files under config/nlp/ say.

Kept free of parsing and matching so the loader, the engine and the learner share one
vocabulary. Every rule keeps ``source`` (file:line) so ``why`` can point staff at the
line to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.intent import IntentRules
from nlp.weights import Weights

DEPARTMENTS = ("城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障",
               "商贸旅游", "卫生计生", "公共安全", "其他")
KINDS = ("大事", "小事", "私事")
OTHER = "其他"


@dataclass(frozen=True)
class Keyword:
    """A word, or several words written with spaces that must all occur ("灯 不亮"); a
    part may list alternatives with "|" ("老人|我妈 不接|打不通": one of each)."""

    parts: tuple[tuple[str, ...], ...]
    weight: float
    source: str
    written: str = ""  # as in the rule file, with classes unexpanded ("$人 $没反应")

    @property
    def text(self) -> str:
        return self.written or " ".join("|".join(alternatives) for alternatives in self.parts)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for alternatives in self.parts for w in alternatives)


@dataclass(frozen=True)
class Topic:
    """A community topic: its keywords, the department that owns it, its usual kind."""

    name: str
    department: str
    kind: str
    keywords: tuple[Keyword, ...]
    source: str
    negatable: bool = False  # keywords name events: "没有着火" is no evidence of a fire


@dataclass(frozen=True)
class KindRule:
    """Overrides a topic's usual kind when its words occur (first matching rule wins)."""

    id: str
    kind: str
    topics: frozenset[str]  # empty: any topic
    any_of: tuple[Keyword, ...]  # at least one must match; empty: no condition
    none_of: tuple[Keyword, ...]  # none may match
    source: str
    urgent: bool | None = None  # True: only for an emergency now (nlp.urgency); None: either


@dataclass(frozen=True)
class Urgency:
    """Cues of danger now, and the words around a cue that cancel it."""

    cues: tuple[Keyword, ...] = ()
    negations_before: tuple[str, ...] = ()
    negations_after: tuple[str, ...] = ()
    past_markers: tuple[str, ...] = ()  # anywhere earlier in the clause: 前两天, 去年
    window: int = 6
    resolved: tuple[str, ...] = ()  # anywhere later in the message: 已经灭了, 没事了
    present_markers: tuple[str, ...] = ()  # 还在, 到现在: a sentence opened in the past reaches now
    habitual: tuple[str, ...] = ()  # 天天, 每天: earlier in the clause, unless a present marker follows
    hyperbole: tuple[str, ...] = ()  # 要疯了, 让不让人活: anywhere in the message …
    emotive: tuple[str, ...] = ()  # … cancels these cry words (救命), never a concrete danger
    maybe: tuple[Keyword, ...] = ()  # a hazard without its exposure: a person checks (maybe urgent)


@dataclass(frozen=True)
class RuleSet:
    """Everything the engine needs; built only by ``nlp.loader``."""

    topics: tuple[Topic, ...]
    kind_rules: tuple[KindRule, ...]
    urgency: Urgency
    other_kind: str = "私事"
    typos: dict[str, str] = field(default_factory=dict)
    estates: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # extra jieba dictionary words
    weights: Weights | None = None  # learned department weights (weights.tsv), when present
    intents: IntentRules | None = None  # small talk and questions (intents.yaml, answers.yaml)

    def phrases(self) -> set[str]:
        """Every word a rule can match on, so the tokenizer learns them all."""
        keywords = [k for t in self.topics for k in t.keywords]
        keywords += [k for r in self.kind_rules for k in (*r.any_of, *r.none_of)]
        keywords += [*self.urgency.cues, *self.urgency.maybe]
        return {w for k in keywords for w in k.words} | set(self.words)

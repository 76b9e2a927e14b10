"""Propose keyword weights from labelled messages, for a person to review.

For every topic (or department) and every jieba token, the smoothed log-odds of the
token appearing in that class's messages against all other messages; tokens that are
frequent and clearly skewed become proposed keywords. The output is an ordinary rule
file with a comment per keyword saying how often it was seen, so the reviewer can
delete what is noise and copy the rest into config/nlp/. Nothing learned is used until
a person has done so: the runtime stays rules one can read.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from nlp.dataset import Example
from nlp.engine import Engine
from nlp.rules import OTHER

# Tokens that say nothing about a topic whatever their counts: function words, and
# words every request uses (小区, 社区, 门口, 能不能) that would only add noise.
_STOP = set("的了是我你他她它们在有和就都也还又很吧呢啊吗呀哦嘛么这那个不没人说要会能到去来上下里把被给让") | {
    "我们", "你们", "他们", "小区", "社区", "门口", "什么", "怎么", "能不能", "有没有", "一个", "现在", "已经",
    "还是", "就是", "这个", "那个", "我家", "家里", "一直", "天天", "每天", "好几", "几天", "时候", "问题",
    "麻烦", "谢谢", "请问", "一下", "可以", "不能", "没有", "知道", "大家", "真的", "实在", "自己", "这么",
    "那么", "这样", "怎么办", "为什么", "一点", "一些", "很多", "好多", "特别", "非常", "太", "都是"}


@dataclass(frozen=True)
class Proposal:
    label: str
    token: str
    weight: float
    in_class: int
    class_size: int
    elsewhere: int


def _documents(engine: Engine, examples: list[Example]) -> list[set[str]]:
    docs = []
    for e in examples:
        tokens = engine.tokenizer.cut(engine.normalize(e.text))
        docs.append({t for t in tokens if t not in _STOP})
    return docs


_PLACE_WORD = re.compile(r"[栋幢座楼]$|单元|号|\d")


def _is_useful(token: str) -> bool:
    """Chinese or Latin words, not numbers or building names (三栋 is not a topic)."""
    return (any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in token)
            and not _PLACE_WORD.search(token))


def propose(engine: Engine, examples: list[Example], by: str = "topic", min_count: int = 2,
            per_class: int = 25, smoothing: float = 0.5, min_share: float = 0.4) -> list[Proposal]:
    """Top tokens per class by smoothed log-odds, weights 0.5..2.

    Learned weights stay below hand-written ones (3..6) on purpose: they fill gaps in
    vocabulary (a message with no hand keyword) without overruling a person's rule.
    """
    labelled = [e for e in examples if by in e.labels]
    docs = _documents(engine, labelled)
    class_size = Counter(e.labels[by] for e in labelled)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    for e, doc in zip(labelled, docs, strict=True):
        counts[e.labels[by]].update(doc)
        total.update(doc)
    n = len(labelled)
    out = []
    for label, counter in counts.items():
        if label == OTHER:
            continue  # 其他 is what is left when no topic fits; it has no keywords
        rest = n - class_size[label]
        scored = []
        for token, c in counter.items():
            # Seen often enough, and mostly in this class: generic words fail the second test.
            if c < min_count or c < total[token] * min_share or not _is_useful(token):
                continue
            other = total[token] - c
            odds_in = (c + smoothing) / (class_size[label] - c + smoothing)
            odds_out = (other + smoothing) / (rest - other + smoothing)
            score = math.log(odds_in / odds_out)
            if score > 1.0:
                scored.append((score, token, c, other))
        scored.sort(reverse=True)
        for score, token, c, other in scored[:per_class]:
            weight = min(2.0, max(0.5, round(score / 3, 1)))
            out.append(Proposal(label, token, weight, c, class_size[label], other))
    return out


def _majority(examples: list[Example], by: str, label: str, field: str) -> str | None:
    votes = Counter(e.labels[field] for e in examples if e.labels.get(by) == label and field in e.labels)
    return votes.most_common(1)[0][0] if votes else None


def to_yaml(engine: Engine, examples: list[Example], proposals: list[Proposal], by: str = "topic") -> str:
    """A rule file for review: new keywords only, each with its evidence as a comment."""
    known = {t.name: {k.text for k in t.keywords} for t in engine.rules.topics}
    lines = [f"# Proposed by 'linli nlp propose' from {len(examples)} labelled messages.",
             "# REVIEW before use: delete noise, adjust weights, then move this file into config/nlp/.",
             "topics:"]
    by_label: dict[str, list[Proposal]] = defaultdict(list)
    for p in proposals:
        if p.token not in known.get(p.label, set()):
            by_label[p.label].append(p)
    for label in sorted(by_label):
        name = label if by == "topic" else f"{label}(学习)"
        lines.append(f"  {name}:")
        if name not in known:
            department = label if by == "department" else _majority(examples, by, label, "department")
            kind = _majority(examples, by, label, "kind") or "小事"
            lines += [f"    department: {department or '其他'}", f"    kind: {kind}"]
        lines.append("    keywords:")
        for p in by_label[label]:
            lines.append(f"      {p.token}: {p.weight:g}   # in {p.in_class}/{p.class_size} of {label}, "
                         f"{p.elsewhere} elsewhere")
    return "\n".join(lines) + "\n"

"""Find rule words in a message at jieba token boundaries.

A one-character word (灯, 水) must be a whole token, so 灯 does not fire inside 灯笼 and
水 not inside 水平. A longer word must start or end on a token boundary, so 楼道灯
still matches when jieba cuts 楼道 / 灯泡 and 救命 inside 喊救命, while 停电 does not
fire inside 暂停 / 电梯 nor 上学 inside 早上 / 学校. This keeps rules readable as plain
words while staying robust to jieba's cutting of words it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Clause boundaries: negation and "the same sentence" never reach across these.
_CLAUSE_RE = re.compile(r"[,.!?;:，。！？；：、~…\n]|但是|可是|不过|然而|只是")


@dataclass(frozen=True)
class Hits:
    """Where each rule word occurs in one normalised message."""

    text: str
    tokens: tuple[str, ...]
    positions: dict[str, list[int]]
    clause_starts: tuple[int, ...]

    def __contains__(self, word: str) -> bool:
        return word in self.positions

    def clause_start(self, pos: int) -> int:
        """Start of the clause that contains ``pos``."""
        start = 0
        for boundary in self.clause_starts:
            if boundary > pos:
                break
            start = boundary
        return start


class PhraseMatcher:
    """Knows every rule word; ``match`` lists where they occur."""

    def __init__(self, words: Iterable[str]):
        self._words = frozenset(words)
        self._lengths = sorted({len(w) for w in self._words if len(w) > 1}, reverse=True)

    def match(self, text: str, tokens: list[str]) -> Hits:
        positions: dict[str, set[int]] = {}
        starts, ends, pos = [], [], 0
        for token in tokens:
            pos = text.find(token, pos)
            if token in self._words:
                positions.setdefault(token, set()).add(pos)
            starts.append(pos)
            pos += len(token)
            ends.append(pos)
        words = self._words
        for length in self._lengths:
            for start in starts:
                candidate = text[start:start + length]
                if len(candidate) == length and candidate in words:
                    positions.setdefault(candidate, set()).add(start)
            for end in ends:
                if end >= length and (candidate := text[end - length:end]) in words:
                    positions.setdefault(candidate, set()).add(end - length)
        clauses = tuple(m.end() for m in _CLAUSE_RE.finditer(text))
        return Hits(text, tuple(tokens), {w: sorted(p) for w, p in positions.items()}, clauses)

"""Find rule words in a message at jieba token boundaries.

A one-character word (灯, 水) must be a whole token, so 灯 does not fire inside 灯笼 and
水 not inside 水平. A longer word must start where a token starts but may end inside
one, so 楼道灯 still matches when jieba cuts 楼道 / 灯泡. This keeps rules readable as
plain words while staying robust to jieba's cutting of words it does not know.
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
        positions: dict[str, list[int]] = {}
        pos = 0
        for token in tokens:
            pos = text.find(token, pos)
            if token in self._words:
                positions.setdefault(token, []).append(pos)
            for length in self._lengths:
                if length != len(token):
                    candidate = text[pos:pos + length]
                    if len(candidate) == length and candidate in self._words:
                        positions.setdefault(candidate, []).append(pos)
            pos += len(token)
        clauses = tuple(m.end() for m in _CLAUSE_RE.finditer(text))
        return Hits(text, tuple(tokens), positions, clauses)

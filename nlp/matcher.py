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

from nlp.rules import Keyword

# A verb with an aspect particle (坏了, 漏了, 停掉) also counts as the bare verb, so a
# rule written "灯 坏" matches "灯坏了" however jieba glued the particle on.
_PARTICLES = frozenset("了掉着过啦咯")

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
        # Lengths of multi-character words by their first and by their last character, so
        # each boundary is tried only against lengths that could match there.
        self._by_first: dict[str, tuple[int, ...]] = {}
        self._by_last: dict[str, tuple[int, ...]] = {}
        for first, last, length in {(w[0], w[-1], len(w)) for w in self._words if len(w) > 1}:
            self._by_first[first] = (*self._by_first.get(first, ()), length)
            self._by_last[last] = (*self._by_last.get(last, ()), length)

    def match(self, text: str, tokens: list[str]) -> Hits:
        positions: dict[str, set[int]] = {}
        starts, ends, pos = [], [], 0
        for token in tokens:
            pos = text.find(token, pos)
            if token in self._words:
                positions.setdefault(token, set()).add(pos)
            elif len(token) == 2 and token[1] in _PARTICLES and token[0] in self._words:
                positions.setdefault(token[0], set()).add(pos)
            starts.append(pos)
            pos += len(token)
            ends.append(pos)
        words = self._words
        for start in starts:
            for length in self._by_first.get(text[start], ()):
                if (candidate := text[start:start + length]) in words:
                    positions.setdefault(candidate, set()).add(start)
        for end in ends:
            for length in self._by_last.get(text[end - 1], ()):
                if end >= length and (candidate := text[end - length:end]) in words:
                    positions.setdefault(candidate, set()).add(end - length)
        clauses = tuple(m.end() for m in _CLAUSE_RE.finditer(text))
        return Hits(text, tuple(tokens), {w: sorted(p) for w, p in positions.items()}, clauses)


class KeywordIndex:
    """Which of many keywords are present, checking only those whose first word occurs.

    Rules hold hundreds of keywords and a message a dozen words; looking up from the
    message's side keeps classification well above 5,000 messages a second.
    """

    def __init__(self, keywords: Iterable[Keyword]):
        self._by_first: dict[str, list[Keyword]] = {}
        for kw in keywords:
            for word in kw.parts[0]:
                self._by_first.setdefault(word, []).append(kw)

    def present(self, hits: Hits) -> list[Keyword]:
        """Keywords all of whose words occur in the message."""
        found: dict[int, Keyword] = {}
        positions = hits.positions
        for word in positions:
            for kw in self._by_first.get(word, ()):
                if len(kw.parts) == 1 or all(any(w in positions for w in alts) for alts in kw.parts[1:]):
                    found[id(kw)] = kw
        return list(found.values())

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
# Residents also separate phrases with spaces ("昨天有人打架 现在怎么处理"): past and
# habitual markers stop there too, while a denial still reaches across ("烧垃圾 黑烟").
_CLAUSE_RE = re.compile(r"[,.!?;:，。！？；：、~…\n]|但是|可是|不过|然而|只是")


@dataclass(frozen=True)
class Hits:
    """Where each rule word occurs in one normalised message."""

    text: str
    tokens: tuple[str, ...]
    positions: dict[str, list[int]]
    clause_starts: tuple[int, ...]
    phrase_starts: tuple[int, ...] = ()  # clause starts plus the position after each space

    def __contains__(self, word: str) -> bool:
        return word in self.positions

    def clause_start(self, pos: int) -> int:
        """Start of the clause that contains ``pos``."""
        return self._start(pos, self.clause_starts)

    def phrase_start(self, pos: int) -> int:
        """Start of the space-separated phrase that contains ``pos``."""
        return self._start(pos, self.phrase_starts)

    @staticmethod
    def _start(pos: int, boundaries: tuple[int, ...]) -> int:
        start = 0
        for boundary in boundaries:
            if boundary > pos:
                break
            start = boundary
        return start


class PhraseMatcher:
    """Knows every rule word; ``match`` lists where they occur."""

    def __init__(self, words: Iterable[str]):
        self._words = frozenset(words)
        # Every prefix and suffix of a multi-character word: scanning from a boundary
        # stops at the first character no word continues with, usually after one or two.
        # Numbers (110, 12315) stay whole tokens too: 110 is no call to the police in room 1102.
        longer = [w for w in self._words if len(w) > 1 and not w.isdigit()]
        self._prefixes = frozenset(w[:i] for w in longer for i in range(1, len(w) + 1))
        self._suffixes = frozenset(w[-i:] for w in longer for i in range(1, len(w) + 1))

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
        words, prefixes, suffixes, size = self._words, self._prefixes, self._suffixes, len(text)
        for start in starts:
            stop = start + 2
            while stop <= size and (candidate := text[start:stop]) in prefixes:
                if candidate in words:
                    positions.setdefault(candidate, set()).add(start)
                stop += 1
        for end in ends:
            begin = end - 2
            while begin >= 0 and (candidate := text[begin:end]) in suffixes:
                if candidate in words:
                    positions.setdefault(candidate, set()).add(begin)
                begin -= 1
        clauses = tuple(m.end() for m in _CLAUSE_RE.finditer(text))
        phrases = tuple(sorted({*clauses, *(i + 1 for i, ch in enumerate(text) if ch == " ")}))
        return Hits(text, tuple(tokens), {w: sorted(p) for w, p in positions.items()}, clauses, phrases)


class KeywordIndex:
    """Which of many keywords are present, checking only those whose first word occurs.

    Rules hold hundreds of keywords and a message a dozen words; looking up from the
    message's side keeps classification well above 5,000 messages a second.
    """

    def __init__(self, keywords: Iterable[Keyword]):
        # Each keyword under every alternative of its first part, with the remaining parts
        # as sets so "one of these words occurs" is a single set operation.
        self._by_first: dict[str, list[tuple[Keyword, tuple[frozenset[str], ...]]]] = {}
        for kw in keywords:
            rest = tuple(frozenset(alternatives) for alternatives in kw.parts[1:])
            for word in kw.parts[0]:
                self._by_first.setdefault(word, []).append((kw, rest))

    def present(self, hits: Hits) -> list[Keyword]:
        """Keywords all of whose words occur in the message."""
        found: dict[int, Keyword] = {}
        present = hits.positions.keys()
        for word in present:
            for kw, rest in self._by_first.get(word, ()):
                if all(not present.isdisjoint(alternatives) for alternatives in rest):
                    found[id(kw)] = kw
        return list(found.values())

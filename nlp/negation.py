"""Is a word in a message denied, hypothetical or past rather than happening now?

"没有着火", "万一着火", "防止起火", "经常困人", "摔倒过", "着火的话" all contain a danger
word but report no danger now. A marker cancels a word when it stands in the same
clause within ``window`` characters before it, or right after it; a past marker
(前两天, 去年) anywhere earlier in the clause cancels it too, and so does a resolution
(已经灭了, 没事了, 已经找到) anywhere later in the message. "是不是着火了" is a
worried present, not a denial, so question words are blanked before the check.
"""

from __future__ import annotations

from nlp.matcher import Hits
from nlp.rules import Keyword, Urgency

_QUESTIONS = ("是不是", "有没有", "是否", "会不会是")
_CLAUSE_END = ",.!?;，。！？；"


class Negation:
    def __init__(self, rules: Urgency):
        self.before = rules.negations_before
        self.after = rules.negations_after
        self.past = rules.past_markers
        self.window = rules.window
        self.resolved = rules.resolved

    def marker(self, hits: Hits, word: str, pos: int) -> str | None:
        """The marker that cancels ``word`` at ``pos``, or None."""
        clause_start = hits.clause_start(pos)
        for marker in self.past:
            if marker in hits.text[clause_start:pos]:
                return marker
        before = hits.text[max(clause_start, pos - self.window):pos]
        for question in _QUESTIONS:
            before = before.replace(question, "#" * len(question))
        for marker in self.before:
            if marker in before:
                return marker
        end = pos + len(word)
        later = hits.text[end:]
        for marker in self.resolved:
            if marker in later:
                return marker
        after = later[:self.window]
        after = after[: next((i for i, ch in enumerate(after) if ch in _CLAUSE_END), len(after))]
        for marker in self.after:
            if after.startswith(marker) or (len(marker) > 1 and marker in after):
                return marker
        return None

    def cancelled(self, keyword: Keyword, hits: Hits) -> str | None:
        """The marker when some part of ``keyword`` is cancelled at every occurrence."""
        for alternatives in keyword.parts:
            markers = [self.marker(hits, word, p)
                       for word in alternatives for p in hits.positions.get(word, ())]
            if markers and all(markers):
                return markers[0]
        return None

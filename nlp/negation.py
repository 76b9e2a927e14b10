"""Is a word in a message denied, hypothetical or past rather than happening now?

"没有着火", "万一着火", "防止起火", "经常困人", "摔倒过", "着火的话" all contain a danger
word but report no danger now. A marker cancels a word when it stands in the same
clause within ``window`` characters before it, or right after it; a past marker
(前两天, 去年) anywhere earlier in the clause cancels it too, and so does a resolution
(已经灭了, 没事了, 已经找到) anywhere later in the message. "是不是着火了" is a
worried present, not a denial, so question words are blanked before the check.

A past marker in the first clause of a sentence ("上周小区门口有人发传单，…") sets the
time of the whole sentence, until a present marker (还在, 到现在) brings it back to now.
A habitual marker (天天冒黑烟) cancels like a past one unless a present marker follows
anywhere ("隔壁天天晚上打老婆，…今晚又开始了" is urgent).
Cry words (救命) are cancelled by hyperbole anywhere in the message ("救命 这电梯再坏
一次我就要疯了"); concrete dangers never are, so "救命 着火了 急死了" stays urgent.
"""

from __future__ import annotations

from nlp.matcher import Hits
from nlp.rules import Keyword, Urgency

_QUESTIONS = ("是不是", "有没有", "是否", "会不会是")
_CLAUSE_END = ",.!?;，。！？；"
_SENTENCE_END = ".!?;。！？；\n"


class Negation:
    def __init__(self, rules: Urgency):
        self.before = rules.negations_before
        self.after = rules.negations_after
        self.past = rules.past_markers
        self.present = rules.present_markers
        self.habitual = rules.habitual
        self.window = rules.window
        self.resolved = rules.resolved
        self.hyperbole = rules.hyperbole
        self.emotive = frozenset(rules.emotive)

    def _past(self, hits: Hits, pos: int, end: int) -> str | None:
        """A past marker earlier in this clause or in the sentence's first clause, with
        no present marker between it and the end of this word's clause; or a habitual
        marker earlier in this clause with no present marker anywhere after it."""
        text = hits.text
        sentence = max(text.rfind(ch, 0, pos) for ch in _SENTENCE_END) + 1
        first_end = next((b for b in hits.phrase_starts if b > sentence), len(text))
        clause, clause_end = hits.phrase_start(pos), next((b for b in hits.phrase_starts if b > end), len(text))
        for markers, spans, until in ((self.past, ((clause, pos), (sentence, min(first_end, pos))), clause_end),
                                      (self.habitual, ((clause, pos),), len(text))):
            for marker in markers:
                for start, stop in spans:
                    at = text.find(marker, start, stop)
                    if at >= 0 and not any(w in text[at + len(marker):until] for w in self.present):
                        return marker
        return None

    def _before(self, hits: Hits, pos: int) -> str | None:
        before = hits.text[max(hits.clause_start(pos), pos - self.window):pos]
        for question in _QUESTIONS:
            before = before.replace(question, "#" * len(question))
        return next((m for m in self.before if m in before), None)

    def _after(self, hits: Hits, end: int) -> str | None:
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

    def marker(self, hits: Hits, word: str, pos: int) -> str | None:
        """The marker that cancels ``word`` at ``pos``, or None."""
        end = pos + len(word)
        return self._past(hits, pos, end) or self._before(hits, pos) or self._after(hits, end)

    def cancelled(self, keyword: Keyword, hits: Hits) -> str | None:
        """The marker when some part of ``keyword`` is cancelled at every occurrence."""
        if self.emotive.issuperset(keyword.words):
            exaggerated = next((m for m in self.hyperbole if m in hits.text), None)
            if exaggerated:
                return exaggerated
        for alternatives in keyword.parts:
            markers = [self.marker(hits, word, p)
                       for word in alternatives for p in hits.positions.get(word, ())]
            if markers and all(markers):
                return markers[0]
        return None

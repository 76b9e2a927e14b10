"""Turn what a resident typed on a phone into one canonical simplified-Chinese string.

Every later step (jieba, keyword rules, place regexes) assumes this form, so rules are
written once in simplified characters with ASCII digits and never per variant:
traditional characters (樓道燈壞了), full-width digits and letters (３号楼), emoji and
control characters, and pasted essays that would only slow the classifier down.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import zhconv
from zhconv import zhconv as _tables

# zhconv converts by longest-match over ~9,000 phrases, a millisecond for a letter; a text
# with no traditional-only character (most messages) comes out unchanged, so skip it.
_tables.getdict("zh-cn")
_TRADITIONAL = frozenset(_tables.zhcdicts["TRADONLY"])


def _to_simplified(text: str) -> str:
    return zhconv.convert(text, "zh-cn") if not _TRADITIONAL.isdisjoint(text) else text

#: Input longer than this is cut: a pasted document must not cost the gateway its
#: 5-second reply window. Residents' letters run to 400-1,000 characters and their
#: later paragraphs still name the department (1,200 against 600 gained a point of
#: accuracy on held-out letters), so the cut is well past a chat message.
MAX_CHARS = 1200

# Emoji that carry meaning a grid worker would read; every other pictograph is dropped.
_EMOJI_WORDS = {
    "🔥": "火",
    "🆘": "救命",
    "🚒": "消防",
    "🚑": "救护车",
    "💧": "水",
    "⚡": "电",
    "🚗": "车",
    "🗑": "垃圾",
}

# Pictographs, dingbats, variation selectors and zero-width joiners used inside emoji.
_EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0e\ufe0f\u200d\u20e3\U000e0000-\U000e007f]"
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u200c\u2028\u2029\ufeff]")
_SPACE_RE = re.compile(r"[ \t\r\n\u3000]+")
# Punctuation after which truncation may cut without splitting a sentence.
_SENTENCE_END = "。！？!?；;\n"


def truncate(text: str, limit: int = MAX_CHARS) -> str:
    """Cut ``text`` to at most ``limit`` characters, preferring a sentence end.

    Python strings are code-point sequences, so no character is ever split; looking back
    up to a fifth of the limit for a sentence end keeps the last clause whole, which
    matters for negation ("没有着火" must not become "没有").
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(ch) for ch in _SENTENCE_END)
    if cut >= limit - limit // 5:
        return head[: cut + 1]
    return head


# Full-width ASCII forms (U+FF01-FF5E) and the ideographic space, and nothing else: NFKC
# would also turn ① or ² into digits, and a command's number must be one the resident typed.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def simplified(text: str) -> str:
    """Just the character forms: full-width to half-width (３ → 3, ｜ → |, 　 → space) and
    traditional to simplified (認領 → 认领), nothing dropped; commands are matched on it."""
    return _to_simplified(text.translate(_FULL_WIDTH))


def _replace_emoji(text: str) -> str:
    for emoji, word in _EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, word)
    return _EMOJI_RE.sub(" ", text)


class Normalizer:
    """Applies the fixed steps plus the rule files' typo corrections (错别字 → 正字).

    Typos are replaced after conversion to simplified characters, so a rule author only
    writes the simplified misspelling (电体 → 电梯), longest first so 燃汽灶 beats 燃汽.
    """

    def __init__(self, typos: Mapping[str, str] | None = None, limit: int = MAX_CHARS):
        self.limit = limit
        self.typos = dict(typos or {})
        words = sorted(self.typos, key=len, reverse=True)
        self._typo_re = re.compile("|".join(map(re.escape, words))) if words else None

    def __call__(self, text: str) -> str:
        # Cut a generous prefix first so hostile megabyte inputs cost nothing further.
        text = text[: self.limit * 2]
        text = _replace_emoji(text)
        text = unicodedata.normalize("NFKC", text)
        text = _CONTROL_RE.sub("", text)
        text = _to_simplified(text)
        if self._typo_re is not None:
            text = self._typo_re.sub(lambda m: self.typos[m.group(0)], text)
        text = _SPACE_RE.sub(" ", text).strip()
        return truncate(text, self.limit)

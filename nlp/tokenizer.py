"""One quiet jieba tokenizer per process, taught the community's vocabulary.

jieba's stock dictionary cuts "3号楼2单元楼道灯坏了" into 单元楼 / 道 / 灯坏; the domain
dictionary (config/nlp/dict.txt) and every rule keyword are added as words so the
tokens are the ones a grid worker would read (单元 / 楼道灯 / 坏). HMM guessing of
unknown words is off: it glues neighbouring characters into invented words (灯坏) that
no rule can name, and dictionary-only cutting is faster and deterministic.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import jieba

# jieba logs "Building prefix dict ..." at DEBUG on its own stderr handler.
logging.getLogger("jieba").setLevel(logging.WARNING)

#: Frequency given to domain words: high enough to win over jieba's own cuts.
DOMAIN_FREQ = 50_000


def _cache_file() -> str:
    """jieba's dictionary cache, per user so two accounts never share a writable file."""
    cache_dir = os.environ.get("LINLI_NLP_CACHE_DIR") or tempfile.gettempdir()
    return str(Path(cache_dir) / f"linli-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}.cache")


class Tokenizer:
    """Wraps a private ``jieba.Tokenizer`` so other jieba users in the process are untouched."""

    def __init__(self) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.cache_file = _cache_file()
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build or read the prefix dictionary now rather than on the first request."""
        self._jieba.initialize()

    def add_words(self, words: Iterable[str]) -> None:
        """Teach words; adding the same word again is a no-op, so reload is cheap."""
        with self._lock:
            self.warm()
            for word in words:
                word = word.strip()
                if word and word not in self._known:
                    self._jieba.add_word(word, DOMAIN_FREQ)
                    self._known.add(word)

    def cut(self, text: str) -> list[str]:
        """Tokens of ``text`` (already normalised), whitespace dropped."""
        return [t for t in self._jieba.lcut(text, HMM=False) if not t.isspace()]

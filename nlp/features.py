"""The features learned weights are over: jieba tokens and pairs of neighbouring tokens.

One function for training (``nlp.learn``) and scoring (``nlp.weights``), so a weight
in config/nlp/weights.tsv always means the same thing at both ends. Punctuation and
bare numbers are dropped (a room number says nothing about who owns the fix); a pair
is written with a space between its tokens ("楼道 灯").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_NOISE = re.compile(r"^[\W_\d]+$")


def words(tokens: Iterable[str]) -> list[str]:
    """The tokens a feature may be built from."""
    return [t for t in tokens if not _is_noise(t)]


@functools.lru_cache(maxsize=65536)
def _is_noise(token: str) -> bool:
    return _NOISE.match(token) is not None


def features(tokens: Iterable[str]) -> list[str]:
    """Unigrams then bigrams, in order, repeats kept (counts matter to TF)."""
    kept = words(tokens)
    return kept + [f"{a} {b}" for a, b in zip(kept, kept[1:])]

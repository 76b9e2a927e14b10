"""Which emergency number a request calls for: fire 119, injury 120, crime 110, else all three."""
from __future__ import annotations

import re

from handlers.texts import alerts as texts

# First match wins; the words are the ones residents use for each hazard (config/nlp topics).
_RULES = (
    (re.compile("火|烟|煤气|燃气|天然气|液化气|爆炸"), texts.CALL_FIRE),
    (re.compile("晕|昏|摔倒|倒地|不省人事|受伤|流血|出血|心脏|抽搐|没有呼吸|没气了"), texts.CALL_AMBULANCE),
    (re.compile("困|关在"), texts.CALL_TRAPPED),
    (re.compile("偷|抢|砸|打人|打架|持刀|闯入|撬|小偷|骗"), texts.CALL_POLICE),
)


def emergency_call(text: str) -> str:
    return next((sentence for pattern, sentence in _RULES if pattern.search(text)), texts.CALL_ANY)

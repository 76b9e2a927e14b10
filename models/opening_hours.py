"""A centre's opening hours, read from the text staff write (周一至周六 9:00-18:00).

Only what can be read for sure is enforced: a time range (and a weekday range when given).
Text with no time range means unknown hours, which restrict nothing; hours ending at or
before they start (past midnight) are not read either.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from models.clock import to_local

_TIMES = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~至到]\s*(\d{1,2})[:：](\d{2})")
_DAYS = re.compile(r"周([一二三四五六日天])\s*[至到\-–—~]\s*周([一二三四五六日天])")
_DAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@dataclass(frozen=True)
class OpeningHours:
    opens: time
    closes: time
    weekdays: frozenset[int]  # Monday = 0

    def admits(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Whether [starts_at, ends_at) lies within one opening day (China time)."""
        start, end = to_local(starts_at), to_local(ends_at)
        return (start.weekday() in self.weekdays and end.date() == start.date()
                and self.opens <= start.time() and end.time() <= self.closes)


def parse_hours(text: str) -> OpeningHours | None:
    found = _TIMES.search(text)
    if found is None:
        return None
    h1, m1, h2, m2 = (int(part) for part in found.groups())
    if max(h1, h2) > 23 or max(m1, m2) > 59:
        return None
    opens, closes = time(h1, m1), time(h2, m2)
    if closes <= opens:
        return None
    days = _DAYS.search(text)
    weekdays = frozenset(range(7))
    if days:
        first, last = _DAY_INDEX[days.group(1)], _DAY_INDEX[days.group(2)]
        weekdays = frozenset(range(first, last + 1)) if first <= last else frozenset(range(7))
    return OpeningHours(opens, closes, weekdays)

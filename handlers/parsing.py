"""Arguments of queue commands: “12”, “12 说明”, “12说明”, full-width digits included.

Only decimal digits count (what int() reads); “①” or “²” are no number, and neither is
a run longer than any id (“99999999999”), so such text gets the command's usage line.
"""
from __future__ import annotations

import re

_NUMBERED = re.compile(r"^(\d{1,9})(?!\d)(?:\s*(.*))?$", re.S)


def numbered(args: str) -> tuple[int, str] | None:
    """(number, the rest stripped) when `args` starts with a number, else None."""
    match = _NUMBERED.match(args.strip())
    if not match:
        return None
    return int(match.group(1)), (match.group(2) or "").strip()


def number_only(args: str) -> int | None:
    """The number when `args` is one number and nothing else, else None."""
    parsed = numbered(args)
    return parsed[0] if parsed and not parsed[1] else None

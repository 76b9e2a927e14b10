"""Arguments of queue commands: “12”, “12 说明”, “12说明”, full-width digits included."""
from __future__ import annotations

import re

_NUMBERED = re.compile(r"^(\d{1,9})(?:\s*(.*))?$", re.S)


def numbered(args: str) -> tuple[int, str] | None:
    """(number, the rest stripped) when `args` starts with a number, else None."""
    match = _NUMBERED.match(args.strip())
    if not match:
        return None
    return int(match.group(1)), (match.group(2) or "").strip()

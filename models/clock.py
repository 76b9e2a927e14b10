"""Time as Linli stores it: timezone-aware UTC (SQLModel's datetime columns insist on it).

Users read China Standard Time; convert only when rendering.
"""
from datetime import UTC, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """A stored moment in China Standard Time (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA)


def local_text(moment: datetime) -> str:
    return to_local(moment).strftime("%m-%d %H:%M")

"""Time as the database stores it: naive UTC, the same on SQLite and PostgreSQL."""
from datetime import UTC, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored naive-UTC moment in China Standard Time, for what users read."""
    return moment.replace(tzinfo=UTC).astimezone(CHINA)


def local_text(moment: datetime) -> str:
    return to_local(moment).strftime("%m-%d %H:%M")

"""Notices (通知) staff broadcast to a unit of the tree, and their fan-out into deliveries.

A notice is `scheduled` until its `send_at`; fanning out moves it to `fanned_out` and
writes one `OutboundMessage` per recipient (idempotency key notice:<id>:<openid>) in the
same transaction, so a crash leaves either no deliveries or all of them. What happened
to each delivery is read from those rows (`delivery_counts`).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import Column, Text, func, insert, update
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import CHINA, to_local, utcnow
from models.org import OrgUnit, ancestors
from models.outbound import NOTICE_IN_SESSION, OutboundMessage
from models.subscriptions import recipients

_INSERT_CHUNK = 2000


class NoticeStatus(StrEnum):
    scheduled = "scheduled"
    fanned_out = "fanned_out"
    cancelled = "cancelled"


class Notice(SQLModel, table=True):
    """`tags`: comma-separated topics (停水停电,防汛); `urgent` notices ignore quiet hours;
    `created_by` is None when an operator sent it from the command line."""

    __tablename__ = "notice"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="org_unit.id", index=True)
    title: str = Field(max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    tags: str = Field(default="", max_length=200)
    urgent: bool = False
    status: str = Field(default=NoticeStatus.scheduled, max_length=16, index=True)
    send_at: datetime = Field(default_factory=utcnow, index=True)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    fanned_out_at: datetime | None = None
    recipients: int = 0

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """'22:00-07:00' → (22:00, 07:00)."""
    start, end = text.split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def quiet_until(moment: datetime, start: time, end: time) -> datetime | None:
    """When `moment` falls in the quiet hours (China time, e.g. 22:00-07:00), the moment they end."""
    local = to_local(moment)
    clock = local.timetz().replace(tzinfo=None)
    wraps = start > end
    inside = (clock >= start or clock < end) if wraps else (start <= clock < end)
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if wraps and clock >= start else local.date()
    return datetime.combine(day, end, tzinfo=CHINA)


async def create_notice(session: AsyncSession, *, unit: OrgUnit, title: str, body: str, tags: list[str],
                        urgent: bool, send_at: datetime, created_by: int | None,
                        quiet_hours: tuple[time, time]) -> Notice:
    """A scheduled notice; a non-urgent one asked for during quiet hours waits for their end."""
    start = send_at if urgent else (quiet_until(send_at, *quiet_hours) or send_at)
    notice = Notice(unit_id=unit.id, title=title, body=body, tags=",".join(tags), urgent=urgent,
                    send_at=start, created_by=created_by)
    session.add(notice)
    await session.flush()
    session.info[NOTICE_IN_SESSION] = True
    return notice


async def related_unit_ids(session: AsyncSession, unit_id: int) -> list[int]:
    """The unit, every unit above it and every unit below it: whose subscribers a notice concerns."""
    units = (await session.exec(select(OrgUnit.id, OrgUnit.parent_id))).all()
    children: dict[int | None, list[int]] = {}
    for child, parent in units:
        children.setdefault(parent, []).append(child)
    below, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        below.add(current)
        stack.extend(children.get(current, []))
    return sorted(below | {unit.id for unit in await ancestors(session, unit_id)})


async def fan_out(session: AsyncSession, notice_id: int, now: datetime, first_attempt: datetime) -> list[int]:
    """Write one delivery per recipient, once: the ids of the new rows ([] if done before)."""
    claimed = await session.exec(update(Notice).where(Notice.id == notice_id, Notice.status == NoticeStatus.scheduled)
                                 .values(status=NoticeStatus.fanned_out, fanned_out_at=now))
    if claimed.rowcount != 1:
        return []
    notice = await session.get(Notice, notice_id)
    await session.refresh(notice)
    audience = await recipients(session, await related_unit_ids(session, notice.unit_id), notice.tag_list)
    rows = [dict(idempotency_key=f"notice:{notice.id}:{openid}", openid=openid, kind="notice",
                 title=notice.title, body=notice.body, notice_id=notice.id, urgent=notice.urgent,
                 status="pending", attempts=0, created_at=now, next_attempt_at=first_attempt)
            for openid in sorted(audience.values())]
    for start in range(0, len(rows), _INSERT_CHUNK):
        await session.exec(insert(OutboundMessage), params=rows[start:start + _INSERT_CHUNK])
    notice.recipients = len(rows)
    session.add(notice)
    ids = await session.exec(select(OutboundMessage.id).where(OutboundMessage.notice_id == notice.id)
                             .order_by(OutboundMessage.id))
    return list(ids.all())


async def due_notices(session: AsyncSession, now: datetime, limit: int = 20) -> list[int]:
    query = (select(Notice.id).where(Notice.status == NoticeStatus.scheduled, Notice.send_at <= now)
             .order_by(Notice.send_at).limit(limit))
    return list((await session.exec(query)).all())


async def delivery_counts(session: AsyncSession, notice_id: int) -> dict[str, int]:
    """{'sent': n, 'pending': n, 'failed': n, 'skipped': n} for one notice's deliveries."""
    counts = {"sent": 0, "pending": 0, "failed": 0, "skipped": 0}
    rows = await session.exec(select(OutboundMessage.status, func.count()).where(
        OutboundMessage.notice_id == notice_id).group_by(OutboundMessage.status))
    for status, number in rows.all():
        counts[status] = number
    return counts

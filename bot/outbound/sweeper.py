"""The slow jobs that keep the queue honest; one worker at a time runs them (a Redis lock).

- Due notices fan out into delivery rows, which are put on the stream after commit.
- Lost entries: a pending row whose due time lies well before the stream's watermark (every
  entry added before it is handled) has no entry left; it goes back on the stream. This
  catches an XADD that never ran (crash after commit, Redis briefly down).
- Lost Redis: when the queue's epoch key is gone, Redis restarted empty; every pending row
  goes back on the stream (or the delay set, if not due yet).
The queries use the (status, next_attempt_at) index and run every few seconds, never per message.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import select

from bot.outbound.stream import OutboundStream
from bot.storage import Storage
from config.settings import Settings
from models.clock import utcnow
from models.notices import due_notices, fan_out
from models.outbound import OutboundMessage

log = logging.getLogger(__name__)
_CHUNK = 5000


async def fan_out_due(storage: Storage, stream: OutboundStream) -> int:
    """Fan out every notice whose time has come; the deliveries queued."""
    queued = 0
    async with storage.sessions() as session:
        ids = await due_notices(session, utcnow())
    for notice_id in ids:
        queued += await fan_out_one(storage, stream, notice_id)
    return queued


async def fan_out_one(storage: Storage, stream: OutboundStream, notice_id: int) -> int:
    now = utcnow()
    async with storage.sessions() as session, session.begin():
        row_ids = await fan_out(session, notice_id, now, now)
    await stream.publish(row_ids)
    if row_ids:
        log.info("notice %s: %d deliveries queued", notice_id, len(row_ids))
    return len(row_ids)


async def requeue_lost(storage: Storage, stream: OutboundStream, settings: Settings) -> int:
    """Put back pending rows that no entry stands for any more; how many."""
    if await stream.ensure_epoch():
        log.warning("outbound queue state missing in Redis (restart?): requeueing every pending row")
        await stream.ensure_group()
        return await _requeue(storage, stream, cutoff=None)
    watermark = datetime.fromtimestamp(await stream.watermark(), UTC)
    cutoff = min(watermark, utcnow()) - timedelta(seconds=settings.outbound_sweep_grace_s)
    found = await _requeue(storage, stream, cutoff=cutoff)
    if found:
        log.warning("requeued %d outbound rows whose queue entry was lost", found)
    return found


async def _requeue(storage: Storage, stream: OutboundStream, cutoff: datetime | None) -> int:
    """Pending rows due before `cutoff` (None: all) back to the stream, future ones to the delay set.

    A row put back is first marked due now: every entry is then younger than its row's due
    time, which is what lets the watermark tell a lost entry from one still waiting.
    """
    now, after, total = utcnow(), 0, 0
    while True:
        query = select(OutboundMessage.id, OutboundMessage.next_attempt_at).where(
            OutboundMessage.status == "pending", OutboundMessage.id > after)
        if cutoff is not None:
            query = query.where(OutboundMessage.next_attempt_at < cutoff)
        async with storage.sessions() as session, session.begin():
            rows = (await session.exec(query.order_by(OutboundMessage.id).limit(_CHUNK))).all()
            due = [row_id for row_id, at in rows if at <= now]
            if due:
                await session.exec(update(OutboundMessage).where(
                    OutboundMessage.id.in_(due), OutboundMessage.status == "pending").values(next_attempt_at=now))
        if not rows:
            return total
        await stream.publish(due)
        await stream.delay({row_id: at.timestamp() for row_id, at in rows if at > now})
        after, total = rows[-1][0], total + len(rows)

"""The Redis side of the queue: stream, consumer group, takeover, delay set, watermark, sweeper."""
from __future__ import annotations

import time
from datetime import timedelta

from bot.outbound.ratelimit import GlobalRateLimit
from bot.outbound.stream import OutboundStream
from bot.outbound.sweeper import requeue_lost
from models.clock import utcnow
from models.db import make_sessionmaker
from models.outbound import enqueue


async def _stream(storage) -> OutboundStream:
    stream = OutboundStream(storage.redis, storage.keys)
    await stream.ensure_group()
    await stream.ensure_epoch()
    return stream


async def _rows(storage, number: int, due_in_s: float = -60) -> list[int]:
    """Rows whose publish after commit never happened (a plain session has no publisher)."""
    async with make_sessionmaker(storage.engine)() as session, session.begin():
        rows = [await enqueue(session, key=f"k{n}", openid=f"o_{n}", kind="ticket_update", body="b")
                for n in range(number)]
        for row in rows:
            row.next_attempt_at = utcnow() + timedelta(seconds=due_in_s)
            session.add(row)
    return [row.id for row in rows]


async def test_read_ack_and_takeover(storage):
    stream = await _stream(storage)
    await stream.publish([1, 2, 3])
    taken = await stream.read("a", 10, 100)
    assert [row for _, row in taken] == [1, 2, 3]
    assert await stream.read("b", 10, 100) == []  # each entry goes to one consumer
    reclaimed = await stream.reclaim("b", 0, 10)  # "a" died: its entries move to "b"
    assert [row for _, row in reclaimed] == [1, 2, 3]
    await stream.ack([entry for entry, _ in reclaimed])
    assert await storage.redis.xlen(stream.stream) == 0
    assert await stream.reclaim("c", 0, 10) == []


async def test_row_locks_keep_a_second_reader_off(storage):
    stream = await _stream(storage)
    assert await stream.lock([1, 2], "a", 1000) == [1, 2]
    assert await stream.lock([2, 3], "b", 1000) == [3]
    await stream.unlock([2])
    assert await stream.lock([2], "b", 1000) == [2]


async def test_due_retries_move_to_the_stream_once(storage):
    stream = await _stream(storage)
    await stream.delay({1: time.time() - 1, 2: time.time() + 60})
    assert await stream.move_due() == 1
    assert await stream.move_due() == 0
    assert [row for _, row in await stream.read("a", 10, 100)] == [1]


async def test_watermark_follows_the_oldest_unfinished_entry(storage):
    stream = await _stream(storage)
    assert abs(await stream.watermark() - time.time()) < 5  # idle: everything handled
    await stream.publish([1])
    assert await stream.watermark() < time.time() - 1000  # added, not read yet
    entries = await stream.read("a", 10, 100)
    mark = await stream.watermark()
    assert mark <= int(entries[0][0].split("-")[0]) / 1000
    await stream.ack([entry for entry, _ in entries])
    assert abs(await stream.watermark() - time.time()) < 5


async def test_sweeper_requeues_rows_whose_entry_is_lost_and_only_once(storage, settings):
    stream = await _stream(storage)
    lost = await _rows(storage, 3)  # queued by another area; their XADD never happened
    assert await requeue_lost(storage, stream, settings) == 3
    assert await requeue_lost(storage, stream, settings) == 0  # their new entries wait on the stream
    entries = await stream.read("a", 10, 100)
    assert sorted(row for _, row in entries) == lost
    assert await requeue_lost(storage, stream, settings) == 0  # being handled (pending in the group)
    await stream.ack([entry for entry, _ in entries])


async def test_rows_due_a_moment_ago_are_not_taken_for_lost(storage, settings):
    stream = await _stream(storage)
    await _rows(storage, 2, due_in_s=0)
    assert await requeue_lost(storage, stream, settings) == 0


async def test_after_redis_lost_its_data_every_pending_row_returns(storage, settings):
    stream = await _stream(storage)
    due = await _rows(storage, 2)
    async with storage.sessions() as session, session.begin():
        later = await enqueue(session, key="later", openid="o_l", kind="ticket_update", body="b")
        later.next_attempt_at = utcnow() + timedelta(hours=1)
        sent = await enqueue(session, key="sent", openid="o_s", kind="ticket_update", body="b")
        sent.status = "sent"
        session.add_all([later, sent])
    await storage.publisher.drain()  # the commits' own XADDs land before the restart, not after it
    await storage.redis.delete(stream.epoch_key, stream.stream)  # what an empty restart leaves
    assert await requeue_lost(storage, stream, settings) == 3
    assert sorted(row for _, row in await stream.read("a", 10, 100)) == due
    assert await storage.redis.zrange(stream.delayed, 0, -1) == [str(later.id)]


async def test_global_rate_limit_grants_no_more_than_the_rate(storage):
    limiter = GlobalRateLimit(storage.redis, storage.keys, 100)
    started, granted = time.monotonic(), 0
    while time.monotonic() - started < 0.5:
        granted += await limiter.take(7)
    elapsed = time.monotonic() - started
    assert granted <= 100 * elapsed + 10 + 7  # rate × time + the bucket + one last grant


async def test_a_pause_holds_every_sender_and_no_limit_means_no_wait(storage):
    unlimited = GlobalRateLimit(storage.redis, storage.keys, 0)
    assert await unlimited.take(500) == 500
    await unlimited.pause(0.3)
    started = time.monotonic()
    assert await unlimited.take(5) == 5
    assert time.monotonic() - started >= 0.2



async def test_a_push_queued_in_a_transaction_is_on_the_stream_once_it_commits(storage):
    stream = await _stream(storage)
    async with storage.sessions() as session, session.begin():
        row = await enqueue(session, key="now", openid="o_now", kind="ticket_update", body="b")
        assert await stream.read("a", 10, 10) == []  # nothing before the commit
    await storage.publisher.drain()
    assert [row_id for _, row_id in await stream.read("a", 10, 100)] == [row.id]


async def test_a_rolled_back_push_never_reaches_the_stream(storage):
    stream = await _stream(storage)
    try:
        async with storage.sessions() as session, session.begin():
            await enqueue(session, key="gone", openid="o_gone", kind="ticket_update", body="b")
            raise RuntimeError("the change that caused the push failed")
    except RuntimeError:
        pass
    await storage.publisher.drain()
    assert await stream.read("a", 10, 100) == []

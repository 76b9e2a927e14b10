"""The outbound work queue: a Redis Stream read by a consumer group, plus a delay set.

Each entry names one `OutboundMessage` row by id; SQL stays the truth about the row, so an
entry read twice (a duplicate XADD, a takeover by XAUTOCLAIM) is harmless: the worker
holds a short per-row lock and sends only rows still `pending`. Retries wait in a sorted
set scored by due time and are moved onto the stream atomically when due.

Everything here can be rebuilt from SQL: `epoch` is a key that disappears with the data
when Redis restarts empty, telling the sweeper to put every pending row back.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Iterable

import redis.asyncio as aioredis
from redis.exceptions import RedisError, ResponseError

from config.redis_keys import Keys
from models.outbound import NOTICE_IN_SESSION, QUEUED_IN_SESSION

log = logging.getLogger(__name__)
GROUP = "workers"
_PUBLISH_CHUNK = 1000

# Move due members of the delay set onto the stream in one step, so two workers
# running it at once cannot move the same retry twice.
_MOVE_DUE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('XADD', KEYS[2], '*', 'id', member)
  redis.call('ZREM', KEYS[1], member)
end
return #due
"""

# Take every free per-row lock of a batch in one step (one command, not one SET per row);
# the positions (1-based) of the rows now held.
_LOCK = """
local held = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then held[#held + 1] = i end
end
return held
"""

Entry = tuple[str, int]  # (stream entry id, outbound row id)


class OutboundStream:
    def __init__(self, redis: aioredis.Redis, keys: Keys) -> None:
        self.redis = redis
        self.stream, self.delayed = keys.outbound_stream, keys.outbound_delayed
        self.epoch_key, self._lock = keys.outbound_epoch, keys.outbound_lock
        self.wake_key = keys.outbound_wake
        self.workers_key = keys.outbound_workers  # sorted set: consumer -> last heartbeat (epoch s)
        self._move_due = redis.register_script(_MOVE_DUE)
        self._take_locks = redis.register_script(_LOCK)

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def publish(self, row_ids: Iterable[int]) -> int:
        """XADD one entry per row, pipelined; the number added."""
        ids, added = list(row_ids), 0
        for start in range(0, len(ids), _PUBLISH_CHUNK):
            async with self.redis.pipeline(transaction=False) as pipe:
                for row_id in ids[start:start + _PUBLISH_CHUNK]:
                    pipe.xadd(self.stream, {"id": row_id})
                added += len(await pipe.execute())
        return added

    async def read(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        answer = await self.redis.xreadgroup(GROUP, consumer, {self.stream: ">"}, count=count, block=block_ms)
        return [entry for _, entries in answer or [] for entry in _entries(entries)]

    async def reclaim(self, consumer: str, min_idle_ms: int, count: int) -> list[Entry]:
        """Take over entries another consumer read but did not acknowledge in time (it died)."""
        answer = await self.redis.xautoclaim(self.stream, GROUP, consumer, min_idle_ms, "0-0", count=count)
        return _entries(answer[1])

    async def ack(self, entry_ids: list[str]) -> None:
        """Acknowledge and delete: the stream holds only work not yet done."""
        if entry_ids:
            async with self.redis.pipeline(transaction=False) as pipe:
                await pipe.xack(self.stream, GROUP, *entry_ids).xdel(self.stream, *entry_ids).execute()

    async def lock(self, row_ids: list[int], owner: str, lease_ms: int) -> list[int]:
        """The rows this consumer now holds; a row another consumer holds is left to it."""
        if not row_ids:
            return []
        held = await self._take_locks(keys=[self._lock(row_id) for row_id in row_ids], args=[owner, lease_ms])
        return [row_ids[int(position) - 1] for position in held]

    async def unlock(self, row_ids: list[int]) -> None:
        if row_ids:
            await self.redis.delete(*(self._lock(row_id) for row_id in row_ids))

    async def delay(self, due: dict[int, float]) -> None:
        """Schedule rows for another try at the given epoch seconds."""
        if due:
            await self.redis.zadd(self.delayed, {str(row_id): at for row_id, at in due.items()})

    async def move_due(self, limit: int = 500) -> int:
        return int(await self._move_due(keys=[self.delayed, self.stream], args=[time.time(), limit]))

    async def wake(self) -> None:
        """Tell a worker a notice is due now (it also looks every few seconds without this)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            await pipe.lpush(self.wake_key, 1).ltrim(self.wake_key, 0, 99).execute()

    async def heartbeat(self, consumer: str) -> None:
        """A running worker says so every few seconds (`notice send` asks whether anyone is there)."""
        await self.redis.zadd(self.workers_key, {consumer: time.time()})

    async def live_workers(self, within_s: float) -> int:
        """Workers that beat within the last `within_s` seconds; the long-gone are forgotten."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(self.workers_key, "-inf", time.time() - 3600)
            pipe.zcount(self.workers_key, time.time() - within_s, "+inf")
            return int((await pipe.execute())[1])

    async def wait_for_wake(self, timeout_s: int) -> None:
        await self.redis.blpop([self.wake_key], timeout=timeout_s)

    async def ensure_epoch(self) -> bool:
        """True when this call found the queue's data gone (Redis restarted empty) and marked it anew."""
        return bool(await self.redis.set(self.epoch_key, secrets.token_hex(8), nx=True))

    async def watermark(self) -> float:
        """Epoch seconds before which every entry added to the stream has been fully handled."""
        info = await self.redis.xinfo_stream(self.stream)
        groups = {group["name"]: group for group in await self.redis.xinfo_groups(self.stream)}
        group = groups[GROUP]
        delivered, pending = group["last-delivered-id"], int(group["pending"])
        if pending == 0 and delivered == info["last-generated-id"]:
            return time.time()
        marks = [_seconds(delivered)]
        if pending:
            summary = await self.redis.xpending(self.stream, GROUP)
            marks.append(_seconds(summary["min"]))
        return min(marks)


def _entries(raw: list) -> list[Entry]:
    # Redis 6.2 answers XAUTOCLAIM with nil for entries deleted meanwhile; skip them.
    return [(entry_id, int(fields["id"])) for entry_id, fields in raw if fields and "id" in fields]


def _seconds(entry_id: str) -> float:
    return int(entry_id.split("-", 1)[0]) / 1000


class CommitPublisher:
    """Puts the outbound rows a transaction queued onto the stream right after it commits, and
    wakes a worker when it stored a notice.

    Attached to every session of a `Storage` (bot/storage.py), so chat handlers, the
    supervisor, the console and the API need not remember to. If the XADD fails (Redis
    down, the process dies first) the worker's sweeper finds the rows later; a lost wake
    only means the worker's next look, a few seconds on.
    """

    def __init__(self, redis: aioredis.Redis, keys: Keys) -> None:
        self.stream = OutboundStream(redis, keys)
        self._tasks: set[asyncio.Task] = set()

    def after_commit(self, session) -> None:
        row_ids = session.info.pop(QUEUED_IN_SESSION, None)
        notice = session.info.pop(NOTICE_IN_SESSION, False)
        if row_ids or notice:
            task = asyncio.get_running_loop().create_task(self._publish(row_ids or [], notice))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    def after_rollback(session) -> None:
        session.info.pop(QUEUED_IN_SESSION, None)
        session.info.pop(NOTICE_IN_SESSION, None)

    async def _publish(self, row_ids: list[int], wake: bool) -> None:
        try:
            if row_ids:
                await self.stream.publish(row_ids)
            if wake:
                await self.stream.wake()
        except (RedisError, OSError) as exc:
            log.warning("outbound rows %s left for the sweeper: %s", row_ids[:5], exc)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

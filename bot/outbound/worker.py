"""`linli worker`: reads the outbound stream as one consumer of the group and sends.

Start as many as you like, on as many machines as you like: they share the stream, the
rate limit and the access token through Redis. Each worker runs a few loops:
- consume: take rate tokens, read that many entries (XREADGROUP), deliver them in a batch;
- reclaim: take over entries a dead worker left unacknowledged (XAUTOCLAIM);
- delayed: move due retries onto the stream;
- notices: fan out notices as they fall due (woken at once by `确认`, else every few s);
- sweep (one worker at a time): requeue rows whose entry was lost, or everything after
  Redis lost its data.
Redis or the database going away is survived: the loops log, wait and carry on.
"""
from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable

from redis.exceptions import LockError, RedisError, ResponseError

from bot.outbound.batch import BatchDelivery
from bot.outbound.ratelimit import GlobalRateLimit
from bot.outbound.sender import Sender
from bot.outbound.stream import Entry, OutboundStream
from bot.outbound.sweeper import fan_out_due, requeue_lost
from bot.storage import Storage, redis_url
from config.settings import Settings

log = logging.getLogger(__name__)

BATCHES_IN_FLIGHT = 4
READ_BLOCK_MS = 1000
WAKE_TIMEOUT_S = 2
ERROR_PAUSE_S = 1.0
SWEEP_LOCK_S = 300
HEARTBEAT_S = 2  # `linli notice send` counts a worker live when it beat within a few of these


class Worker:
    def __init__(self, settings: Settings, storage: Storage, consumer: str | None = None) -> None:
        self.settings, self.storage = settings, storage
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"
        self.stream = OutboundStream(storage.redis, storage.keys)
        self.limiter = GlobalRateLimit(storage.redis, storage.keys, settings.outbound_rate_per_s)
        self.sender = Sender(settings, storage.keys, redis_url(settings))
        self.batches = BatchDelivery(storage, settings, self.stream, self.limiter, self.sender, self.consumer)
        self.stopping = asyncio.Event()
        self._slots = asyncio.Semaphore(BATCHES_IN_FLIGHT)
        self._running: set[asyncio.Task] = set()
        self._sweep_lock = storage.keys.outbound_sweep_lock

    async def run(self) -> None:
        log.info("worker %s started", self.consumer)
        await self._until_ok(self.stream.ensure_group)
        lease = self.settings.outbound_lease_s
        await asyncio.gather(self._consume(), self._every(max(lease / 4, 0.2), self._reclaim),
                             self._every(0.5, self.stream.move_due), self._notices(),
                             self._every(self.settings.outbound_sweep_s, self._sweep),
                             self._every(HEARTBEAT_S, lambda: self.stream.heartbeat(self.consumer)))
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
        await self.sender.close()
        log.info("worker %s stopped", self.consumer)

    def stop(self) -> None:
        self.stopping.set()

    async def _consume(self) -> None:
        batch = self.settings.outbound_batch
        while not self.stopping.is_set():
            await self._slots.acquire()
            try:
                granted = await self.limiter.take(batch)
                entries = await self.stream.read(self.consumer, granted, READ_BLOCK_MS)
            except (RedisError, OSError) as exc:
                self._slots.release()
                await self._recover(exc)
                continue
            if entries:
                self._spawn(entries)
            else:
                self._slots.release()

    async def _reclaim(self) -> None:
        lease_ms = int(self.settings.outbound_lease_s * 1000)
        entries = await self.stream.reclaim(self.consumer, lease_ms, self.settings.outbound_batch)
        if entries:
            log.warning("took over %d unacknowledged entries", len(entries))
            await self._slots.acquire()
            self._spawn(entries)

    def _spawn(self, entries: list[Entry]) -> None:
        task = asyncio.create_task(self._deliver(entries))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _deliver(self, entries: list[Entry]) -> None:
        try:
            await self.batches.deliver(entries)
        except Exception as exc:  # noqa: BLE001  entries stay pending and are taken over later
            # The type only: an error's text can quote a URL carrying the AppSecret.
            log.warning("batch of %d not finished, will be retried: %s", len(entries), type(exc).__name__)
        finally:
            self._slots.release()

    async def _notices(self) -> None:
        while not self.stopping.is_set():
            try:
                await self.stream.wait_for_wake(WAKE_TIMEOUT_S)
                await fan_out_due(self.storage, self.stream)
            except Exception as exc:  # noqa: BLE001  Redis or the database away: try again later
                await self._recover(exc)

    async def _sweep(self) -> None:
        """One sweeper at a time: two at once would put the same lost rows back twice."""
        lock = self.storage.redis.lock(self._sweep_lock, timeout=SWEEP_LOCK_S, blocking=False)
        if not await lock.acquire():
            return
        try:
            await requeue_lost(self.storage, self.stream, self.settings)
        finally:
            try:
                await lock.release()
            except LockError:  # expired, or Redis lost it while we swept
                pass

    async def _every(self, interval_s: float, job: Callable[[], Awaitable[object]]) -> None:
        while not self.stopping.is_set():
            try:
                await job()
            except Exception as exc:  # noqa: BLE001  a housekeeping failure must not stop sending
                await self._recover(exc)
            try:
                await asyncio.wait_for(self.stopping.wait(), interval_s)
            except TimeoutError:
                pass

    async def _recover(self, exc: Exception) -> None:
        """After an error: recreate the group if Redis lost it, then pause a moment."""
        log.warning("outbound worker: %s: %s", type(exc).__name__, exc)
        if isinstance(exc, ResponseError) and "NOGROUP" in str(exc):
            await self._until_ok(self.stream.ensure_group)
        else:
            await asyncio.sleep(ERROR_PAUSE_S)

    async def _until_ok(self, job: Callable[[], Awaitable[object]]) -> None:
        while not self.stopping.is_set():
            try:
                await job()
                return
            except (RedisError, OSError) as exc:
                log.warning("waiting for Redis: %s", exc)
                await asyncio.sleep(ERROR_PAUSE_S)

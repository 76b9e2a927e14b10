"""WeChat retries a message up to three times when no answer comes within 5 s.

The first delivery claims the message's key (bot/wechat/guards.py) with a short lease that
it renews while the handler runs, and stores the reply there once handled; a retry (in any
process) waits briefly for that reply and returns it. A process killed mid-message stops
renewing, so its lease runs out within seconds and WeChat's next retry handles the message.
The unique source column in SQL refuses a second ticket if both ever run.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import AsyncIterator

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from config.redis_keys import Keys
from handlers.types import Article, Reply

log = logging.getLogger(__name__)
LEASE_PREFIX = "lease:"
POLL_S = 0.2  # a retry waiting for the first delivery's reply looks this often

# Touch or drop the key only while it still holds our lease (not a later claim, not the reply).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
# Claim the key if it is free (the other delivery let go or died); either way, what it holds now.
_TAKE_OVER = ("if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end "
              "return redis.call('get', KEYS[1])")
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def new_lease() -> str:
    return LEASE_PREFIX + secrets.token_hex(8)


class Dedup:
    def __init__(self, redis: aioredis.Redis, keys: Keys, ttl_s: int, lease_s: float, wait_s: float = 3.5) -> None:
        self.redis, self.keys, self.ttl_s, self.lease_s, self.wait_s = redis, keys, ttl_s, lease_s, wait_s
        self._renew, self._release = redis.register_script(_RENEW), redis.register_script(_RELEASE)
        self._take_over = redis.register_script(_TAKE_OVER)

    async def wait_for_reply(self, dedup_key: str, lease: str) -> Reply | str | None:
        """While another delivery holds the lease: its Reply once stored; our own lease (a str)
        when the other let go or died and we took the message over; None when still pending
        after `wait_s` (WeChat must ask again). Raises RedisError when Redis cannot answer."""
        key = self.keys.dedup(dedup_key)
        for _ in range(int(self.wait_s / POLL_S)):
            await asyncio.sleep(POLL_S)
            stored = await self._take_over(keys=[key], args=[lease, int(self.lease_s * 1000)])
            if stored == lease:
                return lease
            if not stored.startswith(LEASE_PREFIX):
                return loads(stored)
        return None

    @contextlib.asynccontextmanager
    async def held(self, dedup_key: str | None, lease: str) -> AsyncIterator[None]:
        """Keep renewing the lease while the body runs (a message without a key has none)."""
        if dedup_key is None:
            yield
            return
        renewer = asyncio.ensure_future(self._keep_renewing(self.keys.dedup(dedup_key), lease))
        try:
            yield
        finally:
            renewer.cancel()

    async def _keep_renewing(self, key: str, lease: str) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            try:
                await self._renew(keys=[key], args=[lease, int(self.lease_s * 1000)])
            except RedisError as exc:  # the next renewal may get through; SQL uniqueness backs us
                log.warning("could not renew a dedup lease: %s", exc)

    async def remember(self, dedup_key: str, reply: Reply) -> None:
        try:
            await self.redis.set(self.keys.dedup(dedup_key), dumps(reply), ex=self.ttl_s)
        except RedisError as exc:
            log.warning("could not store reply for retries: %s", exc)

    async def release(self, dedup_key: str, lease: str) -> None:
        """Let a retry handle the message again after this attempt failed."""
        try:
            await self._release(keys=[self.keys.dedup(dedup_key)], args=[lease])
        except RedisError as exc:  # the lease runs out within seconds anyway
            log.warning("could not release a dedup lease: %s", exc)


def dumps(reply: Reply) -> str:
    return json.dumps({"text": reply.text, "articles": [a.__dict__ for a in reply.articles]},
                      ensure_ascii=False)


def loads(stored: str) -> Reply:
    data = json.loads(stored)
    return Reply(data["text"], tuple(Article(**a) for a in data["articles"]))

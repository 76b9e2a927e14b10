"""WeChat retries a message up to three times when no answer comes within 5 s.

The first delivery claims the message's key in Redis and, once handled, stores its reply
there; a retry (in any process) waits briefly for that reply and returns it. When Redis is
down we handle the message anyway: the unique source column in SQL still refuses a second
ticket, and the handler answers with the first ticket.
"""
from __future__ import annotations

import asyncio
import json
import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from config.redis_keys import Keys
from handlers.types import Article, Reply

log = logging.getLogger(__name__)
PENDING = "…"


class Dedup:
    def __init__(self, redis: aioredis.Redis, keys: Keys, ttl_s: int, wait_s: float = 4.0) -> None:
        self.redis, self.keys, self.ttl_s, self.wait_s = redis, keys, ttl_s, wait_s

    async def claim(self, dedup_key: str) -> bool | Reply | None:
        """True: first delivery, handle it. A Reply: handled before, answer the same.
        None: another process is still handling it; answer nothing (WeChat will retry)."""
        key = self.keys.dedup(dedup_key)
        try:
            if await self.redis.set(key, PENDING, nx=True, ex=self.ttl_s):
                return True
            for _ in range(int(self.wait_s / 0.05)):
                stored = await self.redis.get(key)
                if stored is None:  # the first delivery failed and let go
                    return True
                if stored != PENDING:
                    return _loads(stored)
                await asyncio.sleep(0.05)
            return None
        except RedisError as exc:
            log.warning("dedup unavailable, relying on SQL uniqueness: %s", exc)
            return True

    async def remember(self, dedup_key: str, reply: Reply) -> None:
        try:
            await self.redis.set(self.keys.dedup(dedup_key), _dumps(reply), ex=self.ttl_s)
        except RedisError as exc:
            log.warning("could not store reply for retries: %s", exc)

    async def release(self, dedup_key: str) -> None:
        """Let a retry handle the message again after the first attempt failed."""
        try:
            await self.redis.delete(self.keys.dedup(dedup_key))
        except RedisError:
            pass


def _dumps(reply: Reply) -> str:
    return json.dumps({"text": reply.text, "articles": [a.__dict__ for a in reply.articles]},
                      ensure_ascii=False)


def _loads(stored: str) -> Reply:
    data = json.loads(stored)
    return Reply(data["text"], tuple(Article(**a) for a in data["articles"]))

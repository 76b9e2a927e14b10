"""Per-user rate limit for the mini-program API: a fixed one-minute window counted in Redis,
shared by every process. (The official account's limit is in the callback's guards script.)"""
from __future__ import annotations

import logging
import time

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from config.redis_keys import Keys

log = logging.getLogger(__name__)


class RateLimiter:
    def __init__(self, redis: aioredis.Redis, keys: Keys, per_minute: int) -> None:
        self.redis, self.keys, self.per_minute = redis, keys, per_minute

    async def allow(self, who: str, scope: str = "msg") -> bool:
        """True while `who` is within the limit; fails open when Redis is unreachable."""
        if self.per_minute <= 0:
            return True
        key = self.keys.rate_window(scope, who, int(time.time() // 60))
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                count, _ = await pipe.incr(key).expire(key, 90).execute()
        except RedisError as exc:
            log.warning("rate limit unavailable, allowing: %s", exc)
            return True
        return count <= self.per_minute

"""One sends-per-second budget shared by every worker on every machine: a token bucket in Redis.

The bucket refills at `rate` tokens a second by Redis's own clock (one clock for all
workers) and holds at most a tenth of a second's worth, so bursts stay small. A worker
asks for as many tokens as it has messages and sends as many as it was granted.
When WeChat answers 45009 (too fast) any worker can pause everyone for a moment.
"""
from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from config.redis_keys import Keys

_TAKE = """
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {0, redis.call('PTTL', KEYS[2])}
end
local rate, want = tonumber(ARGV[1]), tonumber(ARGV[2])
if rate <= 0 then return {want, 0} end
local burst = math.max(1, rate / 10)
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local granted = math.min(want, math.floor(tokens))
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - granted), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
if granted > 0 then return {granted, 0} end
return {0, math.ceil((1 - tokens) / rate * 1000)}
"""


class GlobalRateLimit:
    def __init__(self, redis: aioredis.Redis, keys: Keys, rate_per_s: float) -> None:
        self.redis, self.rate = redis, rate_per_s
        self.bucket, self.pause_key = keys.outbound_bucket, keys.outbound_pause
        self._take = redis.register_script(_TAKE)

    async def take(self, want: int) -> int:
        """Wait until at least one send is allowed; how many of `want` may go now."""
        while True:
            granted, wait_ms = await self._take(keys=[self.bucket, self.pause_key], args=[self.rate, want])
            if int(granted) > 0:
                return int(granted)
            await asyncio.sleep(max(int(wait_ms), 1) / 1000)

    async def pause(self, seconds: float) -> None:
        """Hold every worker's sends (WeChat said 45009); an existing longer pause stays."""
        await self.redis.set(self.pause_key, "45009", px=max(1, int(seconds * 1000)), nx=True)

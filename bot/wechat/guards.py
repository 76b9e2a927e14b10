"""The callback's guards in one Redis round trip: replay window, dedup claim, rate limit.

One Lua script decides all three atomically, so concurrent deliveries (a replay burst, a
WeChat retry racing its original) see each other's effect, and the hot path pays one round
trip instead of three. The guards fail closed: when Redis cannot answer (down, slow, or no
pooled connection free in time) `admit` raises `GuardUnavailable` and the gateway makes
WeChat retry; nothing is handled unguarded.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.wechat.dedup import LEASE_PREFIX, dumps, loads
from config.redis_keys import Keys
from handlers.types import Incoming, Reply

# KEYS: seen (signed URL), dedup (message), rate (sender's minute).
# ARGV: body digest ('' = no replay check), seen ttl s, dedup on ('1'/''), lease value, lease ms,
#       rate limit (0 = none), rate-limited reply to keep for retries, dedup ttl s, lease prefix.
_ADMIT = """
if ARGV[1] ~= '' then
  if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
    if redis.call('get', KEYS[1]) ~= ARGV[1] then return {'replayed'} end
  end
end
local dedup = ARGV[3] == '1'
if dedup then
  local stored = redis.call('get', KEYS[2])
  if stored then
    if string.sub(stored, 1, #ARGV[9]) == ARGV[9] then return {'pending'} end
    return {'done', stored}
  end
end
local limit = tonumber(ARGV[6])
if limit > 0 then
  local count = redis.call('incr', KEYS[3])
  if count == 1 then redis.call('expire', KEYS[3], 90) end
  if count > limit then
    if dedup then redis.call('set', KEYS[2], ARGV[7], 'EX', ARGV[8]) end
    return {'limited'}
  end
end
if dedup then redis.call('set', KEYS[2], ARGV[4], 'PX', ARGV[5]) end
return {'claimed'}
"""


class GuardUnavailable(Exception):
    """Redis could not answer for a guard; the message must be retried, not accepted."""


class Verdict(Enum):
    CLAIMED = "claimed"  # first delivery: handle it (under the lease, when it has a dedup key)
    DONE = "done"  # handled before: answer with the stored reply
    PENDING = "pending"  # another delivery holds the lease right now
    LIMITED = "limited"  # over the sender's rate limit
    REPLAYED = "replayed"  # this signed URL came before with another body


@dataclass(frozen=True)
class Admission:
    verdict: Verdict
    reply: Reply | None = None  # DONE: the stored reply; LIMITED: the polite refusal


@dataclass(frozen=True)
class SignedUrl:
    """A plaintext callback's signed URL and its body digest: the replay guard's input."""

    timestamp: str
    nonce: str
    signature: str
    digest: str


class Guards:
    def __init__(self, redis: aioredis.Redis, keys: Keys, *, seen_ttl_s: int, dedup_ttl_s: int,
                 lease_s: float, per_minute: int, limited_reply: Reply) -> None:
        self.redis, self.keys = redis, keys
        self.seen_ttl_s, self.dedup_ttl_s, self.lease_ms = seen_ttl_s, dedup_ttl_s, int(lease_s * 1000)
        self.per_minute, self.limited = per_minute, dumps(limited_reply)
        self.script = redis.register_script(_ADMIT)

    async def admit(self, msg: Incoming, url: SignedUrl | None, lease: str) -> Admission:
        """`lease` is the value our claim will hold (bot/wechat/dedup.py renews it)."""
        unused = self.keys("-")  # a slot the script's flags leave untouched
        keys = [self.keys.callback_seen(url.timestamp, url.nonce, url.signature) if url else unused,
                self.keys.dedup(msg.dedup_key) if msg.dedup_key else unused,
                self.keys.rate_window("msg", msg.openid, int(time.time() // 60))]
        limit = 0 if msg.type == "event" else self.per_minute
        argv = [url.digest if url else "", self.seen_ttl_s, "1" if msg.dedup_key else "", lease,
                self.lease_ms, limit, self.limited, self.dedup_ttl_s, LEASE_PREFIX]
        try:
            answer = await self.script(keys=keys, args=argv)
        except (RedisError, OSError) as exc:
            raise GuardUnavailable(str(exc)) from exc
        verdict = Verdict(answer[0])
        if verdict is Verdict.DONE:
            return Admission(verdict, reply=loads(answer[1]))
        if verdict is Verdict.LIMITED:
            return Admission(verdict, reply=loads(self.limited))
        return Admission(verdict)

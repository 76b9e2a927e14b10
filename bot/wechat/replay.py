"""Refuse a signed callback URL used again with another body.

In plaintext mode WeChat's signature covers the token, timestamp and nonce but not the
body, so a captured URL could carry any message for the 5-minute replay window. Each
(timestamp, nonce, signature) is remembered with a hash of its body: WeChat's own retry
(same body) passes and meets dedup; the same URL with a different body is refused.
"""
from __future__ import annotations

import hashlib
import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.wechat.protocol import Envelope
from config.redis_keys import Keys

log = logging.getLogger(__name__)


class ReplayGuard:
    def __init__(self, redis: aioredis.Redis, keys: Keys, ttl_s: int) -> None:
        self.redis, self.keys, self.ttl_s = redis, keys, ttl_s

    async def fresh(self, envelope: Envelope, body: bytes) -> bool:
        """False when this signed URL already came with a different body."""
        key = self.keys.replay(envelope.timestamp, envelope.nonce, envelope.signature)
        digest = hashlib.sha256(body).hexdigest()
        try:
            if await self.redis.set(key, digest, nx=True, ex=self.ttl_s):
                return True
            return await self.redis.get(key) == digest
        except RedisError as exc:  # the signature and timestamp checks still hold
            log.warning("replay guard unavailable: %s", exc)
            return True

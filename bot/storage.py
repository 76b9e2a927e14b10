"""The two stores every process opens: SQL (truth) and Redis (what can be rebuilt)."""
from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.orm.session import Session

from bot.embedded_redis import ensure_embedded_redis
from bot.outbound.stream import CommitPublisher
from config.redis_keys import Keys
from config.settings import Settings
from models.db import make_engine, make_sessionmaker


@dataclass
class Storage:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: aioredis.Redis
    keys: Keys
    publisher: CommitPublisher | None = None

    async def close(self) -> None:
        if self.publisher is not None:
            await self.publisher.drain()
        await self.redis.aclose()
        await self.engine.dispose()


def redis_url(settings: Settings) -> str:
    return settings.redis_url or ensure_embedded_redis(settings.data_dir)


def redis_pool(settings: Settings) -> aioredis.BlockingConnectionPool:
    """A pool that makes a command wait (bounded) for a free connection instead of failing at
    once when every connection is busy; past the bound the guards fail closed."""
    return aioredis.BlockingConnectionPool.from_url(
        redis_url(settings), decode_responses=True, health_check_interval=30, socket_timeout=5,
        socket_connect_timeout=5, max_connections=settings.redis_max_connections,
        timeout=settings.redis_pool_timeout_s)


def open_storage(settings: Settings) -> Storage:
    engine = make_engine(settings.resolved_database_url())
    client = aioredis.Redis.from_pool(redis_pool(settings))
    keys = Keys(settings.redis_prefix)
    publisher = CommitPublisher(client, keys)
    # A session class of this storage's own, so its listeners see only its sessions: every
    # push a transaction queued goes to the sender the moment the transaction commits.
    session_class = type("LinliSession", (Session,), {})
    event.listen(session_class, "after_commit", publisher.after_commit)
    event.listen(session_class, "after_rollback", publisher.after_rollback)
    return Storage(engine, make_sessionmaker(engine, session_class), client, keys, publisher)

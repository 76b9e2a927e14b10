"""Real storage for the tests: the embedded default, and PostgreSQL + Redis where they answer.

Each test session gets its own PostgreSQL database and its own Redis key prefix, so
several runs (developers, CI) can share the machine's servers without touching each other.
"""
from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import redis

from bot.embedded_redis import ensure_embedded_redis, stop_embedded_redis

PG_ADMIN_DSN = os.environ.get("LINLI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("LINLI_TEST_REDIS", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str
    redis_url: str
    redis_prefix: str
    data_dir: Path

    def env(self) -> dict[str, str]:
        """The environment a `linli` subprocess needs to use this backend."""
        return {"LINLI_DATABASE_URL": self.database_url, "LINLI_REDIS_URL": self.redis_url,
                "LINLI_REDIS_PREFIX": self.redis_prefix, "LINLI_DATA_DIR": str(self.data_dir)}


def embedded(data_dir: Path) -> Backend:
    return Backend("embedded", f"sqlite+aiosqlite:///{data_dir / 'linli.sqlite3'}",
                   ensure_embedded_redis(data_dir), "linli-test:", data_dir)


def postgres_available() -> str | None:
    """None when PostgreSQL and Redis both answer, else why not."""
    try:
        asyncio.run(_pg_execute("SELECT 1"))
    except (OSError, asyncpg.PostgresError) as exc:
        return f"PostgreSQL not reachable: {exc}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable: {exc}"
    return None


def create_postgres(data_dir: Path) -> Backend:
    name = f"linli_test_{secrets.token_hex(4)}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return Backend("postgres", f"{base}/{name}", REDIS_URL, f"linli-test-{secrets.token_hex(4)}:", data_dir)


def drop_postgres(backend: Backend) -> None:
    name = backend.database_url.rsplit("/", 1)[-1]
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    client = redis.Redis.from_url(backend.redis_url)
    for key in client.scan_iter(match=f"{backend.redis_prefix}*", count=1000):
        client.delete(key)


async def _pg_execute(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def release(backend: Backend) -> None:
    """Give back what the backend took: the throwaway database and keys, or the embedded Redis."""
    if backend.name == "postgres":
        drop_postgres(backend)
    else:
        stop_embedded_redis(backend.data_dir)

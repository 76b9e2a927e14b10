"""The async engine and sessions over SQLite (embedded default) or PostgreSQL (asyncpg)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
        return engine
    # hide_parameters: SQL errors in logs must not quote residents' names and phone numbers
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                               hide_parameters=True)


def sqlite_pragmas(dbapi_connection, _record=None) -> None:
    # WAL lets the server and the worker read while one writes; busy_timeout makes writers
    # wait for each other instead of failing; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine, sync_session_class: type | None = None) -> async_sessionmaker[AsyncSession]:
    extra = {"sync_session_class": sync_session_class} if sync_session_class else {}
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False, **extra)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session whose work commits on success and rolls back on any error."""
    async with sessions() as session:
        async with session.begin():
            yield session


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"

"""The two raw drivers under the intake writer; each commits one group in one transaction.

SQLite: stdlib sqlite3 on one dedicated thread (one hop per group, not per statement).
PostgreSQL: one asyncpg connection, no pool and no pre-ping: a connection found dropped
is replaced and the group tried once more, which is safe because every statement of a
group is idempotent (the user upsert, and the unique source, audit and push keys).
"""
from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import asyncpg

from bot.intake.records import Intake, Stored
from bot.intake.statements import Statements, Steps, statements_for, steps
from models.db import sqlite_pragmas

APPLICATION_NAME = "linli-intake"  # how operators (and tests) find the writer in pg_stat_activity


class Driver(Protocol):
    async def commit_group(self, intakes: list[Intake]) -> list[Stored]:
        """Run and commit every intake in one transaction; raise (nothing committed) or return all."""

    async def close(self) -> None: ...


def open_driver(database_url: str) -> Driver:
    """The driver for a SQLAlchemy URL (`sqlite+aiosqlite:///path` or `postgresql+asyncpg://…`)."""
    if database_url.startswith("sqlite"):
        return SqliteDriver(database_url.split("///", 1)[-1])
    return PostgresDriver(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))


def _in_order(intakes: list[Intake]) -> list[Intake]:
    """Users locked in one order by every process, so two groups never wait on each other in a cycle."""
    return sorted(intakes, key=lambda intake: intake.openid)


class SqliteDriver:
    def __init__(self, path: str) -> None:
        self.path = path
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="intake-sqlite")
        self._connection: sqlite3.Connection | None = None
        self.sql = statements_for("sqlite")

    async def commit_group(self, intakes: list[Intake]) -> list[Stored]:
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._commit, intakes)

    def _commit(self, intakes: list[Intake]) -> list[Stored]:
        connection = self._connect()
        connection.execute("BEGIN IMMEDIATE")
        try:
            stored = {id(intake): _run_sync(connection, steps(self.sql, intake)) for intake in _in_order(intakes)}
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return [stored[id(intake)] for intake in intakes]

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            sqlite_pragmas(self._connection)
        return self._connection

    async def close(self) -> None:
        def shut() -> None:
            if self._connection is not None:
                self._connection.close()
        await asyncio.get_running_loop().run_in_executor(self._thread, shut)
        self._thread.shutdown(wait=True)


def _run_sync(connection: sqlite3.Connection, run: Steps) -> Stored:
    row = None
    try:
        while True:
            sql, values = run.send(row)
            row = connection.execute(sql, values).fetchone()
    except StopIteration as done:
        return done.value


class PostgresDriver:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._connection: asyncpg.Connection | None = None
        self.sql = statements_for("postgresql")

    async def commit_group(self, intakes: list[Intake]) -> list[Stored]:
        try:
            return await self._commit(intakes)
        except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError,
                asyncpg.exceptions.AdminShutdownError):
            await self._drop()
            return await self._commit(intakes)  # once: a second failure is the caller's

    async def _commit(self, intakes: list[Intake]) -> list[Stored]:
        connection = await self._connect()
        async with connection.transaction():
            stored = {id(intake): await _run_async(connection, steps(self.sql, intake)) for intake in _in_order(intakes)}
        return [stored[id(intake)] for intake in intakes]

    async def _connect(self) -> asyncpg.Connection:
        if self._connection is None or self._connection.is_closed():
            # statement_cache_size: the five statements are prepared once on this connection
            self._connection = await asyncpg.connect(self.dsn, statement_cache_size=32,
                                                     server_settings={"application_name": APPLICATION_NAME})
        return self._connection

    async def _drop(self) -> None:
        if self._connection is not None:
            self._connection.terminate()
            self._connection = None

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


async def _run_async(connection: asyncpg.Connection, run: Steps) -> Stored:
    row = None
    try:
        while True:
            sql, values = run.send(row)
            found = await connection.fetchrow(sql, *values)
            row = tuple(found) if found is not None else None
    except StopIteration as done:
        return done.value

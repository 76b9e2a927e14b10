"""One intake writer per process: gathers what is waiting, commits it in groups, answers after COMMIT.

A message's writes (user, ticket, audit row, pushes) wait in a queue; the writer takes
everything waiting (at most `max_group`), commits it in one transaction and only then
resolves each message's future, so no reply says "stored" before the database does.
When idle, a lone message is committed at once; under load, groups grow and the cost of
a commit is shared. Exactly-once is the database's: the unique `ticket.source_msg_id`
turns a retry (even one in the same group) into `Stored.duplicate`, not a failure.
A group that fails fails every one of its waiters, and none of its rows is stored.
"""
from __future__ import annotations

import asyncio
import logging

from bot.intake.drivers import Driver, open_driver
from bot.intake.records import Intake, Stored

log = logging.getLogger(__name__)

MAX_GROUP = 50


class IntakeWriter:
    def __init__(self, driver: Driver, max_group: int = MAX_GROUP) -> None:
        self.driver, self.max_group = driver, max_group
        self._waiting: asyncio.Queue[tuple[Intake, asyncio.Future] | None] = asyncio.Queue()  # None: stop
        self._task: asyncio.Task | None = None

    @classmethod
    def for_url(cls, database_url: str, max_group: int = MAX_GROUP) -> IntakeWriter:
        return cls(open_driver(database_url), max_group)

    async def store(self, intake: Intake) -> Stored:
        """`intake` committed (with others); raises what the database raised if its group failed."""
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        future = asyncio.get_running_loop().create_future()
        self._waiting.put_nowait((intake, future))
        return await future

    async def _run(self) -> None:
        while True:
            group: list[tuple[Intake, asyncio.Future]] = []
            waiting = await self._waiting.get()
            while waiting is not None:
                group.append(waiting)
                if len(group) >= self.max_group or self._waiting.empty():
                    break
                waiting = self._waiting.get_nowait()
            if group:
                await self._commit(group)
            if waiting is None:
                return

    async def _commit(self, group: list[tuple[Intake, asyncio.Future]]) -> None:
        try:
            results = await self.driver.commit_group([intake for intake, _ in group])
        except Exception as exc:  # noqa: BLE001  every waiter of the group learns it was not stored
            log.warning("intake group of %d not stored: %s", len(group), type(exc).__name__)
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), stored in zip(group, results):
            if not future.done():  # a waiter that gave up (cancelled) still had its rows committed
                future.set_result(stored)

    async def close(self) -> None:
        """Commit what is waiting, then close the connection."""
        if self._task is not None:
            self._waiting.put_nowait(None)
            await self._task
            self._task = None
        await self.driver.close()

"""The 督办 scheduler's loop: list what is due, then one transaction per ticket calling the rule.

The rules (levels, who is told, when a claim expires) are domain policy in handlers/supervise.py,
the 大事 and urgent-alert ladders in handlers/departments/ladder.py and handlers/alerts/ladder.py;
each changes its ticket by a conditional UPDATE, so two schedulers at once still act once.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import Storage
from config.settings import Settings
from handlers import supervise
from handlers.alerts import ladder as alert_ladder
from handlers.departments import ladder as department_ladder
from models.clock import utcnow
from models.db import transaction

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class RunResult:
    escalated: int
    expired: int
    climbed: int = 0  # 大事 moved up the department ladder, urgent alerts up to the street


async def run_once(storage: Storage, settings: Settings, now: datetime | None = None) -> RunResult:
    now = now or utcnow()
    escalated = await _each(storage, _listed(supervise.due_escalations(settings, now, BATCH)),
                            lambda session, ticket_id: supervise.escalate_if_due(session, settings, ticket_id, now))
    expired = await _each(storage, _listed(supervise.due_expiries(settings, now, BATCH)),
                          lambda session, ticket_id: supervise.expire_if_due(session, settings, ticket_id, now))
    climbed = 0
    for ladder in (department_ladder, alert_ladder):
        climbed += await _each(storage, lambda session, ladder=ladder: ladder.due(session, settings, now, BATCH),
                               lambda session, ticket_id, ladder=ladder: ladder.step(session, ticket_id, settings, now))
    if escalated or expired or climbed:
        log.info("supervise: %d escalated, %d claims returned, %d climbed", escalated, expired, climbed)
    return RunResult(escalated, expired, climbed)


def _listed(query) -> Callable[[AsyncSession], Awaitable[list[int]]]:
    async def ids(session: AsyncSession) -> list[int]:
        return list((await session.exec(query)).all())
    return ids


async def _each(storage: Storage, due: Callable[[AsyncSession], Awaitable[list[int]]], rule) -> int:
    """Run `rule` on every ticket `due` lists, each in its own transaction; how many it changed."""
    async with storage.sessions() as session:
        ticket_ids = await due(session)
    changed = 0
    for ticket_id in ticket_ids:
        async with transaction(storage.sessions) as session:
            changed += await rule(session, ticket_id)
    return changed


async def run_forever(storage: Storage, settings: Settings) -> None:
    """The worker's loop; a failed run is logged and the next one tries again."""
    while True:
        try:
            await run_once(storage, settings)
        except Exception:  # noqa: BLE001 — a scheduler must outlive one bad run
            log.exception("supervise run failed")
        await asyncio.sleep(settings.supervise_interval_s)

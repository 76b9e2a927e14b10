"""The 督办 scheduler's loop: list what is due, then one transaction per ticket calling the rule.

The rules (levels, who is told, when a claim expires) are domain policy in handlers/supervise.py;
each changes its ticket by a conditional UPDATE, so two schedulers at once still act once.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from bot.storage import Storage
from config.settings import Settings
from handlers import supervise
from models.clock import utcnow
from models.db import transaction

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class RunResult:
    escalated: int
    expired: int


async def run_once(storage: Storage, settings: Settings, now: datetime | None = None) -> RunResult:
    now = now or utcnow()
    escalated = await _each(storage, supervise.due_escalations(settings, now, BATCH),
                            lambda session, ticket_id: supervise.escalate_if_due(session, settings, ticket_id, now))
    expired = await _each(storage, supervise.due_expiries(settings, now, BATCH),
                          lambda session, ticket_id: supervise.expire_if_due(session, settings, ticket_id, now))
    if escalated or expired:
        log.info("supervise: %d escalated, %d claims returned", escalated, expired)
    return RunResult(escalated, expired)


async def _each(storage: Storage, due, rule) -> int:
    """Run `rule` on every ticket `due` lists, each in its own transaction; how many it changed."""
    async with storage.sessions() as session:
        ticket_ids = list((await session.exec(due)).all())
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

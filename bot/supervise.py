"""督办: escalate tasks nobody claims in time, return claims that show no progress.

Per urgency (settings): an unclaimed task goes to level 1 (its grid heads) after the
limit, then level 2 (community staff) after the limit again; the clock restarts at each
change of the ticket (`updated_at`). A claim without progress within its limit returns to
the queue and the member is told.

Each ticket is changed in its own transaction by a conditional UPDATE that names the
level (or claim) it saw, so a run repeated, or run at the same time in several worker
processes, has the effect of one run: the second UPDATE matches no row, writes no audit
row and queues no push.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import Storage
from config.settings import Settings
from handlers.alerts import ladder as alert_ladder
from handlers.departments import ladder as department_ladder
from handlers.pushes import push_to
from handlers.tasks import short
from handlers.texts import tasks as texts
from models import access
from models.clock import utcnow
from models.db import transaction
from models.org import OrgUnit
from models.tasks import ticket_for_update, transition
from models.tickets import Ticket, TicketStatus
from models.users import Role

log = logging.getLogger(__name__)

TOP_LEVEL = 2  # 1: grid heads, 2: community staff
BATCH = 500
_WAITING = (TicketStatus.queued, TicketStatus.triage)


@dataclass(frozen=True)
class RunResult:
    escalated: int
    expired: int
    climbed: int = 0  # 大事 moved up the department ladder, urgent alerts up to the street


async def run_once(storage: Storage, settings: Settings, now: datetime | None = None) -> RunResult:
    now = now or utcnow()
    escalated = sum([await _escalate(storage, settings, ticket_id, now)
                     for ticket_id in await _due_escalations(storage, settings, now)])
    expired = sum([await _expire(storage, settings, ticket_id, now)
                   for ticket_id in await _due_expiries(storage, settings, now)])
    climbed = await _climb(storage, settings, now)
    if escalated or expired or climbed:
        log.info("supervise: %d escalated, %d claims returned, %d climbed", escalated, expired, climbed)
    return RunResult(escalated, expired, climbed)


async def _climb(storage: Storage, settings: Settings, now: datetime) -> int:
    """The ladders' rules (handlers/*/ladder.py): list what is due, then one transaction each."""
    climbed = 0
    for ladder in (department_ladder, alert_ladder):
        async with storage.sessions() as session:
            due = await ladder.due(session, settings, now)
        for ticket_id in due:
            async with transaction(storage.sessions) as session:
                climbed += await ladder.step(session, ticket_id, settings, now)
    return climbed


async def run_forever(storage: Storage, settings: Settings) -> None:
    """The worker's loop; a failed run is logged and the next one tries again."""
    while True:
        try:
            await run_once(storage, settings)
        except Exception:  # noqa: BLE001 — a scheduler must outlive one bad run
            log.exception("supervise run failed")
        await asyncio.sleep(settings.supervise_interval_s)


def _by_urgency(urgent_minutes: int, normal_minutes: int, now: datetime, column):
    return or_((Ticket.urgent.is_(True)) & (column <= now - timedelta(minutes=urgent_minutes)),
               (Ticket.urgent.is_(False)) & (column <= now - timedelta(minutes=normal_minutes)))


def _overdue(ticket: Ticket, since: datetime | None, urgent_minutes: int, normal_minutes: int,
             now: datetime) -> bool:
    limit = timedelta(minutes=urgent_minutes if ticket.urgent else normal_minutes)
    return since is not None and since <= now - limit


async def _due_escalations(storage: Storage, settings: Settings, now: datetime) -> list[int]:
    query = (select(Ticket.id).where(Ticket.status.in_(_WAITING), Ticket.escalation_level < TOP_LEVEL,
                                     _by_urgency(settings.escalate_urgent_minutes, settings.escalate_normal_minutes,
                                                 now, Ticket.updated_at))
             .order_by(Ticket.id).limit(BATCH))
    async with storage.sessions() as session:
        return list((await session.exec(query)).all())


async def _due_expiries(storage: Storage, settings: Settings, now: datetime) -> list[int]:
    query = (select(Ticket.id).where(Ticket.status == TicketStatus.claimed,
                                     _by_urgency(settings.claim_urgent_minutes, settings.claim_normal_minutes,
                                                 now, Ticket.last_progress_at))
             .order_by(Ticket.id).limit(BATCH))
    async with storage.sessions() as session:
        return list((await session.exec(query)).all())


async def _escalate(storage: Storage, settings: Settings, ticket_id: int, now: datetime) -> int:
    async with transaction(storage.sessions) as session:
        ticket = await ticket_for_update(session, ticket_id)
        level = ticket.escalation_level
        due = _overdue(ticket, ticket.updated_at, settings.escalate_urgent_minutes,
                       settings.escalate_normal_minutes, now)
        if ticket.status not in _WAITING or level >= TOP_LEVEL or not due:
            return 0  # another run (or a member) changed it since we listed it
        role = Role.grid_head if level == 0 else Role.staff
        event = await transition(session, ticket, "escalated", None, to_status=None,
                                 note="督办：转网格长" if level == 0 else "督办：转社区工作人员",
                                 expect={"escalation_level": level, "updated_at": ticket.updated_at},
                                 values={"escalation_level": level + 1}, at=now)
        if event is None:
            return 0
        hours = (settings.escalate_urgent_minutes if ticket.urgent else settings.escalate_normal_minutes) // 60
        where = await _where(session, ticket)
        body = texts.PUSH_ESCALATED.format(id=ticket.id, where=where, hours=hours, text=short(ticket.text, 30))
        for person in await access.holders(session, role, ticket.grid_id or ticket.community_id):
            await push_to(session, person.id, f"escalate:{ticket.id}:{level + 1}:{person.id}", body, ticket.id,
                          title="督办提醒")
        return 1


async def _expire(storage: Storage, settings: Settings, ticket_id: int, now: datetime) -> int:
    async with transaction(storage.sessions) as session:
        ticket = await ticket_for_update(session, ticket_id)
        member_id, claimed_at = ticket.claimed_by, ticket.claimed_at
        due = _overdue(ticket, ticket.last_progress_at, settings.claim_urgent_minutes,
                       settings.claim_normal_minutes, now)
        if ticket.status != TicketStatus.claimed or not due:
            return 0
        event = await transition(session, ticket, "expired", None, to_status=TicketStatus.queued,
                                 note="认领后超时未报告进展",
                                 expect={"claimed_by": member_id, "claimed_at": claimed_at,
                                         "last_progress_at": ticket.last_progress_at},
                                 values={"claimed_by": None, "claimed_at": None}, at=now)
        if event is None:
            return 0
        await push_to(session, member_id, f"expire:{ticket.id}:{event.id}",
                      texts.PUSH_EXPIRED_MEMBER.format(id=ticket.id), ticket.id, title="任务超时提醒")
        return 1


async def _where(session: AsyncSession, ticket: Ticket) -> str:
    unit = await session.get(OrgUnit, ticket.grid_id or ticket.community_id) if (
        ticket.grid_id or ticket.community_id) else None
    return unit.name if unit else "位置待定"

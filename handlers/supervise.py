"""督办 policy: when an unclaimed task escalates and to whom, and when a silent claim returns.

Per urgency (settings): an unclaimed task goes to level 1 (its grid heads) after the limit,
then level 2 (community staff) after the limit again; the clock restarts at each change of
the ticket (`updated_at`). A claim without progress within its limit returns to the queue
and the member is told. The scheduler (bot/supervise.py) lists what is due and calls one rule
per ticket in its own transaction; each rule re-reads the ticket and changes it by a
conditional UPDATE naming the level (or claim) it saw, so repeated or simultaneous runs act
once: the second UPDATE matches no row, writes no audit row and queues no push.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.pushes import push_to
from handlers.texts import tasks as texts
from handlers.ticket_text import short
from models import access
from models.org_index import org_index
from models.tasks import move, ticket_for_update
from models.tickets import Ticket, TicketStatus
from models.users import Role

TOP_LEVEL = 2  # 1: grid heads, 2: community staff
_WAITING = (TicketStatus.queued, TicketStatus.triage)
_LADDER = {0: (Role.grid_head, "督办：转网格长"), 1: (Role.staff, "督办：转社区工作人员")}


def _by_urgency(urgent_minutes: int, normal_minutes: int, now: datetime, column):
    return or_((Ticket.urgent.is_(True)) & (column <= now - timedelta(minutes=urgent_minutes)),
               (Ticket.urgent.is_(False)) & (column <= now - timedelta(minutes=normal_minutes)))


def _overdue(urgent: bool, since: datetime | None, urgent_minutes: int, normal_minutes: int, now: datetime) -> bool:
    limit = timedelta(minutes=urgent_minutes if urgent else normal_minutes)
    return since is not None and since <= now - limit


def due_escalations(settings: Settings, now: datetime, limit: int):
    """The query for tasks nobody claimed in time that have a level left to climb."""
    return (select(Ticket.id).where(Ticket.status.in_(_WAITING), Ticket.escalation_level < TOP_LEVEL,
                                    _by_urgency(settings.escalate_urgent_minutes, settings.escalate_normal_minutes,
                                                now, Ticket.updated_at))
            .order_by(Ticket.id).limit(limit))


def due_expiries(settings: Settings, now: datetime, limit: int):
    """The query for claims with no progress within their limit."""
    return (select(Ticket.id).where(Ticket.status == TicketStatus.claimed,
                                    _by_urgency(settings.claim_urgent_minutes, settings.claim_normal_minutes,
                                                now, Ticket.last_progress_at))
            .order_by(Ticket.id).limit(limit))


async def escalate_if_due(session: AsyncSession, settings: Settings, ticket_id: int, now: datetime) -> bool:
    """Raise one overdue task a level and tell that level's people; False when it is not (or no longer) due."""
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None or ticket.status not in _WAITING or ticket.escalation_level >= TOP_LEVEL:
        return False  # another run (or a member) changed it since it was listed
    if not _overdue(ticket.urgent, ticket.updated_at, settings.escalate_urgent_minutes,
                    settings.escalate_normal_minutes, now):
        return False
    level = ticket.escalation_level
    role, note = _LADDER[level]
    moved = await move(session, ticket.id, "escalated", None, from_status=ticket.status, at=now, note=note,
                       expect={"escalation_level": level, "updated_at": ticket.updated_at},
                       values={"escalation_level": level + 1})
    if moved is None:
        return False
    hours = (settings.escalate_urgent_minutes if ticket.urgent else settings.escalate_normal_minutes) // 60
    unit_id = ticket.grid_id or ticket.community_id
    where = (await org_index(session)).names.get(unit_id, "位置待定") if unit_id else "位置待定"
    body = texts.PUSH_ESCALATED.format(id=ticket.id, where=where, hours=hours, text=short(ticket.text, 30))
    for person in await access.holders(session, role, unit_id):
        await push_to(session, person.id, f"escalate:{ticket.id}:{level + 1}:{person.id}", body, ticket.id,
                      title="督办提醒")
    return True


async def expire_if_due(session: AsyncSession, settings: Settings, ticket_id: int, now: datetime) -> bool:
    """Return one silent claim to the queue and tell the member; False when it is not (or no longer) due."""
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None or ticket.status != TicketStatus.claimed:
        return False
    if not _overdue(ticket.urgent, ticket.last_progress_at, settings.claim_urgent_minutes,
                    settings.claim_normal_minutes, now):
        return False
    moved = await move(session, ticket.id, "expired", None, from_status=TicketStatus.claimed, at=now,
                       to_status=TicketStatus.queued, note="认领后超时未报告进展",
                       expect={"claimed_by": ticket.claimed_by, "claimed_at": ticket.claimed_at,
                               "last_progress_at": ticket.last_progress_at},
                       values={"claimed_by": None, "claimed_at": None})
    if moved is None:
        return False
    await push_to(session, ticket.claimed_by, f"expire:{ticket.id}:{moved.event_id}",
                  texts.PUSH_EXPIRED_MEMBER.format(id=ticket.id), ticket.id, title="任务超时提醒")
    return True

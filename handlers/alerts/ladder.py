"""The rule for urgent alerts nobody acknowledges: after `alert_ack_minutes` without a 签收 or
a claim, the alert climbs once, to the street staff above the community.

`due` lists candidates; `step` re-reads one ticket in its own transaction and climbs with a
conditional UPDATE naming the level it saw, so two schedulers at once climb it once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.alerts.actions import alert_body
from handlers.pushes import push_to
from handlers.texts import alerts as texts
from models.departments import street_staff
from models.tasks import move, ticket_for_update
from models.tickets import Ticket, TicketStatus

TOP_LEVEL = 1
UNANSWERED = (TicketStatus.triage, TicketStatus.queued, TicketStatus.forwarded)


def overdue(ticket: Ticket, settings: Settings, now: datetime) -> bool:
    return (ticket.urgent and ticket.alert_level < TOP_LEVEL and ticket.status in UNANSWERED
            and ticket.acknowledged_at is None and ticket.claimed_by is None
            and ticket.created_at <= now - timedelta(minutes=settings.alert_ack_minutes))


async def due(session: AsyncSession, settings: Settings, now: datetime, limit: int = 500) -> list[int]:
    query = (select(Ticket.id).where(
        Ticket.urgent.is_(True), Ticket.alert_level < TOP_LEVEL, Ticket.status.in_(UNANSWERED),
        Ticket.acknowledged_at.is_(None), Ticket.claimed_by.is_(None),
        Ticket.created_at <= now - timedelta(minutes=settings.alert_ack_minutes)).order_by(Ticket.id).limit(limit))
    return list((await session.exec(query)).all())


async def step(session: AsyncSession, ticket_id: int, settings: Settings, now: datetime) -> int:
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None or not overdue(ticket, settings, now):
        return 0  # acknowledged, claimed or climbed since it was listed
    moved = await move(session, ticket.id, "alert_climbed", None, from_status=ticket.status, at=now,
                       note=f"紧急诉求 {settings.alert_ack_minutes} 分钟无人签收，转街道工作人员",
                       expect={"alert_level": ticket.alert_level, "acknowledged_at": None, "claimed_by": None},
                       values={"alert_level": ticket.alert_level + 1})
    if moved is None:
        return 0
    body = await alert_body(session, ticket, texts.PUSH_CLIMBED, minutes=settings.alert_ack_minutes)
    for person in await street_staff(session, ticket):
        await push_to(session, person.id, f"alert:{ticket.id}:{moved.event_id}:{person.id}", body, ticket.id,
                      title="紧急诉求升级")
    return 1

"""督办 for 大事, beside the queue's escalation policy: a department late to 签收 or 答复 is
reminded rung by rung: its liaisons, then its heads, then the street staff (deadlines.py).

`due` lists candidates; `step` re-reads one ticket in its own transaction and moves it one
rung with a conditional UPDATE naming the rung it saw, so two schedulers at once act once.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.departments.deadlines import TOP_RUNG, ack_limit, due_at, rung_due
from handlers.masking import mask_text
from handlers.pushes import push_to
from handlers.texts import departments as texts
from models.clock import local_text
from models.departments import Department, department_label, people_of, street_staff
from models.tasks import move, ticket_for_update
from models.tickets import Ticket, TicketStatus
from models.users import Role, User

_CASES = (TicketStatus.forwarded, TicketStatus.acknowledged)
_NOTES = {1: "督办：提醒部门联络员", 2: "督办：转部门负责人", 3: "督办：转街道工作人员"}


async def due(session: AsyncSession, settings: Settings, now: datetime, limit: int = 500) -> list[int]:
    query = (select(Ticket).where(Ticket.status.in_(_CASES), Ticket.department_id.is_not(None),
                                  Ticket.escalation_level < TOP_RUNG,
                                  Ticket.forwarded_at <= now - ack_limit(True, settings))  # the shortest limit
             .order_by(Ticket.forwarded_at, Ticket.id).limit(limit * 4))
    rows = (await session.exec(query)).all()
    return [t.id for t in rows if rung_due(t, settings, now) > t.escalation_level][:limit]


async def step(session: AsyncSession, ticket_id: int, settings: Settings, now: datetime) -> int:
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None or ticket.status not in _CASES or rung_due(ticket, settings, now) <= ticket.escalation_level:
        return 0
    rung = ticket.escalation_level + 1
    moved = await move(session, ticket.id, "escalated", None, from_status=ticket.status, at=now, note=_NOTES[rung],
                       expect={"escalation_level": ticket.escalation_level, "department_id": ticket.department_id},
                       values={"escalation_level": rung})
    if moved is None:
        return 0
    department = await session.get(Department, ticket.department_id)
    body = texts.PUSH_LADDER.format(id=ticket.id, department=await department_label(session, department),
                                    phase=texts.PHASE[ticket.status], due=local_text(due_at(ticket, settings)),
                                    text=mask_text(ticket.text[:60]))
    for person in await _rung(session, ticket, rung):
        await push_to(session, person.id, f"ticket:{ticket.id}:event:{moved.event_id}:rung:{person.id}", body,
                      ticket.id, title="督办提醒")
    return 1


async def _rung(session: AsyncSession, ticket: Ticket, rung: int) -> list[User]:
    if rung == 1:
        return await people_of(session, ticket.department_id, Role.department)
    if rung == 2:
        return await people_of(session, ticket.department_id, Role.department_head)
    return await street_staff(session, ticket)

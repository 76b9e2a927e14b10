"""Door-neutral actions for talking through the account: 回复 N (to the resident), 撤回 N, the claimer's contact view.

Each change is one conditional UPDATE plus its audit row (`models.tasks.move`); the message to the other person
is an outbound row in the same transaction, keyed by the audit row, so it is sent once.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.pushes import push_to
from handlers.texts import talk as texts
from handlers.texts.requests import STATUS_NAMES
from handlers.types import Refusal
from models import access
from models.departments import departments_of, people_of
from models.org import OrgUnit
from models.tasks import move, ticket_for_update
from models.tickets import Ticket, TicketEvent, TicketStatus
from models.users import Role, User

MAX_REPLY = 300
WITHDRAWABLE = (TicketStatus.triage, TicketStatus.queued, TicketStatus.claimed, TicketStatus.forwarded,
                TicketStatus.acknowledged, TicketStatus.returned, TicketStatus.advised)


async def reply_to_resident(session: AsyncSession, actor: User, ticket_id: int, text: str,
                            now: datetime) -> int:
    """回复: the claimer, a grid head or staff over the place, or the department's liaison writes to the resident."""
    ticket = await _ticket(session, ticket_id)
    who = await _speaker(session, actor, ticket)
    if who is None:
        raise Refusal("forbidden", texts.MAY_NOT_REPLY.format(id=ticket.id))
    resident = await session.get(User, ticket.user_id)
    if resident is None or not resident.subscribed:
        raise Refusal("conflict", texts.NOBODY_TO_TELL)
    moved = await move(session, ticket.id, "replied", actor.id, from_status=ticket.status, at=now,
                       note=text[:MAX_REPLY])
    if moved is None:
        raise Refusal("conflict", texts.CHANGED_MEANWHILE.format(id=ticket.id))
    await push_to(session, ticket.user_id, f"ticket:{ticket.id}:event:{moved.event_id}",
                  texts.PUSH_REPLY.format(id=ticket.id, who=texts.WHO[who], text=text[:MAX_REPLY]), ticket.id,
                  title="诉求回复")
    return ticket.id


async def _speaker(session: AsyncSession, actor: User, ticket: Ticket) -> str | None:
    """In which capacity the actor may write to the ticket's resident; None when they may not."""
    if ticket.claimed_by == actor.id:
        return "claimer"
    if ticket.department_id is not None and ticket.department_id in await departments_of(session, actor.id):
        return "department"
    unit = ticket.grid_id or ticket.community_id
    if await access.holds(session, actor.id, Role.staff, unit):
        return "staff"
    if await access.holds(session, actor.id, Role.grid_head, unit):
        return "grid_head"
    return None


async def withdraw(session: AsyncSession, actor: User, ticket_id: int, reason: str, now: datetime) -> int:
    """撤回: the resident no longer needs it; whoever was working on it is told."""
    ticket = await _ticket(session, ticket_id)
    if ticket.user_id != actor.id:
        raise Refusal("forbidden", texts.NOT_YOUR_REQUEST.format(id=ticket.id))
    if ticket.status not in WITHDRAWABLE:
        status = STATUS_NAMES.get(TicketStatus(ticket.status), ticket.status)
        raise Refusal("conflict", texts.CANNOT_WITHDRAW.format(id=ticket.id, status=status))
    moved = await move(session, ticket.id, "withdrawn", actor.id, from_status=ticket.status, at=now,
                       to_status=TicketStatus.withdrawn, note=reason[:MAX_REPLY], values={"closed_at": now})
    if moved is None:
        raise Refusal("conflict", texts.CHANGED_MEANWHILE.format(id=ticket.id))
    body = texts.PUSH_WITHDRAWN.format(id=ticket.id, reason=reason[:100] or texts.NO_REASON)
    workers = [ticket.claimed_by] if ticket.claimed_by else []
    if ticket.department_id is not None and ticket.status != TicketStatus.returned:
        workers += [liaison.id for liaison in await people_of(session, ticket.department_id, Role.department)]
    for user_id in dict.fromkeys(workers):
        await push_to(session, user_id, f"ticket:{ticket.id}:event:{moved.event_id}:to:{user_id}", body, ticket.id,
                      title="诉求已撤回")
    return ticket.id


async def contact_for_claimer(session: AsyncSession, ticket_id: int, viewer_id: int, now: datetime) -> str:
    """The resident's phone and address, unmasked, for the member holding the claim; the view is audited."""
    ticket = await _ticket(session, ticket_id)
    if ticket.claimed_by != viewer_id:
        raise Refusal("forbidden", texts.MAY_NOT_REPLY.format(id=ticket.id))
    resident = await session.get(User, ticket.user_id)
    grid = await session.get(OrgUnit, ticket.grid_id or resident.grid_id) if (ticket.grid_id or resident.grid_id) \
        else None
    parts = (grid.name if grid else "", *ticket.places.split(","))
    address = "·".join(part for part in parts if part) or texts.NO_ADDRESS
    session.add(TicketEvent(ticket_id=ticket.id, actor_id=viewer_id, action="contact_viewed",
                            from_status=ticket.status, to_status=ticket.status, note="查看居民电话和地址", at=now))
    return texts.CONTACT.format(phone=resident.phone or texts.NO_PHONE, address=address)


async def _ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None:
        raise Refusal("not_found", texts.NOT_FOUND.format(id=ticket_id))
    return ticket

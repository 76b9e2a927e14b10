"""What staff and grid heads do to a request from the console: reassign, escalate (督办), close.

Every change goes through `record_event`, so the ticket's history shows who did what and
why; the resident (and a member handed a task) get a push queued in the same transaction.
"""
from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.texts import console as texts
from models.clock import utcnow
from models.org import OrgLevel, OrgUnit
from models.outbound import enqueue
from models.staff import Scope
from models.tickets import Ticket, TicketStatus, record_event
from models.triage import members_in
from models.users import User


class TicketActionError(Exception):
    """A refused action; the message is shown to staff as it is."""


async def reassign(session: AsyncSession, scope: Scope, ticket: Ticket, actor_id: int, grid_id: int,
                   member_id: int | None, note: str) -> None:
    """Move the ticket to another grid's queue, or hand it straight to one member."""
    _require_open(ticket)
    grid = await session.get(OrgUnit, grid_id)
    if grid is None or grid.level != OrgLevel.grid or not scope.covers(grid.id):
        raise TicketActionError(texts.GRID_OUT_OF_SCOPE)
    member = None
    if member_id is not None:
        member = next((m for m in await members_in(session, scope) if m.id == member_id), None)
        if member is None:
            raise TicketActionError(texts.MEMBER_OUT_OF_SCOPE)
    ticket.grid_id, ticket.community_id = grid.id, grid.parent_id
    now = utcnow()
    ticket.claimed_by, ticket.claimed_at, ticket.last_progress_at = (member.id, now, now) if member else (None, None, None)
    to_status = TicketStatus.claimed if member else TicketStatus.queued
    detail = texts.REASSIGN_NOTE.format(grid=grid.name, member=f"，交由 {member.name or member.id}" if member else "")
    event = record_event(session, ticket, "reassigned", actor_id, to_status, _join(detail, note))
    await session.flush()
    if member is not None:
        await enqueue(session, key=f"console:assigned:{event.id}", openid=member.openid, kind="ticket_update",
                      title=texts.ASSIGNED_TITLE, body=texts.ASSIGNED_BODY.format(id=ticket.id, text=ticket.text[:40]),
                      ticket_id=ticket.id)


async def escalate(session: AsyncSession, ticket: Ticket, actor_id: int, note: str) -> None:
    """督办: raise the level so the grid head and above see it at the top of their lists."""
    _require_open(ticket)
    ticket.escalation_level += 1
    record_event(session, ticket, "escalated", actor_id,
                 note=_join(texts.ESCALATE_NOTE.format(level=ticket.escalation_level), note))


async def close(session: AsyncSession, ticket: Ticket, actor_id: int, note: str) -> None:
    """Close with a note the resident reads; a note is required, so the resident learns why."""
    _require_open(ticket)
    if not note.strip():
        raise TicketActionError(texts.CLOSE_NEEDS_NOTE)
    ticket.closed_at = utcnow()
    event = record_event(session, ticket, "closed", actor_id, TicketStatus.closed, note.strip())
    await session.flush()
    resident = await session.get(User, ticket.user_id)
    if resident is not None:
        await enqueue(session, key=f"console:closed:{event.id}", openid=resident.openid, kind="ticket_update",
                      title=texts.CLOSED_TITLE, body=texts.CLOSED_BODY.format(id=ticket.id, note=note.strip()[:200]),
                      ticket_id=ticket.id)


def _require_open(ticket: Ticket) -> None:
    if ticket.status in (TicketStatus.closed, TicketStatus.advised):
        raise TicketActionError(texts.ALREADY_CLOSED.format(id=ticket.id))


def _join(detail: str, note: str) -> str:
    return f"{detail}：{note.strip()}" if note.strip() else detail

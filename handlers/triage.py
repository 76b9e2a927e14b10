"""What staff and grid heads do to a request from the console: reassign, escalate (督办), close.

Every change goes through the queue's `transition` (a conditional update plus `record_event`), so the ticket's history shows who did what and
why; the resident (and a member handed a task) get a push queued in the same transaction.
"""
from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.masking import mask_text
from handlers.texts import console as texts
from handlers.pushes import push_to
from models.clock import utcnow
from models.org import OrgLevel, OrgUnit
from models.staff import Scope
from models.tasks import transition
from models.tickets import DEPARTMENT_STATUSES, Ticket, TicketEvent, TicketStatus
from models.triage import members_in


class TicketActionError(Exception):
    """A refused action; the message is shown to staff as it is."""


async def reassign(session: AsyncSession, scope: Scope, ticket: Ticket, actor_id: int, grid_id: int,
                   member_id: int | None, note: str) -> None:
    """Move the ticket to another grid's queue, or hand it straight to one approved member."""
    _require_open(ticket)
    if ticket.status in DEPARTMENT_STATUSES:  # a 大事 never becomes a member's task
        raise TicketActionError(texts.DEPARTMENT_CASE.format(id=ticket.id))
    grid = await session.get(OrgUnit, grid_id)
    if grid is None or grid.level != OrgLevel.grid or not scope.covers(grid.id):
        raise TicketActionError(texts.GRID_OUT_OF_SCOPE)
    member = None
    if member_id is not None:
        member = next((m for m in await members_in(session, scope) if m.user_id == member_id), None)
        if member is None:
            raise TicketActionError(texts.MEMBER_OUT_OF_SCOPE)
    now = utcnow()
    claim = {"claimed_by": member.user_id, "claimed_at": now, "last_progress_at": now} if member else \
        {"claimed_by": None, "claimed_at": None, "last_progress_at": None}
    detail = texts.REASSIGN_NOTE.format(grid=grid.name, member=f"，交由 {member.name}" if member else "")
    event = _moved(await transition(
        session, ticket, "reassigned", actor_id, to_status=TicketStatus.claimed if member else TicketStatus.queued,
        note=_join(detail, note), values={"grid_id": grid.id, "community_id": grid.parent_id,
                                           "escalation_level": 0, **claim}), ticket)
    if member is not None:
        await push_to(session, member.user_id, f"console:assigned:{event.id}", ticket_id=ticket.id,
                      title=texts.ASSIGNED_TITLE, body=texts.ASSIGNED_BODY.format(id=ticket.id, text=mask_text(ticket.text[:40])))


async def escalate(session: AsyncSession, ticket: Ticket, actor_id: int, note: str) -> None:
    """督办: raise the level so the grid head and above see it at the top of their lists."""
    _require_open(ticket)
    level = ticket.escalation_level + 1
    _moved(await transition(session, ticket, "escalated", actor_id, to_status=None,
                            note=_join(texts.ESCALATE_NOTE.format(level=level), note),
                            expect={"escalation_level": ticket.escalation_level},
                            values={"escalation_level": level}), ticket)


async def close(session: AsyncSession, ticket: Ticket, actor_id: int, note: str) -> None:
    """Close with a note the resident reads; a note is required, so the resident learns why."""
    _require_open(ticket)
    if not note.strip():
        raise TicketActionError(texts.CLOSE_NEEDS_NOTE)
    event = _moved(await transition(session, ticket, "closed", actor_id, to_status=TicketStatus.closed,
                                    note=note.strip(), values={"closed_at": utcnow()}), ticket)
    await push_to(session, ticket.user_id, f"console:closed:{event.id}", ticket_id=ticket.id,
                  title=texts.CLOSED_TITLE, body=texts.CLOSED_BODY.format(id=ticket.id, note=note.strip()[:200]))


def _require_open(ticket: Ticket) -> None:
    if ticket.status in (TicketStatus.closed, TicketStatus.advised):
        raise TicketActionError(texts.ALREADY_CLOSED.format(id=ticket.id))


def _moved(event: TicketEvent | None, ticket: Ticket) -> TicketEvent:
    """The audit row; None means someone else changed the ticket since the page was loaded."""
    if event is None:
        raise TicketActionError(texts.CHANGED_MEANWHILE.format(id=ticket.id))
    return event


def _join(detail: str, note: str) -> str:
    return f"{detail}：{note.strip()}" if note.strip() else detail

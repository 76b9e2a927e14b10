"""The queue around the members, once for every door: place a new ticket, triage (待分派, 分派),
and what grid heads and staff do to any open ticket (reassign, escalate 督办, close).

Permission is asked of `models.access` (a role on a unit covers everything below it; staff
and admins cover what grid heads do). Every change is one conditional UPDATE plus its audit
row (`models.tasks.move`); the resident (and a member handed a task) get a push queued in
the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.audience import grid_head
from handlers.masking import mask_text
from handlers.pushes import push_to
from handlers.routing import community_id_for, grid_for
from handlers.texts import console as console_texts
from handlers.texts import tasks as texts
from handlers.ticket_text import status_name
from handlers.types import Refusal
from models import access
from models.members import MemberProfile, approved_member
from models.org import OrgLevel, OrgUnit, community_of, find_unit
from models.tasks import Moved, move, ticket_for_update, triage_list
from models.tickets import DEPARTMENT_STATUSES, Ticket, TicketStatus
from models.users import Role, User
from nlp.engine import Classification

_STATUS_BY_KIND = {"大事": TicketStatus.forwarded, "私事": TicketStatus.advised}
_FINAL = (TicketStatus.closed, TicketStatus.advised)


async def place(session: AsyncSession, user: User, result: Classification, text: str, source: str | None, now: datetime) -> Ticket:
    """A classified request as a new (unsaved) ticket in its place: the resident's bound grid, else
    the place the text names, else triage; 大事 forwarded, 私事 advised; maybe urgent to triage."""
    grid_id = await grid_for(session, user.grid_id, result.places)
    status = _STATUS_BY_KIND.get(result.kind) or (TicketStatus.queued if grid_id else TicketStatus.triage)
    if result.maybe_urgent:  # recall first: the grid head checks it now (its why says "maybe urgent")
        status = TicketStatus.triage
    return Ticket(
        user_id=user.id, text=text, department=result.department, topic=result.topic,
        kind=result.kind, urgent=result.urgent, confidence=result.confidence,
        places=",".join(place.value for place in result.places), why="; ".join(result.why),
        status=status, grid_id=grid_id, community_id=await community_id_for(session, grid_id),
        source_msg_id=source, created_at=now, updated_at=now,
    )


async def waiting(session: AsyncSession, actor: User) -> list[Ticket]:
    """待分派: the triage list of the communities the grid head (or staff) covers."""
    units = await grid_head(session, actor.id)
    return await triage_list(session, [await _community_id(session, unit) for unit in units])


async def _community_id(session: AsyncSession, unit_id: int | None) -> int | None:
    """The community a grant covers; a grant above communities (street, district) sees all."""
    if unit_id is None:
        return None
    unit = await session.get(OrgUnit, unit_id)
    if unit.level in (OrgLevel.district, OrgLevel.street):
        return None
    community = await community_of(session, unit_id)
    return community.id if community else None


@dataclass(frozen=True)
class Assigned:
    id: int
    grid: str


async def assign(session: AsyncSession, actor: User, ticket_id: int, grid_name: str, now: datetime) -> Assigned:
    """分派: a ticket waiting for triage goes into a grid's queue the grid head heads."""
    await grid_head(session, actor.id)
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None:
        raise Refusal("not_found", texts.NO_TASK.format(id=ticket_id))
    if ticket.status != TicketStatus.triage:
        raise Refusal("conflict", texts.NOT_IN_TRIAGE.format(id=ticket.id, status=status_name(ticket.status)))
    if ticket.community_id is not None and not await _heads_in(session, actor.id, ticket.community_id):
        raise Refusal("not_found", texts.NO_TASK.format(id=ticket.id))  # another community's: not even its existence
    grid = await find_unit(session, grid_name, OrgLevel.grid)
    if grid is None or not await access.holds(session, actor.id, Role.grid_head, grid.id):
        raise Refusal("forbidden", texts.OUT_OF_SCOPE.format(name=grid.name if grid else grid_name))
    moved = await move(session, ticket.id, "reassigned", actor.id, from_status=TicketStatus.triage, at=now,
                       to_status=TicketStatus.queued, note=grid.name,
                       values={"grid_id": grid.id, "community_id": await community_id_for(session, grid.id),
                               "escalation_level": 0})
    if moved is None:
        raise Refusal("conflict", texts.NOT_IN_TRIAGE.format(id=ticket.id, status=status_name(TicketStatus.queued)))
    return Assigned(ticket.id, grid.name)


async def _heads_in(session: AsyncSession, user_id: int, community_id: int) -> bool:
    """True when the user is grid head of the community, of a grid in it, or of a unit above it."""
    if await access.holds(session, user_id, Role.grid_head, community_id):
        return True
    for unit_id in await access.units_of(session, user_id, Role.grid_head):
        community = await community_of(session, unit_id) if unit_id else None
        if community is not None and community.id == community_id:
            return True
    return False


async def reassign(session: AsyncSession, actor: User, ticket_id: int, grid_id: int | None,
                   member_id: int | None, note: str, now: datetime) -> Ticket:
    """Move an open ticket to another grid's queue, or hand it straight to one approved member."""
    ticket = await _manageable(session, actor, ticket_id)
    if ticket.status in DEPARTMENT_STATUSES:  # a 大事 never becomes a member's task
        raise Refusal("conflict", console_texts.DEPARTMENT_CASE.format(id=ticket.id))
    grid = await session.get(OrgUnit, grid_id) if grid_id is not None else None
    if grid is None or grid.level != OrgLevel.grid or not await access.holds(session, actor.id, Role.grid_head, grid.id):
        raise Refusal("forbidden", console_texts.GRID_OUT_OF_SCOPE)
    member = await _member_for(session, actor, member_id) if member_id is not None else None
    claim = {"claimed_by": member.user_id, "claimed_at": now, "last_progress_at": now} if member else \
        {"claimed_by": None, "claimed_at": None, "last_progress_at": None}
    detail = console_texts.REASSIGN_NOTE.format(grid=grid.name, member=f"，交由 {member.name}" if member else "")
    moved = _changed(await move(
        session, ticket.id, "reassigned", actor.id, from_status=ticket.status, at=now, note=_join(detail, note),
        to_status=TicketStatus.claimed if member else TicketStatus.queued,
        values={"grid_id": grid.id, "community_id": grid.parent_id, "escalation_level": 0, **claim}), ticket)
    if member is not None:
        await push_to(session, member.user_id, f"console:assigned:{moved.event_id}", ticket_id=ticket.id,
                      title=console_texts.ASSIGNED_TITLE,
                      body=console_texts.ASSIGNED_BODY.format(id=ticket.id, text=mask_text(ticket.text[:40])))
    return ticket


async def _member_for(session: AsyncSession, actor: User, member_id: int) -> MemberProfile:
    """An approved member registered with a community the actor covers."""
    member = await approved_member(session, member_id)
    if member is None or not await access.holds(session, actor.id, Role.grid_head, member.community_id):
        raise Refusal("forbidden", console_texts.MEMBER_OUT_OF_SCOPE)
    return member


async def escalate(session: AsyncSession, actor: User, ticket_id: int, note: str, now: datetime) -> int:
    """督办 by hand: raise the level so the grid head and above see it at the top of their lists."""
    ticket = await _manageable(session, actor, ticket_id)
    level = ticket.escalation_level + 1
    _changed(await move(session, ticket.id, "escalated", actor.id, from_status=ticket.status, at=now,
                        note=_join(console_texts.ESCALATE_NOTE.format(level=level), note),
                        expect={"escalation_level": ticket.escalation_level},
                        values={"escalation_level": level}), ticket)
    return level


async def close(session: AsyncSession, actor: User, ticket_id: int, note: str, now: datetime) -> None:
    """Close with a note the resident reads; a note is required, so the resident learns why."""
    ticket = await _manageable(session, actor, ticket_id)
    if not note.strip():
        raise Refusal("invalid", console_texts.CLOSE_NEEDS_NOTE)
    moved = _changed(await move(session, ticket.id, "closed", actor.id, from_status=ticket.status, at=now,
                                to_status=TicketStatus.closed, note=note.strip(), values={"closed_at": now}), ticket)
    await push_to(session, ticket.user_id, f"console:closed:{moved.event_id}", ticket_id=ticket.id,
                  title=console_texts.CLOSED_TITLE,
                  body=console_texts.CLOSED_BODY.format(id=ticket.id, note=note.strip()[:200]))


async def _manageable(session: AsyncSession, actor: User, ticket_id: int) -> Ticket:
    """The open ticket when the actor is grid head (or staff) over its place; a ticket with no
    place yet only for those over a street or the district. Not found otherwise: its existence
    stays private."""
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None or not await _manages(session, actor.id, ticket):
        raise Refusal("not_found", console_texts.NOT_FOUND.format(id=ticket_id))
    if ticket.status in _FINAL:
        raise Refusal("conflict", console_texts.ALREADY_CLOSED.format(id=ticket.id))
    return ticket


async def _manages(session: AsyncSession, user_id: int, ticket: Ticket) -> bool:
    unit_id = ticket.grid_id or ticket.community_id
    if unit_id is not None:
        return await access.holds(session, user_id, Role.grid_head, unit_id)
    for unit in await access.units_of(session, user_id, Role.grid_head):
        if unit is None or (await session.get(OrgUnit, unit)).level in (OrgLevel.district, OrgLevel.street):
            return True
    return False


def _changed(moved: Moved | None, ticket: Ticket) -> Moved:
    """The change as made; None means someone else changed the ticket since it was read."""
    if moved is None:
        raise Refusal("conflict", console_texts.CHANGED_MEANWHILE.format(id=ticket.id))
    return moved


def _join(detail: str, note: str) -> str:
    return f"{detail}：{note.strip()}" if note.strip() else detail

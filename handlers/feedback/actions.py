"""The resident's side of a handled request, once for every door: rate (评价) and ask for help (需要帮助).

Only the resident who wrote the request may do either. A rating of 1-2 reopens the ticket
for the grid head (back to triage, the claim cleared, the grid heads told), or a department's
answer for the street staff to re-dispatch (returned); 4-5 earns the member a bonus; 3 closes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from config.settings import Settings
from handlers.pushes import push_to
from handlers.texts import departments as department_texts
from handlers.texts import tasks as texts
from handlers.ticket_text import short, status_name
from handlers.types import Refusal
from models import access, members, points
from models.departments import street_staff
from models.tasks import move, ticket_for_update
from models.tickets import Ticket, TicketStatus
from models.users import Role, User

GOOD_RATING = 4
MAX_NOTE = 500


@dataclass(frozen=True)
class Rated:
    """`by_department`: the answer rated was a department's (a reopened one goes back to the street)."""

    id: int
    rating: int
    reopened: bool
    by_department: bool = False


@dataclass(frozen=True)
class HelpAsked:
    id: int
    queued: bool  # into a grid's queue; else to triage


def rating_of(score: object) -> int:
    """A whole number from 1 to 5; anything else (10, 0, 4.5, 'abc') is refused, never rounded."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise Refusal("invalid", texts.USAGE["评价"])
    return score


async def rate(session: AsyncSession, actor: User, ticket_id: int, score: object, note: str, now: datetime,
               settings: Settings) -> Rated:
    rating, note = rating_of(score), " ".join(note.split())[:MAX_NOTE]
    ticket = await _own_ticket(session, actor, ticket_id)
    if ticket.rating is not None and ticket.status != TicketStatus.done:
        raise Refusal("conflict", texts.ALREADY_RATED.format(id=ticket.id))
    if ticket.status != TicketStatus.done:
        raise Refusal("conflict", texts.NOT_RATEABLE.format(id=ticket.id, status=status_name(ticket.status)))
    if rating >= 3:
        await _close(session, actor, ticket, rating, note, now, settings)
    else:
        await _reopen(session, actor, ticket, rating, note, now)
    return Rated(ticket.id, rating, reopened=rating < 3, by_department=ticket.department_id is not None)


async def _own_ticket(session: AsyncSession, actor: User, ticket_id: int) -> Ticket:
    ticket = await ticket_for_update(session, ticket_id)
    if ticket is None or ticket.user_id != actor.id:
        raise Refusal("not_found", texts.NOT_YOUR_REQUEST.format(id=ticket_id))
    return ticket


async def _close(session: AsyncSession, actor: User, ticket: Ticket, rating: int, note: str, now: datetime,
                 settings: Settings) -> None:
    moved = await move(session, ticket.id, "rated", actor.id, from_status=TicketStatus.done, at=now,
                       to_status=TicketStatus.closed, note=f"{rating}分 {note}".strip(),
                       values={"rating": rating, "rating_note": note or None, "closed_at": now})
    if moved is None:
        raise Refusal("conflict", texts.ALREADY_RATED.format(id=ticket.id))
    if rating >= GOOD_RATING and ticket.claimed_by:
        profile = await members.profile_of(session, ticket.claimed_by)
        await points.award(session, user_id=ticket.claimed_by, ticket_id=ticket.id, reason="rating",
                           points=settings.points_good_rating, now=now,
                           grid_id=profile.grid_id if profile else None,
                           community_id=profile.community_id if profile else None)


async def _reopen(session: AsyncSession, actor: User, ticket: Ticket, rating: int, note: str, now: datetime) -> None:
    """Unhappy: back to the grid head's triage list, the claim cleared, the grid heads told;
    a department's answer goes back to the street staff instead, to re-dispatch (转派)."""
    by_department = ticket.department_id is not None
    moved = await move(session, ticket.id, "reopened", actor.id, from_status=TicketStatus.done, at=now,
                       to_status=TicketStatus.returned if by_department else TicketStatus.triage,
                       note=f"居民评价{rating}分 {note}".strip(),
                       values={"rating": rating, "rating_note": note or None, "claimed_by": None, "claimed_at": None})
    if moved is None:
        raise Refusal("conflict", texts.ALREADY_RATED.format(id=ticket.id))
    template = department_texts.PUSH_REOPENED if by_department else texts.PUSH_REOPENED
    body = template.format(id=ticket.id, rating=rating, note=note or "无意见")
    told = (await street_staff(session, ticket) if by_department
            else await access.holders(session, Role.grid_head, ticket.grid_id or ticket.community_id))
    for head in told:
        await push_to(session, head.id, f"ticket:{ticket.id}:event:{moved.event_id}:head:{head.id}", body, ticket.id)


async def ask_for_help(session: AsyncSession, actor: User, ticket_id: int, now: datetime) -> HelpAsked:
    """需要帮助 12: a 私事 the bot only advised on becomes a task after all."""
    ticket = await _own_ticket(session, actor, ticket_id)
    if ticket.status != TicketStatus.advised:
        raise Refusal("conflict", texts.HELP_NOT_ADVISED.format(id=ticket.id, status=status_name(ticket.status)))
    to_status = TicketStatus.queued if ticket.grid_id else TicketStatus.triage
    moved = await move(session, ticket.id, "reopened", actor.id, from_status=TicketStatus.advised, at=now,
                       to_status=to_status, note=f"居民申请社区帮助：{short(ticket.text)}")
    if moved is None:
        raise Refusal("conflict", texts.HELP_NOT_ADVISED.format(id=ticket.id, status=status_name(TicketStatus.queued)))
    return HelpAsked(ticket.id, queued=to_status == TicketStatus.queued)

"""The resident's side of a handled request: 评价 (rating) and 需要帮助 (a 私事 into the queue).

A rating of 1-2 reopens the ticket for the grid head (back to triage, with a push to
the grid heads); 4-5 earns the member a bonus. Only the resident who wrote it may do either.
"""
from __future__ import annotations

from handlers.parsing import numbered
from handlers.pushes import push_to
from handlers.tasks import short, status_name
from handlers.texts import departments as department_texts
from handlers.texts import tasks as texts
from handlers.types import Context, Incoming, Reply
from models import access, members, points
from models.departments import street_staff
from models.tasks import ticket_for_update, transition
from models.tickets import Ticket, TicketStatus
from models.users import Role

GOOD_RATING = 4


async def _own_ticket(ctx: Context, ticket_id: int) -> Ticket | None:
    ticket = await ticket_for_update(ctx.session, ticket_id)
    return ticket if ticket is not None and ticket.user_id == ctx.user.id else None


async def rate(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    score_text, _, note = (parsed[1] if parsed else "").partition(" ")
    if parsed is None or not score_text[:1].isdigit() or not 1 <= int(score_text[:1]) <= 5:
        return Reply(texts.USAGE["评价"])
    rating, note = int(score_text[:1]), (score_text[1:] + " " + note).strip()[:500]
    ticket = await _own_ticket(ctx, parsed[0])
    if ticket is None:
        return Reply(texts.NOT_YOUR_REQUEST.format(id=parsed[0]))
    if ticket.rating is not None and ticket.status != TicketStatus.done:
        return Reply(texts.ALREADY_RATED.format(id=ticket.id))
    if ticket.status != TicketStatus.done:
        return Reply(texts.NOT_RATEABLE.format(id=ticket.id, status=status_name(ticket.status)))
    if rating >= 3:
        return await _close(ctx, ticket, rating, note)
    return await _reopen(ctx, ticket, rating, note)


async def _close(ctx: Context, ticket: Ticket, rating: int, note: str) -> Reply:
    event = await transition(ctx.session, ticket, "rated", ctx.user.id, to_status=TicketStatus.closed,
                             note=f"{rating}分 {note}".strip(),
                             values={"rating": rating, "rating_note": note or None, "closed_at": ctx.now})
    if event is None:
        return Reply(texts.ALREADY_RATED.format(id=ticket.id))
    if rating >= GOOD_RATING and ticket.claimed_by:
        profile = await members.profile_of(ctx.session, ticket.claimed_by)
        await points.award(ctx.session, user_id=ticket.claimed_by, ticket_id=ticket.id, reason="rating",
                           points=ctx.settings.points_good_rating, now=ctx.now,
                           grid_id=profile.grid_id if profile else None,
                           community_id=profile.community_id if profile else None)
    return Reply(texts.RATED_GOOD.format(rating=rating, id=ticket.id))


async def _reopen(ctx: Context, ticket: Ticket, rating: int, note: str) -> Reply:
    """Unhappy: back to the grid head's triage list, the claim cleared, the grid heads told;
    a department's answer goes back to the street staff instead, to re-dispatch (转派)."""
    to_status = TicketStatus.returned if ticket.department_id else TicketStatus.triage
    event = await transition(ctx.session, ticket, "reopened", ctx.user.id, to_status=to_status,
                             note=f"居民评价{rating}分 {note}".strip(),
                             values={"rating": rating, "rating_note": note or None,
                                     "claimed_by": None, "claimed_at": None})
    if event is None:
        return Reply(texts.ALREADY_RATED.format(id=ticket.id))
    template = department_texts.PUSH_REOPENED if ticket.department_id else texts.PUSH_REOPENED
    body = template.format(id=ticket.id, rating=rating, note=note or "无意见")
    told = (await street_staff(ctx.session, ticket) if ticket.department_id
            else await access.holders(ctx.session, Role.grid_head, ticket.grid_id or ticket.community_id))
    for head in told:
        await push_to(ctx.session, head.id, f"ticket:{ticket.id}:event:{event.id}:head:{head.id}", body, ticket.id)
    return Reply((department_texts.RATED_BAD if ticket.department_id else texts.RATED_BAD).format(id=ticket.id))


async def ask_for_help(msg: Incoming, ctx: Context, args: str) -> Reply:
    """需要帮助 12: a 私事 the bot only advised on becomes a task after all."""
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.USAGE["需要帮助"])
    ticket = await _own_ticket(ctx, parsed[0])
    if ticket is None:
        return Reply(texts.NOT_YOUR_REQUEST.format(id=parsed[0]))
    if ticket.status != TicketStatus.advised:
        return Reply(texts.HELP_NOT_ADVISED.format(id=ticket.id, status=status_name(ticket.status)))
    to_status = TicketStatus.queued if ticket.grid_id else TicketStatus.triage
    event = await transition(ctx.session, ticket, "reopened", ctx.user.id, to_status=to_status,
                             note=f"居民申请社区帮助：{short(ticket.text)}")
    if event is None:
        return Reply(texts.HELP_NOT_ADVISED.format(id=ticket.id, status=status_name(TicketStatus.queued)))
    return Reply((texts.HELP_QUEUED if to_status == TicketStatus.queued else texts.HELP_TRIAGE).format(id=ticket.id))

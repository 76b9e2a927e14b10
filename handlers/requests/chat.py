"""Residents' requests in chat: free text becomes a ticket (small talk does not, a question is
answered and recorded as 私事); `查询` shows where it stands."""
from __future__ import annotations

import nlp
from handlers import intents
from handlers.parsing import number_only
from handlers.requests.actions import MAX_TEXT, Submitted, submit
from handlers.texts import requests as texts
from handlers.ticket_text import short, status_name
from handlers.types import Context, Incoming, Reply
from models.access import may_read_ticket
from models.clock import local_text
from models.tickets import Ticket, TicketStatus, history_of, open_tickets_of


async def create(msg: Incoming, ctx: Context, text: str) -> Reply:
    text = text[:MAX_TEXT]
    result = nlp.classify(text)
    if result.intent == nlp.CHAT:
        return intents.small_talk(result)
    submitted = await submit(ctx.session, ctx.settings, ctx.user, text, msg.dedup_key, ctx.now, result=result)
    if result.intent == nlp.QUESTION:
        return intents.answered(submitted.ticket, result)
    return created_reply(submitted, maybe_urgent=result.maybe_urgent)


def created_reply(submitted: Submitted, maybe_urgent: bool = False) -> Reply:
    """The resident's answer: the number, the class, the next step; for an urgent request the
    emergency call its hazard needs and who has been told; for a maybe-urgent one that the grid
    head will check."""
    ticket, alerted = submitted.ticket, submitted.alerted
    next_step = texts.NEXT_STEP.get(TicketStatus(ticket.status), texts.NEXT_STEP[TicketStatus.queued])
    note = texts.URGENT_NOTE if ticket.urgent else texts.MAYBE_URGENT_NOTE if maybe_urgent else texts.SAFETY_HINT
    return Reply(texts.CREATED.format(
        id=ticket.id, category=f"{ticket.department}·{ticket.topic}·{ticket.kind}",
        urgent=alerted.sentence() if alerted else note,
        next_step=next_step.format(id=ticket.id, department=ticket.department),
    ))


async def status(msg: Incoming, ctx: Context, args: str) -> Reply:
    args = args.strip()
    if not args:
        return await _open_list(ctx)
    number = number_only(args)
    if number is None:
        return Reply(texts.QUERY_USAGE)
    ticket = await ctx.session.get(Ticket, number)
    if ticket is None or not await may_read_ticket(ctx.session, ctx.user.id, ticket):
        return Reply(texts.NOT_FOUND.format(id=number))
    return Reply(await _history_text(ctx, ticket))


async def _open_list(ctx: Context) -> Reply:
    tickets = await open_tickets_of(ctx.session, ctx.user.id)
    if not tickets:
        return Reply(texts.NO_OPEN)
    lines = [texts.OPEN_HEADER]
    lines += [texts.OPEN_LINE.format(id=t.id, status=status_name(t.status), text=short(t.text, 18))
              for t in tickets]
    lines.append(texts.OPEN_FOOTER)
    return Reply("\n".join(lines))


async def _history_text(ctx: Context, ticket: Ticket) -> str:
    lines = [texts.HISTORY_HEADER.format(id=ticket.id, status=status_name(ticket.status),
                                         text=short(ticket.text, 30))]
    for event in await history_of(ctx.session, ticket.id):
        note = f"：{event.note}" if event.note and event.action != "created" else ""
        lines.append(texts.HISTORY_LINE.format(time=local_text(event.at),
                                               action=texts.ACTION_NAMES.get(event.action, event.action),
                                               note=note))
    return "\n".join(lines)


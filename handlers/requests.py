"""Residents' requests: any free text becomes a ticket; `查询` shows where it stands."""
from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

import nlp
from config.settings import Settings
from handlers.alerts.actions import Alerted, alert_at_intake
from handlers.departments.actions import announce, place_at_intake
from handlers.masking import mask_text
from handlers.routing import community_id_for, grid_for
from handlers.texts import requests as texts
from handlers.types import Context, Incoming, Reply
from models.clock import local_text
from models.tickets import Ticket, TicketStatus, history_of, insert_ticket, open_tickets_of, ticket_by_source
from models.access import may_read_ticket
from models.users import User

MAX_TEXT = 1000

_STATUS_BY_KIND = {"大事": TicketStatus.forwarded, "私事": TicketStatus.advised}


async def create(msg: Incoming, ctx: Context, text: str) -> Reply:
    stored, alerted = await store_request(ctx.session, ctx.settings, ctx.user, text, msg.dedup_key, ctx.now)
    return created_reply(stored, alerted.sentence() if alerted else None)


async def store_request(session: AsyncSession, settings: Settings, resident: User, text: str, source: str | None,
                        now: datetime, actor_id: int | None = None,
                        channel: str = "wechat") -> tuple[Ticket, Alerted | None]:
    """Classify and store one request of `resident` (logged by `actor_id`, default the resident),
    forward a 大事 to its department and alert the grid of an urgent one, in the caller's transaction.

    A source stored before (a retry Redis did not catch) gives back that ticket; every push is
    keyed per ticket, so a retry answers the same and queues nothing twice.
    """
    ticket = await _new_ticket(session, resident, text[:MAX_TEXT], source, now)
    ticket.channel = channel
    if ticket.status == TicketStatus.forwarded:
        await place_at_intake(session, ticket)
    stored = await insert_ticket(session, ticket, actor_id or resident.id) or await ticket_by_source(session, source)
    await announce(session, stored, settings, f"ticket:{stored.id}:intake")
    return stored, await alert_at_intake(session, stored) if stored.urgent else None


async def _new_ticket(session: AsyncSession, resident: User, text: str, source: str | None, now: datetime) -> Ticket:
    result = nlp.classify(text)
    grid_id = await grid_for(session, resident.grid_id, result.places)
    status = _STATUS_BY_KIND.get(result.kind) or (TicketStatus.queued if grid_id else TicketStatus.triage)
    return Ticket(
        user_id=resident.id, text=text, department=result.department, topic=result.topic,
        kind=result.kind, urgent=result.urgent, confidence=result.confidence,
        places=",".join(place.value for place in result.places), why="; ".join(result.why),
        status=status, grid_id=grid_id, community_id=await community_id_for(session, grid_id),
        source_msg_id=source, created_at=now, updated_at=now,
    )


def created_reply(ticket: Ticket, urgent_note: str | None = None) -> Reply:
    next_step = texts.NEXT_STEP.get(TicketStatus(ticket.status), texts.NEXT_STEP[TicketStatus.queued])
    return Reply(texts.CREATED.format(
        id=ticket.id, category=f"{ticket.department}·{ticket.topic}·{ticket.kind}",
        urgent=urgent_note or (texts.URGENT_NOTE if ticket.urgent else texts.SAFETY_HINT),
        next_step=next_step.format(id=ticket.id, department=ticket.department),
    ))


async def status(msg: Incoming, ctx: Context, args: str) -> Reply:
    args = args.strip()
    if not args:
        return await _open_list(ctx)
    if not args.isdigit():
        return Reply(texts.QUERY_USAGE)
    ticket = await ctx.session.get(Ticket, int(args))
    if ticket is None or not await may_read_ticket(ctx.session, ctx.user.id, ticket):
        return Reply(texts.NOT_FOUND.format(id=args))
    return Reply(await _history_text(ctx, ticket))


async def _open_list(ctx: Context) -> Reply:
    tickets = await open_tickets_of(ctx.session, ctx.user.id)
    if not tickets:
        return Reply(texts.NO_OPEN)
    lines = [texts.OPEN_HEADER]
    lines += [texts.OPEN_LINE.format(id=t.id, status=_status_name(t.status), text=_short(t.text))
              for t in tickets]
    lines.append(texts.OPEN_FOOTER)
    return Reply("\n".join(lines))


async def _history_text(ctx: Context, ticket: Ticket) -> str:
    lines = [texts.HISTORY_HEADER.format(id=ticket.id, status=_status_name(ticket.status),
                                         text=_short(ticket.text, 30))]
    for event in await history_of(ctx.session, ticket.id):
        note = f"：{event.note}" if event.note and event.action != "created" else ""
        lines.append(texts.HISTORY_LINE.format(time=local_text(event.at),
                                               action=texts.ACTION_NAMES.get(event.action, event.action),
                                               note=note))
    return "\n".join(lines)


def _status_name(status: str) -> str:
    return texts.STATUS_NAMES.get(TicketStatus(status), status)


def _short(text: str, limit: int = 18) -> str:
    """The start of a ticket's text with phone numbers masked (members and grid heads read it too)."""
    text = mask_text(text)
    return text if len(text) <= limit else text[:limit] + "…"

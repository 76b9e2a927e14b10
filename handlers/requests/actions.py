"""A resident's request, once for every door (chat, mini-program, staff intake): classify, place, store.

`submit` is idempotent on `source` (WeChat's MsgId, the mini program's Idempotency-Key): a
retried message finds the ticket the first one stored instead of making a second. A 大事 is
forwarded to its department, whose liaisons are told; an urgent request alerts the people on
duty for its place. Every push is keyed per ticket, so a retry queues nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

import nlp
from config.settings import Settings
from handlers.alerts.actions import Alerted, alert_at_intake
from handlers.departments.actions import announce, place_at_intake
from handlers.queue.actions import place
from models.tickets import Ticket, TicketStatus, insert_ticket, ticket_by_source
from models.users import User

MAX_TEXT = 1000


@dataclass(frozen=True)
class Submitted:
    """The stored ticket, and for an urgent one who was alerted (the resident's reply says so)."""

    ticket: Ticket
    alerted: Alerted | None = None


async def submit(session: AsyncSession, settings: Settings, user: User, text: str, source: str | None,
                 now: datetime, *, actor_id: int | None = None, channel: str = "wechat",
                 result: nlp.Classification | None = None) -> Submitted:
    """Store one request of `user` (logged by `actor_id`, default the user), in the caller's transaction.
    `result`: the classification when the door already made it (chat asks for intent first)."""
    text = text[:MAX_TEXT]
    ticket = await place(session, user, result or nlp.classify(text), text, source, now)
    ticket.channel = channel
    if ticket.status == TicketStatus.forwarded:
        await place_at_intake(session, ticket)
    stored = await insert_ticket(session, ticket, actor_id or user.id)
    if stored is None:  # the same message was stored before (a retry Redis did not catch)
        stored = await ticket_by_source(session, source or "")
    await announce(session, stored, settings, f"ticket:{stored.id}:intake")
    return Submitted(stored, await alert_at_intake(session, stored) if stored.urgent else None)

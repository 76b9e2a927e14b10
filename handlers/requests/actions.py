"""A resident's request, once for every door (chat, mini-program): classify, place, store.

`submit` is idempotent on `source` (WeChat's MsgId, the mini program's Idempotency-Key): a
retried message finds the ticket the first one stored instead of making a second.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

import nlp
from handlers.queue.actions import place
from models.tickets import Ticket, insert_ticket, ticket_by_source
from models.users import User

MAX_TEXT = 1000


async def submit(session: AsyncSession, user: User, text: str, source: str | None, now: datetime,
                 result: nlp.Classification | None = None) -> Ticket:
    """`result`: the classification when the door already made it (chat asks for intent first)."""
    text = text[:MAX_TEXT]
    ticket = await place(session, user, result or nlp.classify(text), text, source, now)
    stored = await insert_ticket(session, ticket, user.id)
    if stored is None:  # the same message was stored before (a retry Redis did not catch)
        stored = await ticket_by_source(session, source or "")
    return stored

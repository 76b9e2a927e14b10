"""Pushes to a user other than the sender, queued as outbound rows in the handler's transaction.

The notices worker (issue 5) sends them; `key` makes each push idempotent, so a retried
message or a repeated scheduler run never queues the same push twice.
"""
from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from models.outbound import enqueue_for_user

KIND = "ticket_update"  # a personal message: customer-service inside 48 h, template otherwise


async def push_to(session: AsyncSession, user_id: int | None, key: str, body: str,
                  ticket_id: int | None = None, title: str = "") -> bool:
    """Queue `body` for the user; False when there is nobody to tell or it was queued before."""
    if not user_id:
        return False
    return await enqueue_for_user(session, key=key, user_id=user_id, kind=KIND, body=body, title=title,
                                  ticket_id=ticket_id) is not None

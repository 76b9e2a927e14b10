"""Every message Linli pushes to a user, one row per recipient, before anything is sent.

The row is written in the same transaction as the change that caused it, so a push is
never lost; `idempotency_key` is unique, so the same push is never queued twice. The
notices worker sends pending rows and records the outcome on them.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Column, Index, Text, bindparam, literal
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.upsert import insert_for_dialect
from models.users import User


class OutboundMessage(SQLModel, table=True):
    """`kind`: 'ticket_update' (customer-service message inside the 48-hour window, template
    otherwise) or 'notice'. `status`: pending → sent | failed | skipped."""

    __tablename__ = "outbound_message"
    __table_args__ = (Index("ix_outbound_message_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True, max_length=120)
    openid: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=16)
    title: str = Field(default="", max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    # Added by the notices migration (0003_notices): the notice a delivery belongs to, whether
    # it may break quiet hours, and when the worker should (next) try it. The sweeper finds
    # rows whose queue entry was lost by this column, so it is indexed with `status`.
    notice_id: int | None = Field(default=None, foreign_key="notice.id", index=True)
    urgent: bool = False
    next_attempt_at: datetime = Field(default_factory=utcnow)


async def enqueue_for_user(session: AsyncSession, *, key: str, user_id: int, kind: str, body: str,
                           title: str = "", ticket_id: int | None = None, now: datetime | None = None) -> int | None:
    """Queue one push to a subscribed user in one statement (INSERT … SELECT … ON CONFLICT DO NOTHING).

    The row's id, or None when the user is unknown, has unfollowed, or `key` was queued before.
    """
    now = now or utcnow()
    message_id = (await session.exec(_enqueue_for_user(session.bind.dialect.name), params=dict(
        key=key, user_id=user_id, kind=kind, body=body, title=title, ticket_id=ticket_id, now=now))).scalar()
    if message_id is not None:
        session.info.setdefault(QUEUED_IN_SESSION, []).append(message_id)
    return message_id


@lru_cache(maxsize=4)
def _enqueue_for_user(dialect: str):
    table = OutboundMessage.__table__
    values = {"idempotency_key": bindparam("key"), "openid": User.openid, "kind": bindparam("kind"),
              "title": bindparam("title"), "body": bindparam("body"), "ticket_id": bindparam("ticket_id"),
              "status": literal("pending"), "attempts": literal(0), "created_at": bindparam("now"),
              "urgent": literal(False), "next_attempt_at": bindparam("now")}
    source = select(*values.values()).where(User.id == bindparam("user_id"), User.subscribed.is_(True))
    return (insert_for_dialect(dialect, table).from_select(list(values), source)
            .on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(table.c.id))


async def enqueue(session: AsyncSession, *, key: str, openid: str, kind: str, body: str,
                  title: str = "", ticket_id: int | None = None) -> OutboundMessage | None:
    """Queue one push in the caller's transaction; None when `key` was queued before."""
    existing = (await session.exec(select(OutboundMessage).where(OutboundMessage.idempotency_key == key))).first()
    if existing is not None:
        return None
    message = OutboundMessage(idempotency_key=key, openid=openid, kind=kind, body=body,
                              title=title, ticket_id=ticket_id)
    try:
        async with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    session.info.setdefault(QUEUED_IN_SESSION, []).append(message.id)
    return message


# `session.info` key listing the rows this transaction queued, so whoever owns the session
# can hand them to the sender as soon as the transaction commits (bot/storage.py does).
QUEUED_IN_SESSION = "linli.outbound.queued"
# Set when the transaction stored a notice: the worker is woken after the commit, so it finds the row.
NOTICE_IN_SESSION = "linli.outbound.notice"

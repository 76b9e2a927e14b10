"""Tickets (one resident request each) and their audit trail.

A ticket's life: `queued` in its grid's claiming queue (小事), or `triage` when no grid is
known, `forwarded` to a department (大事), `advised` and closed (私事); a member moves it to
`claimed`, then `done`; the resident's rating moves it to `closed` (or back to `queued`
when unhappy). Every change is a `TicketEvent` row, so the trail rebuilds the history.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from enum import StrEnum

from sqlalchemy import Column, Text, insert
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.upsert import insert_for_dialect


class TicketStatus(StrEnum):
    triage = "triage"
    queued = "queued"
    claimed = "claimed"
    done = "done"
    closed = "closed"
    forwarded = "forwarded"
    advised = "advised"
    acknowledged = "acknowledged"  # a department's liaison signed for it (签收)
    returned = "returned"  # the department sent it back (退回): street staff re-dispatch it (转派)
    withdrawn = "withdrawn"  # the resident no longer needs it (撤回)


OPEN_STATUSES = (TicketStatus.triage, TicketStatus.queued, TicketStatus.claimed, TicketStatus.done,
                 TicketStatus.forwarded, TicketStatus.acknowledged, TicketStatus.returned)

# A 大事 in a department's hands (or sent back to the street): never a member's task.
DEPARTMENT_STATUSES = (TicketStatus.forwarded, TicketStatus.acknowledged, TicketStatus.returned)


class Ticket(SQLModel, table=True):
    """A resident's request. Classifier output is stored as it was at intake (`why` explains it).

    `source_msg_id` is WeChat's MsgId (or another channel's idempotency key): unique, the
    database's backstop against a retried message creating a second ticket.
    """

    __tablename__ = "ticket"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    department: str = Field(default="其他", max_length=32)
    topic: str = Field(default="其他", max_length=32)
    kind: str = Field(default="小事", max_length=8)
    urgent: bool = Field(default=False, index=True)
    places: str = Field(default="", max_length=200)  # normalised, comma-separated: 楼3,2单元
    confidence: float = 0.0
    why: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default=TicketStatus.queued, max_length=16, index=True)
    grid_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    community_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    source_msg_id: str | None = Field(default=None, unique=True, max_length=80)
    claimed_by: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    claimed_at: datetime | None = None
    last_progress_at: datetime | None = None
    escalation_level: int = 0
    rating: int | None = None
    rating_note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    # The loop for 大事 and emergencies (migration 0006_loop_departments): the department a 大事
    # is forwarded to and since when (its 签收/答复 clocks), when someone first acknowledged it
    # (签收, or a claim), whether the liaison marked it complex (15 days to answer), how far the
    # urgent alert has climbed, and the channel a staff member logged it from.
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    forwarded_at: datetime | None = None
    acknowledged_at: datetime | None = None
    complex: bool = False
    alert_level: int = 0
    channel: str = Field(default="wechat", max_length=16)


class TicketEvent(SQLModel, table=True):
    """One state change or note on a ticket: who, when, from, to, and what they said."""

    __tablename__ = "ticket_event"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", max_length=500)
    at: datetime = Field(default_factory=utcnow, index=True)


def record_event(session: AsyncSession, ticket: Ticket, action: str, actor_id: int | None,
                 to_status: str | None = None, note: str = "") -> TicketEvent:
    """Apply a status change (if any) and add its audit row; the caller commits both together."""
    event = TicketEvent(ticket_id=ticket.id, actor_id=actor_id, action=action,
                        from_status=ticket.status, to_status=to_status or ticket.status, note=note[:500])
    if to_status:
        ticket.status = to_status
    ticket.updated_at = event.at
    session.add(ticket)
    session.add(event)
    return event


async def insert_ticket(session: AsyncSession, ticket: Ticket, actor_id: int | None) -> Ticket | None:
    """Store a new ticket and its `created` audit row; None when its source was stored before.

    The unique source column decides in one statement, so two processes handling the same
    retried message cannot both create a ticket. Core statements built once per dialect and
    run with bound values: this runs for every request, and building SQL per message (or the
    ORM's unit of work) costs more than the SQL itself.
    """
    statements = _ticket_statements(session.bind.dialect.name)
    ticket_id = (await session.exec(statements[0], params=ticket.model_dump(exclude={"id"}))).scalar()
    if ticket_id is None:
        return None
    ticket.id = ticket_id
    await session.exec(statements[1], params=dict(
        ticket_id=ticket_id, actor_id=actor_id, action="created", from_status=None,
        to_status=ticket.status, note=ticket.topic, at=ticket.created_at))
    return ticket


@lru_cache(maxsize=4)
def _ticket_statements(dialect: str):
    table = Ticket.__table__
    return (insert_for_dialect(dialect, table).on_conflict_do_nothing(index_elements=["source_msg_id"])
            .returning(table.c.id), insert(TicketEvent.__table__))


async def ticket_by_source(session: AsyncSession, source_msg_id: str) -> Ticket | None:
    return (await session.exec(select(Ticket).where(Ticket.source_msg_id == source_msg_id))).first()


async def open_tickets_of(session: AsyncSession, user_id: int, limit: int = 10) -> list[Ticket]:
    query = (select(Ticket).where(Ticket.user_id == user_id, Ticket.status.in_(OPEN_STATUSES))
             .order_by(Ticket.id.desc()).limit(limit))
    return list((await session.exec(query)).all())


async def history_of(session: AsyncSession, ticket_id: int) -> list[TicketEvent]:
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
    return list((await session.exec(query)).all())

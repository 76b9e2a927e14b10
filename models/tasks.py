"""The claiming queue over `ticket`: what is open where, and race-free state changes.

Every change is one conditional UPDATE (`… WHERE id = ? AND status = ?` plus whatever
else must still hold) that returns the columns the caller needs, so of any number of
concurrent attempts, on SQLite (≥ 3.35) or PostgreSQL, exactly the ones the rules allow
succeed, and the winner needs no second read. Only the winner writes the audit row, in the
same transaction as the change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Index, bindparam, insert, literal, text, union_all, update
from sqlalchemy.engine import Row
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tickets import Ticket, TicketEvent, TicketStatus

_QUEUED = text("status = 'queued'")
# The two halves of `任务`: a grid's queue, then the rest of its community, each already
# in the order members read it (urgent first, oldest first), so a page is an index scan.
_columns = Ticket.__table__.c
Index("ix_ticket_queue_grid", _columns.grid_id, _columns.urgent.desc(), _columns.created_at, _columns.id,
      postgresql_where=_QUEUED, sqlite_where=_QUEUED)
Index("ix_ticket_queue_community", _columns.community_id, _columns.urgent.desc(), _columns.created_at,
      _columns.id, postgresql_where=_QUEUED, sqlite_where=_QUEUED)

ACTIVE = (TicketStatus.claimed,)


@dataclass(frozen=True)
class QueueRow:
    """One line of `任务`: only what the list shows."""

    id: int
    urgent: bool
    grid_id: int | None
    text: str


async def open_tasks(session: AsyncSession, grid_id: int | None, community_id: int | None,
                     offset: int, limit: int) -> list[QueueRow]:
    """Queued tasks: the grid's first, then the community's other grids; urgent, then oldest."""
    if grid_id is None and community_id is None:
        return []
    statement = _queue_page(grid_id is not None, community_id is not None)
    rows = await session.exec(statement, params={"grid": grid_id, "community": community_id,
                                                 "depth": offset + limit, "offset": offset, "limit": limit})
    return [QueueRow(*row) for row in rows.all()]


@lru_cache(maxsize=4)
def _queue_page(by_grid: bool, by_community: bool):
    """The page query for one shape of member (grid and/or community), built once, bound per call."""
    parts = []
    if by_grid:
        parts.append(_queue_part(Ticket.grid_id == bindparam("grid"), 0))
    if by_community:
        others = Ticket.community_id == bindparam("community")
        if by_grid:
            others = others & ((Ticket.grid_id != bindparam("grid")) | Ticket.grid_id.is_(None))
        parts.append(_queue_part(others, 1))
    merged = union_all(*parts).subquery()
    return (select(merged.c.id, merged.c.urgent, merged.c.grid_id, merged.c.text)
            .order_by(merged.c.part, merged.c.urgent.desc(), merged.c.created_at, merged.c.id)
            .offset(bindparam("offset")).limit(bindparam("limit")))


def _queue_part(where: Any, part: int):
    # Wrapped in a subquery: SQLite allows no LIMIT on the members of a UNION itself.
    top = (select(Ticket.id, Ticket.urgent, Ticket.grid_id, Ticket.text, Ticket.created_at,
                  literal(part).label("part"))
           .where(Ticket.status == TicketStatus.queued, where)
           .order_by(Ticket.urgent.desc(), Ticket.created_at, Ticket.id).limit(bindparam("depth"))).subquery()
    return select(top)


async def claims_of(session: AsyncSession, user_id: int, limit: int = 20) -> list[Ticket]:
    query = (select(Ticket).where(Ticket.claimed_by == user_id, Ticket.status.in_(ACTIVE))
             .order_by(Ticket.claimed_at).limit(limit))
    return list((await session.exec(query)).all())


async def triage_list(session: AsyncSession, community_ids: list[int | None], limit: int = 10) -> list[Ticket]:
    """Tickets waiting for a grid head: in these communities, or with no known place at all."""
    query = select(Ticket).where(Ticket.status == TicketStatus.triage)
    if None not in community_ids:
        query = query.where(Ticket.community_id.in_(community_ids) | Ticket.community_id.is_(None))
    query = query.order_by(Ticket.urgent.desc(), Ticket.created_at, Ticket.id).limit(limit)
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class Moved:
    """A change that happened: the columns asked for (as they are now) and its audit row's id."""

    row: Row
    event_id: int


async def move(session: AsyncSession, ticket_id: int, action: str, actor_id: int | None, *, from_status: str,
               at: datetime, to_status: str | None = None, note: str = "", expect: dict[str, Any] | None = None,
               values: dict[str, Any] | None = None, returning: tuple[str, ...] = ()) -> Moved | None:
    """Move the ticket from `from_status` if nobody changed it meanwhile, and write the audit row.

    `expect`: further columns that must still hold these values (e.g. claimed_by);
    `values`: other columns to set; `returning`: columns the caller needs afterwards.
    None when the ticket was not in that state (another member, process or scheduler run
    got there first, or it never was): nothing was written.
    """
    conditions = [Ticket.id == ticket_id, Ticket.status == from_status]
    conditions += [getattr(Ticket, column) == value if value is not None else getattr(Ticket, column).is_(None)
                   for column, value in (expect or {}).items()]
    changes = {**(values or {}), "status": to_status or from_status, "updated_at": at}
    statement = (update(Ticket).where(*conditions).values(**changes)
                 .returning(Ticket.id, *(getattr(Ticket, column) for column in returning))
                 .execution_options(synchronize_session=False))
    row = (await session.exec(statement)).first()
    if row is None:
        return None
    event_id = (await session.exec(_insert_event(), params=dict(
        ticket_id=ticket_id, actor_id=actor_id, action=action, from_status=from_status,
        to_status=to_status or from_status, note=note[:500], at=at))).scalar_one()
    return Moved(row, event_id)


@lru_cache(maxsize=1)
def _insert_event():
    return insert(TicketEvent.__table__).returning(TicketEvent.__table__.c.id)


@dataclass(frozen=True)
class TicketState:
    """What deciding on a claim needs, read without building an ORM object."""

    id: int
    status: str
    claimed_by: int | None
    community_id: int | None
    grid_id: int | None
    user_id: int
    text: str


async def ticket_state(session: AsyncSession, ticket_id: int) -> TicketState | None:
    row = (await session.exec(_state_query(), params={"id": ticket_id})).first()
    return TicketState(*row) if row else None


@lru_cache(maxsize=1)
def _state_query():
    return select(Ticket.id, Ticket.status, Ticket.claimed_by, Ticket.community_id, Ticket.grid_id, Ticket.user_id,
                  Ticket.text).where(Ticket.id == bindparam("id"))


async def ticket_for_update(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """The ticket as stored now (not a copy an earlier statement left in the session)."""
    return (await session.exec(select(Ticket).where(Ticket.id == ticket_id)
                               .execution_options(populate_existing=True))).first()

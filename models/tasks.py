"""The claiming queue over `ticket`: what is open where, and race-free state changes.

Every change is a conditional UPDATE (`… WHERE id = ? AND status = ?` plus whatever
else must still hold), so of any number of concurrent attempts, on SQLite or PostgreSQL,
exactly the ones the rules allow succeed. Only the winner writes the audit row, in the
same transaction as the change.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, literal, text, union_all, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tickets import Ticket, TicketEvent, TicketStatus, record_event

_QUEUED = text("status = 'queued'")
# The two halves of `任务`: a grid's queue, then the rest of its community, each already
# in the order members read it (urgent first, oldest first), so a page is an index scan.
_columns = Ticket.__table__.c
Index("ix_ticket_queue_grid", _columns.grid_id, _columns.urgent.desc(), _columns.created_at, _columns.id,
      postgresql_where=_QUEUED, sqlite_where=_QUEUED)
Index("ix_ticket_queue_community", _columns.community_id, _columns.urgent.desc(), _columns.created_at,
      _columns.id, postgresql_where=_QUEUED, sqlite_where=_QUEUED)

ACTIVE = (TicketStatus.claimed,)


async def open_tasks(session: AsyncSession, grid_id: int | None, community_id: int | None,
                     offset: int, limit: int) -> list[Ticket]:
    """Queued tasks: the grid's first, then the community's other grids; urgent, then oldest."""
    parts = []
    depth = offset + limit
    if grid_id is not None:
        parts.append(_queue_part(Ticket.grid_id == grid_id, 0, depth))
    if community_id is not None:
        others = Ticket.community_id == community_id
        if grid_id is not None:
            others = others & ((Ticket.grid_id != grid_id) | Ticket.grid_id.is_(None))
        parts.append(_queue_part(others, 1, depth))
    if not parts:
        return []
    merged = union_all(*parts).subquery()
    page = (select(merged.c.id).order_by(merged.c.part, merged.c.urgent.desc(), merged.c.created_at, merged.c.id)
            .offset(offset).limit(limit))
    ids = list((await session.exec(page)).all())
    if not ids:
        return []
    rows = {t.id: t for t in (await session.exec(select(Ticket).where(Ticket.id.in_(ids)))).all()}
    return [rows[i] for i in ids if i in rows]


def _queue_part(where: Any, part: int, depth: int):
    # Wrapped in a subquery: SQLite allows no LIMIT on the members of a UNION itself.
    top = (select(Ticket.id, Ticket.urgent, Ticket.created_at, literal(part).label("part"))
           .where(Ticket.status == TicketStatus.queued, where)
           .order_by(Ticket.urgent.desc(), Ticket.created_at, Ticket.id).limit(depth)).subquery()
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


async def transition(session: AsyncSession, ticket: Ticket, action: str, actor_id: int | None, *,
                     to_status: str | None, note: str = "", expect: dict[str, Any] | None = None,
                     values: dict[str, Any] | None = None, at: datetime | None = None) -> TicketEvent | None:
    """Move `ticket` from the status it was read with, if nobody changed it meanwhile.

    `expect`: further columns that must still hold what they held (e.g. claimed_by);
    `values`: other columns to set; `at`: the moment of the change (default: now). Returns
    the audit row, or None when the ticket had already moved (another member, process or
    scheduler run got there first).
    """
    expect, values = dict(expect or {}), dict(values or {})
    conditions = [Ticket.id == ticket.id, Ticket.status == ticket.status]
    conditions += [getattr(Ticket, column) == value if value is not None else getattr(Ticket, column).is_(None)
                   for column, value in expect.items()]
    changes = {**values, "status": to_status or ticket.status}
    if at is not None:
        changes["updated_at"] = at
    result = await session.exec(update(Ticket).where(*conditions).values(**changes)
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    for column, value in values.items():
        setattr(ticket, column, value)
    event = record_event(session, ticket, action, actor_id, to_status=to_status, note=note)
    if at is not None:
        event.at = ticket.updated_at = at
    await session.flush()
    return event


async def ticket_for_update(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """The ticket as stored now (not a copy an earlier statement left in the session)."""
    return (await session.exec(select(Ticket).where(Ticket.id == ticket_id)
                               .execution_options(populate_existing=True))).first()

"""The requests a staff member sees: their scope as SQL, the filtered queue, grids and members
they may hand work to. The actions on tickets are in handlers/queue/actions.py."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.members import MemberProfile, MemberStatus, listing
from models.org import OrgLevel, OrgUnit
from models.access import Scope
from models.tickets import Ticket


@dataclass(frozen=True)
class QueueFilter:
    grid_id: int | None = None
    status: str | None = None
    department: str | None = None
    kind: str | None = None
    urgent: bool | None = None


def visible(scope: Scope):
    """The SQL condition for tickets inside a staff member's scope."""
    placed = or_(Ticket.grid_id.in_(scope.unit_ids),
                 and_(Ticket.grid_id.is_(None), Ticket.community_id.in_(scope.unit_ids)))
    if scope.sees_unplaced:
        return or_(placed, and_(Ticket.grid_id.is_(None), Ticket.community_id.is_(None)))
    return placed


def queue_query(scope: Scope, wanted: QueueFilter):
    query = select(Ticket).where(visible(scope))
    for column, value in ((Ticket.grid_id, wanted.grid_id), (Ticket.status, wanted.status),
                          (Ticket.department, wanted.department), (Ticket.kind, wanted.kind),
                          (Ticket.urgent, wanted.urgent)):
        if value is not None:
            query = query.where(column == value)
    return query.order_by(Ticket.urgent.desc(), Ticket.id.desc())


async def ticket_in_scope(session: AsyncSession, scope: Scope, ticket_id: int) -> Ticket | None:
    return (await session.exec(select(Ticket).where(Ticket.id == ticket_id, visible(scope)))).first()


async def grids_in(session: AsyncSession, scope: Scope) -> list[OrgUnit]:
    query = select(OrgUnit).where(OrgUnit.level == OrgLevel.grid, OrgUnit.id.in_(scope.unit_ids))
    return list((await session.exec(query.order_by(OrgUnit.code))).all())


async def members_in(session: AsyncSession, scope: Scope) -> list[MemberProfile]:
    """Approved party members registered with a community this staff member covers."""
    return await listing(session, MemberStatus.approved, sorted(scope.unit_ids), limit=500)

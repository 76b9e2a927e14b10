"""Points (党员先锋指数 in miniature): per finished task and per satisfied rating, by month.

One row per award; `(user_id, ticket_id, reason)` is unique, so finishing or rating the
same task again never pays twice. Each row keeps the member's grid and community at the
time, so the monthly ranking of a grid is a plain GROUP BY.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import UniqueConstraint, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import to_local, utcnow


class PointEntry(SQLModel, table=True):
    """`reason`: 'done' (a finished task), 'rating' (a rating of 4-5), 'project'."""

    __tablename__ = "point_entry"
    __table_args__ = (UniqueConstraint("user_id", "ticket_id", "reason", name="uq_point_entry_award"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    reason: str = Field(max_length=16)
    points: int
    month: str = Field(max_length=7, index=True)  # YYYY-MM in China time, as staff count months
    grid_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    community_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    at: datetime = Field(default_factory=utcnow)


@dataclass(frozen=True)
class Standing:
    points: int
    rank: int
    of: int


def month_of(moment: datetime) -> str:
    return to_local(moment).strftime("%Y-%m")


async def award(session: AsyncSession, *, user_id: int, ticket_id: int | None, reason: str, points: int,
                grid_id: int | None, community_id: int | None, now: datetime) -> bool:
    """Add an award unless this one was given before; True when added."""
    entry = PointEntry(user_id=user_id, ticket_id=ticket_id, reason=reason, points=points,
                       month=month_of(now), grid_id=grid_id, community_id=community_id, at=now)
    if ticket_id is not None and (await session.exec(select(PointEntry.id).where(
            PointEntry.user_id == user_id, PointEntry.ticket_id == ticket_id, PointEntry.reason == reason))).first():
        return False
    try:
        async with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        return False
    return True


async def ranking(session: AsyncSession, month: str, *, grid_id: int | None = None,
                  community_id: int | None = None, limit: int | None = None) -> list[tuple[int, int]]:
    """(user_id, points) for the month in the grid or community, best first."""
    total = func.sum(PointEntry.points).label("total")
    query = select(PointEntry.user_id, total).where(PointEntry.month == month)
    if grid_id is not None:
        query = query.where(PointEntry.grid_id == grid_id)
    if community_id is not None:
        query = query.where(PointEntry.community_id == community_id)
    query = query.group_by(PointEntry.user_id).order_by(total.desc(), PointEntry.user_id)
    if limit:
        query = query.limit(limit)
    return [(user_id, int(points)) for user_id, points in (await session.exec(query)).all()]


async def standing(session: AsyncSession, user_id: int, month: str, *, grid_id: int | None = None,
                   community_id: int | None = None) -> Standing:
    """The member's points and rank (ties share a rank) among everyone with points there."""
    rows = await ranking(session, month, grid_id=grid_id, community_id=community_id)
    mine = next((points for uid, points in rows if uid == user_id), 0)
    better = sum(1 for _, points in rows if points > mine)
    return Standing(points=mine, rank=better + 1, of=max(len(rows), 1))


async def total_of(session: AsyncSession, user_id: int) -> int:
    query = select(func.coalesce(func.sum(PointEntry.points), 0)).where(PointEntry.user_id == user_id)
    return int((await session.exec(query)).one())

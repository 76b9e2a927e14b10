"""为民项目: projects staff publish, with N seats members claim, or one co-building unit takes whole.

`seats_taken` is raised only by a conditional UPDATE (`… WHERE seats_taken < capacity`),
so however many members claim at once, a project never gets more than `capacity`.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow


class ProjectStatus(StrEnum):
    open = "open"
    full = "full"
    closed = "closed"


class CoopUnit(SQLModel, table=True):
    """共建单位: an organisation with a co-building pact, acting through its contact member."""

    __tablename__ = "coop_unit"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    community_id: int = Field(foreign_key="org_unit.id", index=True)
    contact_user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class Project(SQLModel, table=True):
    """A project for `unit_id` (a grid or a community); `coop_unit_id` set when a unit took it whole."""

    __tablename__ = "project"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=100)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    unit_id: int = Field(foreign_key="org_unit.id", index=True)
    community_id: int = Field(foreign_key="org_unit.id", index=True)
    capacity: int
    seats_taken: int = 0
    deadline: datetime | None = None
    status: str = Field(default=ProjectStatus.open, max_length=16, index=True)
    coop_unit_id: int | None = Field(default=None, foreign_key="coop_unit.id")
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)


class ProjectClaim(SQLModel, table=True):
    """One seat (or, with `coop_unit_id`, the whole project) taken by a member."""

    __tablename__ = "project_claim"
    __table_args__ = (UniqueConstraint("project_id", "user_id", name="uq_project_claim_user"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    coop_unit_id: int | None = Field(default=None, foreign_key="coop_unit.id")
    at: datetime = Field(default_factory=utcnow)


class ClaimOutcome(StrEnum):
    taken = "taken"
    already = "already"
    full = "full"
    closed = "closed"


async def publish(session: AsyncSession, *, title: str, description: str, unit_id: int, community_id: int,
                  capacity: int, deadline: datetime | None, created_by: int | None) -> Project:
    project = Project(title=title, description=description, unit_id=unit_id, community_id=community_id,
                      capacity=capacity, deadline=deadline, created_by=created_by)
    session.add(project)
    await session.flush()
    return project


async def open_projects(session: AsyncSession, community_id: int | None, limit: int = 10) -> list[Project]:
    query = select(Project).where(Project.status == ProjectStatus.open)
    if community_id is not None:
        query = query.where(Project.community_id == community_id)
    return list((await session.exec(query.order_by(Project.deadline, Project.id).limit(limit))).all())


async def claim_seat(session: AsyncSession, project: Project, user_id: int, now: datetime) -> ClaimOutcome:
    """Take one seat. The seat count and the claim row change together or not at all."""
    if project.status == ProjectStatus.closed or (project.deadline and project.deadline < now):
        return ClaimOutcome.closed
    if await _claim_of(session, project.id, user_id):
        return ClaimOutcome.already
    result = await session.exec(
        update(Project).where(Project.id == project.id, Project.status == ProjectStatus.open,
                              Project.seats_taken < Project.capacity)
        .values(seats_taken=Project.seats_taken + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return ClaimOutcome.full
    try:
        async with session.begin_nested():
            session.add(ProjectClaim(project_id=project.id, user_id=user_id, at=now))
    except IntegrityError:  # the same member's second message raced the first
        await _give_back_seat(session, project.id)
        return ClaimOutcome.already
    await _close_when_full(session, project.id)
    return ClaimOutcome.taken


async def claim_whole(session: AsyncSession, project: Project, unit: CoopUnit, now: datetime) -> ClaimOutcome:
    """A co-building unit takes every seat; only while nobody holds one yet."""
    if project.status == ProjectStatus.closed or (project.deadline and project.deadline < now):
        return ClaimOutcome.closed
    if project.coop_unit_id == unit.id:
        return ClaimOutcome.already
    result = await session.exec(
        update(Project).where(Project.id == project.id, Project.status == ProjectStatus.open,
                              Project.seats_taken == 0, Project.coop_unit_id.is_(None))
        .values(seats_taken=Project.capacity, coop_unit_id=unit.id, status=ProjectStatus.full)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return ClaimOutcome.full
    session.add(ProjectClaim(project_id=project.id, user_id=unit.contact_user_id, coop_unit_id=unit.id, at=now))
    await session.flush()
    return ClaimOutcome.taken


async def _claim_of(session: AsyncSession, project_id: int, user_id: int) -> ProjectClaim | None:
    return (await session.exec(select(ProjectClaim).where(ProjectClaim.project_id == project_id,
                                                          ProjectClaim.user_id == user_id))).first()


async def _give_back_seat(session: AsyncSession, project_id: int) -> None:
    await session.exec(update(Project).where(Project.id == project_id)
                          .values(seats_taken=Project.seats_taken - 1, status=ProjectStatus.open)
                          .execution_options(synchronize_session=False))


async def _close_when_full(session: AsyncSession, project_id: int) -> None:
    await session.exec(update(Project).where(Project.id == project_id, Project.seats_taken >= Project.capacity)
                          .values(status=ProjectStatus.full).execution_options(synchronize_session=False))


async def claims_for(session: AsyncSession, project_id: int) -> list[ProjectClaim]:
    query = select(ProjectClaim).where(ProjectClaim.project_id == project_id).order_by(ProjectClaim.id)
    return list((await session.exec(query)).all())


async def unit_of_contact(session: AsyncSession, user_id: int) -> CoopUnit | None:
    return (await session.exec(select(CoopUnit).where(CoopUnit.contact_user_id == user_id))).first()


async def fresh(session: AsyncSession, project_id: int) -> Project | None:
    return (await session.exec(select(Project).where(Project.id == project_id)
                               .execution_options(populate_existing=True))).first()

"""为民项目 actions for every door: list the open ones, take a seat, take one whole for a
co-building unit, publish. Each raises `Refusal` with the sentence every door shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.members.actions import member_of
from handlers.permission import require, require_anywhere
from handlers.texts import members as member_texts
from handlers.texts import projects as texts
from handlers.types import Refusal
from models import projects as model
from models.clock import CHINA
from models.org import OrgLevel, OrgUnit, community_of, find_unit
from models.projects import ClaimOutcome, CoopUnit, Project
from models.users import Role, User

MAX_CAPACITY = 1000
UnitRef = int | str  # by id (console form) or by name or code (chat, CLI)


@dataclass(frozen=True)
class Claim:
    """A seat (or, with `unit`, the whole project) held: `outcome` is taken, or already (held before);
    `project` as stored after the claim."""

    project: Project
    outcome: ClaimOutcome
    unit: CoopUnit | None = None


async def open_projects(session: AsyncSession, actor: User) -> list[Project]:
    """The open projects of the member's community."""
    profile = await member_of(session, actor)
    return await model.open_projects(session, profile.community_id)


async def claim_seat(session: AsyncSession, actor: User, project_id: int, now: datetime) -> Claim:
    project = await _claimable(session, actor, project_id)
    outcome = await model.claim_seat(session, project, actor.id, now)
    _refuse_unless_held(project, outcome, texts.FULL)
    return Claim(await model.fresh(session, project.id), outcome)


async def claim_whole(session: AsyncSession, actor: User, project_id: int, now: datetime) -> Claim:
    """单位认领: the co-building unit the actor is contact of takes every seat, while none is taken."""
    project = await _claimable(session, actor, project_id)
    unit = await model.unit_of_contact(session, actor.id)
    if unit is None:
        raise Refusal("forbidden", texts.NOT_UNIT_CONTACT)
    outcome = await model.claim_whole(session, project, unit, now)
    _refuse_unless_held(project, outcome, texts.UNIT_FULL)
    return Claim(await model.fresh(session, project.id), outcome, unit)


async def _claimable(session: AsyncSession, actor: User, project_id: int) -> Project:
    profile = await member_of(session, actor)
    project = await model.fresh(session, project_id)
    if project is None:
        raise Refusal("not_found", texts.NO_PROJECT.format(id=project_id))
    if project.community_id != profile.community_id:
        community = await session.get(OrgUnit, project.community_id)
        raise Refusal("forbidden", texts.OTHER_COMMUNITY.format(id=project.id, community=community.name))
    return project


def _refuse_unless_held(project: Project, outcome: ClaimOutcome, full: str) -> None:
    if outcome == ClaimOutcome.full:
        raise Refusal("conflict", full.format(id=project.id))
    if outcome == ClaimOutcome.closed:
        raise Refusal("conflict", texts.CLOSED.format(id=project.id))


def parse_deadline(text: str, now: datetime) -> datetime | None:
    """'2026-12-31' as the end of that day in China, in UTC; None when invalid or past."""
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
    moment = datetime.combine(day, time(23, 59, 59), CHINA).astimezone(UTC)
    return moment if moment > now else None


async def ensure_publisher(session: AsyncSession, actor: User | None) -> None:
    await require_anywhere(session, actor, Role.staff, member_texts.STAFF_ONLY)


async def publish(session: AsyncSession, actor: User | None, *, title: str, description: str, unit: UnitRef,
                  capacity: str, deadline: str, now: datetime) -> Project:
    """Publish for a grid or community; only staff on that unit (or above it) may."""
    await ensure_publisher(session, actor)
    target = await session.get(OrgUnit, unit) if isinstance(unit, int) else await find_unit(session, unit)
    if target is None or target.level not in (OrgLevel.grid, OrgLevel.community):
        raise Refusal("not_found", texts.UNKNOWN_UNIT.format(name=unit))
    await require(session, actor, Role.staff, target.id, texts.OUT_OF_SCOPE.format(name=target.name))
    if not title.strip():
        raise Refusal("invalid", texts.NEEDS_TITLE)
    if not capacity.strip().isdecimal() or not 1 <= int(capacity) <= MAX_CAPACITY:
        raise Refusal("invalid", texts.BAD_CAPACITY)
    ends = parse_deadline(deadline, now) if deadline.strip() else None
    if deadline.strip() and ends is None:
        raise Refusal("invalid", texts.BAD_DEADLINE)
    community = target if target.level == OrgLevel.community else await community_of(session, target.id)
    return await model.publish(session, title=title.strip()[:100], description=description.strip(),
                               unit_id=target.id, community_id=community.id, capacity=int(capacity), deadline=ends,
                               created_by=actor.id if actor else None)

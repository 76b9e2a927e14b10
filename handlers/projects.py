"""为民项目 in chat: 项目 lists, 认领项目 3 takes a seat, 单位认领 3 takes it whole for a
co-building unit, and staff's 发布项目 标题|说明|网格或社区|人数|截止日期 publishes one."""
from __future__ import annotations

from datetime import UTC, datetime, time

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.parsing import numbered
from handlers.tasks import member_or_refusal
from handlers.texts import members as member_texts
from handlers.texts import projects as texts
from handlers.types import Context, Incoming, Reply
from models import access
from models import projects as model
from models.clock import CHINA, to_local
from models.members import MemberProfile
from models.org import OrgLevel, OrgUnit, community_of, find_unit
from models.projects import ClaimOutcome, Project
from models.users import Role

MAX_CAPACITY = 1000


async def list_open(msg: Incoming, ctx: Context, args: str) -> Reply:
    profile = await member_or_refusal(ctx)
    if isinstance(profile, Reply):
        return profile
    found = await model.open_projects(ctx.session, profile.community_id)
    if not found:
        return Reply(texts.NONE)
    return Reply("\n".join([texts.LIST_HEADER, *(project_line(p) for p in found)]))


def project_line(project: Project) -> str:
    deadline = texts.DEADLINE.format(date=to_local(project.deadline).strftime("%m-%d")) if project.deadline else ""
    return texts.LIST_LINE.format(id=project.id, title=project.title, taken=project.seats_taken,
                                  capacity=project.capacity, deadline=deadline)


async def _claimable(ctx: Context, args: str) -> tuple[Project, MemberProfile] | Reply:
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.CLAIM_USAGE)
    profile = await member_or_refusal(ctx)
    if isinstance(profile, Reply):
        return profile
    project = await model.fresh(ctx.session, parsed[0])
    if project is None:
        return Reply(texts.NO_PROJECT.format(id=parsed[0]))
    if project.community_id != profile.community_id:
        community = await ctx.session.get(OrgUnit, project.community_id)
        return Reply(texts.OTHER_COMMUNITY.format(id=project.id, community=community.name))
    return project, profile


async def claim_seat(msg: Incoming, ctx: Context, args: str) -> Reply:
    found = await _claimable(ctx, args)
    if isinstance(found, Reply):
        return found
    project, _ = found
    outcome = await model.claim_seat(ctx.session, project, ctx.user.id, ctx.now)
    sentence = {ClaimOutcome.taken: texts.TAKEN, ClaimOutcome.already: texts.ALREADY,
                ClaimOutcome.full: texts.FULL, ClaimOutcome.closed: texts.CLOSED}[outcome]
    return Reply(sentence.format(id=project.id, title=project.title))


async def claim_whole(msg: Incoming, ctx: Context, args: str) -> Reply:
    found = await _claimable(ctx, args)
    if isinstance(found, Reply):
        return found
    project, _ = found
    unit = await model.unit_of_contact(ctx.session, ctx.user.id)
    if unit is None:
        return Reply(texts.NOT_UNIT_CONTACT)
    outcome = await model.claim_whole(ctx.session, project, unit, ctx.now)
    sentence = {ClaimOutcome.taken: texts.UNIT_TAKEN, ClaimOutcome.already: texts.UNIT_TAKEN,
                ClaimOutcome.full: texts.UNIT_FULL, ClaimOutcome.closed: texts.CLOSED}[outcome]
    return Reply(sentence.format(id=project.id, title=project.title, unit=unit.name, capacity=project.capacity))


def parse_deadline(text: str, now: datetime) -> datetime | None:
    """'2026-12-31' as the end of that day in China, in UTC; None when invalid or past."""
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
    moment = datetime.combine(day, time(23, 59, 59), CHINA).astimezone(UTC)
    return moment if moment > now else None


async def publish_checked(session: AsyncSession, *, title: str, description: str, unit_text: str, capacity_text: str,
                          deadline_text: str, by: int | None, now: datetime) -> Project | str:
    """Validate and publish (shared by chat and `linli projects publish`); a refusal sentence on bad input."""
    unit = await find_unit(session, unit_text)
    if unit is None or unit.level not in (OrgLevel.grid, OrgLevel.community):
        return texts.UNKNOWN_UNIT.format(name=unit_text)
    if not capacity_text.strip().isdigit() or not 1 <= int(capacity_text) <= MAX_CAPACITY:
        return texts.BAD_CAPACITY
    deadline = parse_deadline(deadline_text, now) if deadline_text.strip() else None
    if deadline_text.strip() and deadline is None:
        return texts.BAD_DEADLINE
    community = unit if unit.level == OrgLevel.community else await community_of(session, unit.id)
    return await model.publish(session, title=title[:100], description=description, unit_id=unit.id,
                               community_id=community.id, capacity=int(capacity_text), deadline=deadline,
                               created_by=by)


async def publish(msg: Incoming, ctx: Context, args: str) -> Reply:
    if not await access.units_of(ctx.session, ctx.user.id, Role.staff):
        return Reply(member_texts.STAFF_ONLY)
    parts = [part.strip() for part in args.replace("｜", "|").split("|")]
    if len(parts) not in (4, 5) or not parts[0]:
        return Reply(texts.PUBLISH_USAGE)
    unit = await find_unit(ctx.session, parts[2])
    if unit is not None and not await access.holds(ctx.session, ctx.user.id, Role.staff, unit.id):
        return Reply(texts.OUT_OF_SCOPE.format(name=unit.name))
    result = await publish_checked(ctx.session, title=parts[0], description=parts[1], unit_text=parts[2],
                                   capacity_text=parts[3], deadline_text=parts[4] if len(parts) == 5 else "",
                                   by=ctx.user.id, now=ctx.now)
    if isinstance(result, str):
        return Reply(result)
    return Reply(published_text(result, unit))


def published_text(project: Project, unit: OrgUnit) -> str:
    deadline = texts.DEADLINE.format(date=to_local(project.deadline).strftime("%Y-%m-%d")) if project.deadline else ""
    return texts.PUBLISHED.format(id=project.id, title=project.title, unit=unit.name,
                                  capacity=project.capacity, deadline=deadline)

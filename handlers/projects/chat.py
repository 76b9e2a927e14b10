"""为民项目 in chat: 项目 lists, 认领项目 3 takes a seat, 单位认领 3 takes it whole for a
co-building unit, and staff's 发布项目 标题|说明|网格或社区|人数|截止日期 publishes one.
The words become arguments of handlers/projects/actions.py; its refusals are the replies."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.parsing import numbered
from handlers.projects import actions
from handlers.texts import projects as texts
from handlers.types import Context, Incoming, Refusal, Reply
from models.clock import to_local
from models.org import OrgUnit
from models.projects import ClaimOutcome, Project
from models.users import User

ClaimAction = Callable[[AsyncSession, User, int, datetime], Awaitable[actions.Claim]]


async def list_open(msg: Incoming, ctx: Context, args: str) -> Reply:
    try:
        found = await actions.open_projects(ctx.session, ctx.user)
    except Refusal as refusal:
        return Reply(refusal.sentence)
    if not found:
        return Reply(texts.NONE)
    return Reply("\n".join([texts.LIST_HEADER, *(project_line(p) for p in found)]))


def project_line(project: Project) -> str:
    deadline = texts.DEADLINE.format(date=to_local(project.deadline).strftime("%m-%d")) if project.deadline else ""
    return texts.LIST_LINE.format(id=project.id, title=project.title, taken=project.seats_taken,
                                  capacity=project.capacity, deadline=deadline)


async def claim_seat(msg: Incoming, ctx: Context, args: str) -> Reply:
    return await _claim(ctx, args, actions.claim_seat, claimed_text)


def claimed_text(claim: actions.Claim) -> str:
    sentence = texts.TAKEN if claim.outcome == ClaimOutcome.taken else texts.ALREADY
    return sentence.format(id=claim.project.id, title=claim.project.title)


async def claim_whole(msg: Incoming, ctx: Context, args: str) -> Reply:
    return await _claim(ctx, args, actions.claim_whole, lambda claim: texts.UNIT_TAKEN.format(
        id=claim.project.id, title=claim.project.title, unit=claim.unit.name, capacity=claim.project.capacity))


async def _claim(ctx: Context, args: str, action: ClaimAction, sentence: Callable[[actions.Claim], str]) -> Reply:
    """`认领项目 3` / `单位认领 3`: the number, the action, its sentence or its refusal."""
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.CLAIM_USAGE)
    try:
        return Reply(sentence(await action(ctx.session, ctx.user, parsed[0], ctx.now)))
    except Refusal as refusal:
        return Reply(refusal.sentence)


async def publish(msg: Incoming, ctx: Context, args: str) -> Reply:
    parts = [part.strip() for part in args.replace("｜", "|").split("|")]
    try:
        if len(parts) not in (4, 5) or not parts[0]:
            await actions.ensure_publisher(ctx.session, ctx.user)  # a resident hears "staff only" first
            return Reply(texts.PUBLISH_USAGE)
        project = await actions.publish(ctx.session, ctx.user, title=parts[0], description=parts[1], unit=parts[2],
                                        capacity=parts[3], deadline=parts[4] if len(parts) == 5 else "",
                                        now=ctx.now)
    except Refusal as refusal:
        return Reply(refusal.sentence)
    return Reply(await published_text(ctx.session, project))


async def published_text(session, project: Project) -> str:
    unit = await session.get(OrgUnit, project.unit_id)
    deadline = texts.DEADLINE.format(date=to_local(project.deadline).strftime("%Y-%m-%d")) if project.deadline else ""
    return texts.PUBLISHED.format(id=project.id, title=project.title, unit=unit.name,
                                  capacity=project.capacity, deadline=deadline)

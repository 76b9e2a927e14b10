"""Projects, points, subscriptions and the notices a user received, for the mini program.

Lists read the models directly; changes call the same actions chat does
(handlers/projects/actions.py, handlers/subscriptions/actions.py); a `Refusal` becomes
the API's error by its code (bot/api/errors.py).
"""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import select

from bot.api import texts
from bot.api.domain import domain
from bot.api.errors import ApiError, not_found
from bot.api.paging import PageQuery, decode_cursor, next_cursor
from bot.api.registry import API, Call, RowId
from bot.api.state import state_of
from handlers.projects import actions as project_actions
from handlers.projects.chat import claimed_text
from handlers.subscriptions import actions as subscription_actions
from models import points
from models.clock import utcnow
from models.members import approved_member
from models.notices import Notice
from models.org import community_of
from models.outbound import OutboundMessage
from models.projects import Project, ProjectClaim, open_projects
from models.subscriptions import TOPICS, subscriptions_of


class ProjectOut(BaseModel):
    id: int
    title: str
    description: str
    capacity: int
    seats_taken: int
    deadline: datetime | None
    joined: bool


class ProjectList(BaseModel):
    items: list[ProjectOut]


class ProjectId(BaseModel):
    project_id: RowId


class Joined(BaseModel):
    message: str
    project: ProjectOut


class PointsOut(BaseModel):
    month: str
    points: int = Field(description="本月积分")
    community_rank: int
    community_of: int
    total: int = Field(description="累计积分")


class SubscriptionOut(BaseModel):
    unit_id: int
    unit: str
    topic: str = Field(description="空字符串表示全部主题")


class Subscriptions(BaseModel):
    message: str = ""
    items: list[SubscriptionOut]
    topics: list[str] = Field(description="可订阅的主题")


class SubscriptionIn(BaseModel):
    scope: str = Field(default="", max_length=30, description="网格 / 社区 / 街道 / 全区，或单位名称；空为本社区")
    topic: str = Field(default="", max_length=16, description="主题；空为全部")


class NoticeOut(BaseModel):
    id: int
    title: str
    body: str
    status: str = Field(description="pending / sent / failed / skipped")
    received_at: datetime


class NoticePage(BaseModel):
    items: list[NoticeOut]
    next_cursor: str | None


@API.route("GET", "/projects", summary="本社区正在招募的为民项目", response=ProjectList, tag="community")
async def projects(call: Call) -> ProjectList:
    async with state_of(call.request).storage.sessions() as session:
        profile = await approved_member(session, call.me.id)
        community = profile.community_id if profile else await _community_id(session, call.me.grid_id)
        rows = await open_projects(session, community, limit=50) if community else []
        return ProjectList(items=[await _project_out(session, project, call.me.id) for project in rows])


@API.route("POST", "/projects/{project_id}/join", summary="报名为民项目（党员）", response=Joined,
           path_model=ProjectId, errors=(403, 404, 409), tag="community")
async def join_project(call: Call) -> Joined:
    async with domain(call.request, call.me) as ctx:
        if await ctx.session.get(Project, call.path.project_id) is None:
            raise not_found(texts.PROJECT)
        claim = await project_actions.claim_seat(ctx.session, ctx.user, call.path.project_id, ctx.now)
        return Joined(message=claimed_text(claim), project=await _project_out(ctx.session, claim.project, ctx.user.id))


@API.route("GET", "/points", summary="我的本月积分和社区排名（党员）", response=PointsOut, errors=(403,),
           tag="community")
async def my_points(call: Call) -> PointsOut:
    async with state_of(call.request).storage.sessions() as session:
        profile = await approved_member(session, call.me.id)
        if profile is None:
            raise ApiError(403, "not_member", texts.NOT_MEMBER)
        month = points.month_of(utcnow())
        standing = await points.standing(session, call.me.id, month, community_id=profile.community_id)
        return PointsOut(month=month, points=standing.points, community_rank=standing.rank,
                         community_of=standing.of, total=await points.total_of(session, call.me.id))


@API.route("GET", "/subscriptions", summary="我订阅的通知", response=Subscriptions, tag="community")
async def my_subscriptions(call: Call) -> Subscriptions:
    async with state_of(call.request).storage.sessions() as session:
        return Subscriptions(items=_subscriptions_out(await subscriptions_of(session, call.me)), topics=list(TOPICS))


@API.route("POST", "/subscriptions", summary="订阅通知（范围、主题）", response=Subscriptions, body=SubscriptionIn,
           errors=(409, 422), tag="community")
async def subscribe(call: Call) -> Subscriptions:
    async with domain(call.request, call.me) as ctx:
        change = await subscription_actions.subscribe(ctx.session, ctx.user, call.body.scope, call.body.topic)
        return await _subscriptions(ctx, change.sentence)


@API.route("DELETE", "/subscriptions", summary="退订通知；不给主题时退订全部", response=Subscriptions,
           query=SubscriptionIn, errors=(409, 422), tag="community")
async def unsubscribe(call: Call) -> Subscriptions:
    async with domain(call.request, call.me) as ctx:
        change = await subscription_actions.unsubscribe(ctx.session, ctx.user, call.query.scope, call.query.topic)
        return await _subscriptions(ctx, change.sentence)


@API.route("GET", "/notices", summary="我收到的通知（新的在前）", response=NoticePage, query=PageQuery,
           errors=(400,), tag="community")
async def notices(call: Call) -> NoticePage:
    query = (select(OutboundMessage, Notice).join(Notice, Notice.id == OutboundMessage.notice_id)
             .where(OutboundMessage.openid == call.me.openid, OutboundMessage.kind == "notice"))
    before = decode_cursor(call.query.cursor)
    if before is not None:
        query = query.where(OutboundMessage.id < before)
    async with state_of(call.request).storage.sessions() as session:
        rows = (await session.exec(query.order_by(OutboundMessage.id.desc()).limit(call.query.limit))).all()
    items = [NoticeOut(id=row.id, title=notice.title, body=notice.body, status=row.status, received_at=row.created_at)
             for row, notice in rows]
    return NoticePage(items=items, next_cursor=next_cursor([row for row, _ in rows], call.query.limit))


async def _subscriptions(ctx, message: str) -> Subscriptions:
    items = _subscriptions_out(await subscriptions_of(ctx.session, ctx.user))
    return Subscriptions(message=message, items=items, topics=list(TOPICS))


def _subscriptions_out(pairs) -> list[SubscriptionOut]:
    return [SubscriptionOut(unit_id=unit.id, unit=unit.name, topic=topic) for unit, topic in pairs]


async def _community_id(session, grid_id: int | None) -> int | None:
    community = await community_of(session, grid_id) if grid_id else None
    return community.id if community else None


async def _project_out(session, project: Project, user_id: int) -> ProjectOut:
    joined = (await session.exec(select(ProjectClaim.id).where(
        ProjectClaim.project_id == project.id, ProjectClaim.user_id == user_id))).first() is not None
    return ProjectOut(id=project.id, title=project.title, description=project.description, capacity=project.capacity,
                      seats_taken=project.seats_taken, deadline=project.deadline, joined=joined)

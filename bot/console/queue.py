"""The request queue: filter, read a ticket's whole history, reassign, escalate, close."""
from __future__ import annotations

from aiohttp import web
from sqlalchemy import func
from sqlmodel import select

from bot.console.auth import flash
from bot.console.common import STORAGE, csv_response, int_or_none, render, staff_of, wants_csv
from handlers.masking import mask_name
from handlers.queue import actions
from handlers.texts import console as texts
from handlers.texts.requests import STATUS_NAMES
from handlers.ticket_text import status_name
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.org import OrgUnit
from models.tickets import Ticket, history_of
from models.triage import QueueFilter, grids_in, members_in, queue_query, ticket_in_scope, visible
from models.users import User

PAGE_SIZE = 50
KINDS = ("小事", "大事", "私事")
CSV_HEADER = ("编号", "状态", "紧急", "类别", "话题", "三事", "网格", "内容", "督办级别", "评分", "登记时间")


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/queue", page)
    router.add_get("/tickets/{id:\\d+}", detail)
    router.add_post("/tickets/{id:\\d+}/reassign", reassign)
    router.add_post("/tickets/{id:\\d+}/escalate", escalate)
    router.add_post("/tickets/{id:\\d+}/close", close)


def _filter(query) -> QueueFilter:
    urgent = {"1": True, "0": False}.get(query.get("urgent", ""))
    return QueueFilter(grid_id=int_or_none(query.get("grid")), status=query.get("status") or None,
                       department=query.get("category") or None, kind=query.get("kind") or None, urgent=urgent)


async def page(request: web.Request) -> web.Response:
    staff, wanted = staff_of(request), _filter(request.query)
    number = max(int_or_none(request.query.get("page")) or 1, 1)
    async with request.app[STORAGE].sessions() as session:
        query = queue_query(staff.scope, wanted)
        if wants_csv(request):
            return await _csv(session, query)
        total = (await session.exec(select(func.count()).select_from(query.subquery()))).one()
        tickets = (await session.exec(query.offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE))).all()
        grids = await grids_in(session, staff.scope)
        categories = (await session.exec(select(Ticket.department).where(visible(staff.scope)).distinct()
                                         .order_by(Ticket.department))).all()
    return render(request, "queue.html", tickets=tickets, total=total, page=number,
                  pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), grids=grids,
                  grid_names={g.id: g.name for g in grids}, categories=categories, kinds=KINDS,
                  statuses=STATUS_NAMES, wanted=request.query, url=request.rel_url)


async def _csv(session, query) -> web.Response:
    names = {unit.id: unit.name for unit in (await session.exec(select(OrgUnit))).all()}
    tickets = (await session.exec(query)).all()
    rows = [(t.id, status_name(t.status), "是" if t.urgent else "", t.department, t.topic, t.kind,
             names.get(t.grid_id, "未定位"), t.text, t.escalation_level, t.rating or "",
             t.created_at) for t in tickets]
    return csv_response("诉求队列.csv", CSV_HEADER, rows)


async def detail(request: web.Request) -> web.Response:
    staff, ticket_id = staff_of(request), int(request.match_info["id"])
    async with request.app[STORAGE].sessions() as session:
        ticket = await ticket_in_scope(session, staff.scope, ticket_id)
        if ticket is None:
            raise web.HTTPNotFound(text=texts.NOT_FOUND.format(id=ticket_id))
        events = await history_of(session, ticket.id)
        people = {user.id: user for user in (await session.exec(
            select(User).where(User.id.in_({e.actor_id for e in events} | {ticket.user_id})))).all()}
        grids = await grids_in(session, staff.scope)
        members = await members_in(session, staff.scope)
        grid = await session.get(OrgUnit, ticket.grid_id) if ticket.grid_id else None
    return render(request, "ticket.html", ticket=ticket, events=events, grids=grids, grid=grid,
                  members=members, who=lambda user_id: _who(people, user_id, ticket.user_id),
                  resident=mask_name(people[ticket.user_id].name) if ticket.user_id in people else "")


def _who(people: dict[int, User], user_id: int | None, resident_id: int) -> str:
    if user_id is None:
        return "系统"
    if user_id == resident_id:
        return "居民"
    user = people.get(user_id)
    return (user.name if user and user.name else f"用户{user_id}")


async def _act(request: web.Request, action, done_text: str) -> web.Response:
    """Run one ticket action in a transaction; its Refusal becomes a flash message (an unknown or
    out-of-scope ticket a 404), never a 500."""
    staff, ticket_id = staff_of(request), int(request.match_info["id"])
    form = await request.post()
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            actor = await session.get(User, staff.user_id)
            await action(session, actor, ticket_id, form, utcnow())
        await flash(request, done_text.format(id=ticket_id))
    except Refusal as refused:
        if refused.code == "not_found":
            raise web.HTTPNotFound(text=refused.sentence) from None
        await flash(request, refused.sentence)
    raise web.HTTPSeeOther(f"/console/tickets/{ticket_id}")


async def reassign(request: web.Request) -> web.Response:
    async def action(session, actor, ticket_id, form, now) -> None:
        await actions.reassign(session, actor, ticket_id, int_or_none(str(form.get("grid", ""))),
                               int_or_none(str(form.get("member", ""))), str(form.get("note", "")), now)
    return await _act(request, action, texts.REASSIGNED)


async def escalate(request: web.Request) -> web.Response:
    async def action(session, actor, ticket_id, form, now) -> None:
        await actions.escalate(session, actor, ticket_id, str(form.get("note", "")), now)
    return await _act(request, action, texts.ESCALATED)


async def close(request: web.Request) -> web.Response:
    async def action(session, actor, ticket_id, form, now) -> None:
        await actions.close(session, actor, ticket_id, str(form.get("note", "")), now)
    return await _act(request, action, texts.CLOSED)

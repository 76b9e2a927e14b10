"""The claiming queue for party members: open tasks, my claims, claim / progress / done / give up.

Each endpoint calls the same action the chat's 认领 / 进展 / 完成 / 放弃 call
(handlers/tasks/actions.py): the same rules, audit rows and pushes. An action's Refusal
becomes its status (403/404/409/422) in bot/api/errors.py.
"""
from __future__ import annotations

from pydantic import BaseModel, Field
from sqlmodel import select

from bot.api.domain import domain
from bot.api.errors import ApiError
from bot.api.paging import PageQuery, decode_cursor, encode_cursor
from bot.api.registry import API, Call, RowId
from bot.api.state import state_of
from bot.api.tickets import TicketOut, ticket_out, tickets_out
from handlers.audience import approved_member
from handlers.tasks import actions
from handlers.tasks.chat import claimed_text
from handlers.texts import tasks as texts
from handlers.types import Refusal
from models.members import MemberProfile
from models.tickets import Ticket


class TaskId(BaseModel):
    task_id: RowId


class NoteIn(BaseModel):
    note: str = Field(min_length=1, max_length=300, description="进展或完成情况，放弃时写原因")


class TaskPage(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class TaskAction(BaseModel):
    message: str
    task: TicketOut


async def _member(session, user_id: int) -> MemberProfile:
    """The caller's approved membership; 403 `not_member` with the chat's sentence otherwise."""
    try:
        return await approved_member(session, user_id)
    except Refusal as refusal:
        raise ApiError(403, "not_member", refusal.sentence) from None


@API.route("GET", "/tasks", summary="本网格、本社区待认领的任务（紧急的在前）", response=TaskPage, query=PageQuery,
           errors=(400, 403), tag="tasks")
async def tasks(call: Call) -> TaskPage:
    offset = _offset(call.query.cursor)
    async with state_of(call.request).storage.sessions() as session:
        lines = await actions.list_tasks(session, await _member(session, call.me.id), offset, call.query.limit)
        rows = {t.id: t for t in (await session.exec(select(Ticket).where(Ticket.id.in_([line.id for line in lines])))).all()}
        more = len(lines) == call.query.limit
        return TaskPage(items=await tickets_out(session, [rows[line.id] for line in lines if line.id in rows], call.me.id),
                        next_cursor=_offset_cursor(offset + len(lines)) if more else None)


@API.route("GET", "/tasks/mine", summary="我认领、正在办的任务", response=TaskPage, errors=(403,), tag="tasks")
async def my_tasks(call: Call) -> TaskPage:
    async with state_of(call.request).storage.sessions() as session:
        mine = await actions.my_tasks(session, await _member(session, call.me.id))
        return TaskPage(items=await tickets_out(session, mine, call.me.id), next_cursor=None)


_ERRORS = (403, 404, 409, 422)


@API.route("POST", "/tasks/{task_id}/claim", summary="认领任务", response=TaskAction, path_model=TaskId,
           errors=_ERRORS, tag="tasks")
async def claim(call: Call) -> TaskAction:
    async with domain(call.request, call.me) as ctx:
        claimed = await actions.claim(ctx.session, await _member(ctx.session, ctx.user.id), call.path.task_id, ctx.now)
        return await _outcome(ctx, claimed.id, claimed_text(claimed))


@API.route("POST", "/tasks/{task_id}/progress", summary="报告进展", response=TaskAction, path_model=TaskId,
           body=NoteIn, errors=_ERRORS, tag="tasks")
async def progress(call: Call) -> TaskAction:
    async with domain(call.request, call.me) as ctx:
        done = await actions.progress(ctx.session, await _member(ctx.session, ctx.user.id), call.path.task_id,
                                      call.body.note, ctx.now)
        return await _outcome(ctx, done.id, texts.PROGRESS_SAVED.format(id=done.id))


@API.route("POST", "/tasks/{task_id}/done", summary="报告办结", response=TaskAction, path_model=TaskId,
           body=NoteIn, errors=_ERRORS, tag="tasks")
async def done(call: Call) -> TaskAction:
    async with domain(call.request, call.me) as ctx:
        finished = await actions.finish(ctx.session, await _member(ctx.session, ctx.user.id), call.path.task_id,
                                        call.body.note, ctx.now, ctx.settings)
        return await _outcome(ctx, finished.id, texts.DONE_SAVED.format(id=finished.id, points=finished.points))


@API.route("POST", "/tasks/{task_id}/give-up", summary="放弃认领，任务回到队列", response=TaskAction,
           path_model=TaskId, body=NoteIn, errors=_ERRORS, tag="tasks")
async def give_up(call: Call) -> TaskAction:
    async with domain(call.request, call.me) as ctx:
        released = await actions.give_up(ctx.session, await _member(ctx.session, ctx.user.id), call.path.task_id,
                                         call.body.note, ctx.now)
        return await _outcome(ctx, released.id, texts.RELEASED.format(id=released.id))


async def _outcome(ctx, ticket_id: int, message: str) -> TaskAction:
    ticket = await ctx.session.get(Ticket, ticket_id, populate_existing=True)
    return TaskAction(message=message, task=await ticket_out(ctx.session, ticket, ctx.user.id))


def _offset(cursor: str | None) -> int:
    """The queue is ordered by urgency and age, not id: its cursor carries a position instead."""
    return decode_cursor(cursor) or 0


def _offset_cursor(offset: int) -> str:
    return encode_cursor(offset)

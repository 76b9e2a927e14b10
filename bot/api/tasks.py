"""The claiming queue for party members: open tasks, my claims, claim / progress / done / give up.

Each action runs the chat command through the route table (`认领 12`, `进展 12 …`,
`完成 12 …`, `放弃 12 …`): the same rules, the same audit rows and the same pushes as in
chat. The API only turns the outcome into a status code: 200 when the ticket moved as
asked, 409 with the handler's own sentence when it did not.
"""
from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

from bot.api import texts
from bot.api.domain import domain, run_command
from bot.api.errors import ApiError, conflict, not_found
from bot.api.paging import PageQuery, decode_cursor, encode_cursor
from bot.api.registry import API, Call, RowId
from bot.api.state import state_of
from bot.api.tickets import TicketOut, ticket_out, tickets_out
from handlers.types import Context
from models.members import approved_member
from models.tasks import claims_of, open_tasks
from models.tickets import Ticket, TicketStatus


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


@API.route("GET", "/tasks", summary="本网格、本社区待认领的任务（紧急的在前）", response=TaskPage, query=PageQuery,
           errors=(400, 403), tag="tasks")
async def tasks(call: Call) -> TaskPage:
    offset = _offset(call.query.cursor)
    async with state_of(call.request).storage.sessions() as session:
        profile = await approved_member(session, call.me.id)
        if profile is None:
            raise ApiError(403, "not_member", texts.NOT_MEMBER)
        rows = await open_tasks(session, profile.grid_id, profile.community_id, offset, call.query.limit)
        more = len(rows) == call.query.limit
        return TaskPage(items=await tickets_out(session, rows, call.me.id),
                        next_cursor=_offset_cursor(offset + len(rows)) if more else None)


@API.route("GET", "/tasks/mine", summary="我认领、正在办的任务", response=TaskPage, errors=(403,), tag="tasks")
async def my_tasks(call: Call) -> TaskPage:
    async with state_of(call.request).storage.sessions() as session:
        if await approved_member(session, call.me.id) is None:
            raise ApiError(403, "not_member", texts.NOT_MEMBER)
        return TaskPage(items=await tickets_out(session, await claims_of(session, call.me.id), call.me.id), next_cursor=None)


def _claimed_by_me(ticket: Ticket, ctx: Context) -> bool:
    return ticket.status == TicketStatus.claimed and ticket.claimed_by == ctx.user.id


_ERRORS = (403, 404, 409, 501)


@API.route("POST", "/tasks/{task_id}/claim", summary="认领任务", response=TaskAction, path_model=TaskId,
           errors=_ERRORS, tag="tasks")
async def claim(call: Call) -> TaskAction:
    return await _act(call, "认领", "", _claimed_by_me)


@API.route("POST", "/tasks/{task_id}/progress", summary="报告进展", response=TaskAction, path_model=TaskId,
           body=NoteIn, errors=_ERRORS, tag="tasks")
async def progress(call: Call) -> TaskAction:
    return await _act(call, "进展", call.body.note, lambda t, ctx: _claimed_by_me(t, ctx) and t.last_progress_at == ctx.now)


@API.route("POST", "/tasks/{task_id}/done", summary="报告办结", response=TaskAction, path_model=TaskId,
           body=NoteIn, errors=_ERRORS, tag="tasks")
async def done(call: Call) -> TaskAction:
    return await _act(call, "完成", call.body.note, lambda t, ctx: t.status == TicketStatus.done and t.claimed_by == ctx.user.id)


@API.route("POST", "/tasks/{task_id}/give-up", summary="放弃认领，任务回到队列", response=TaskAction,
           path_model=TaskId, body=NoteIn, errors=_ERRORS, tag="tasks")
async def give_up(call: Call) -> TaskAction:
    return await _act(call, "放弃", call.body.note, lambda t, ctx: t.status == TicketStatus.queued and t.claimed_by is None)


async def _act(call: Call, word: str, note: str, moved: Callable[[Ticket, Context], bool]) -> TaskAction:
    async with domain(call.request, call.me) as ctx:
        if await approved_member(ctx.session, ctx.user.id) is None:
            raise ApiError(403, "not_member", texts.NOT_MEMBER)
        ticket = await ctx.session.get(Ticket, call.path.task_id)
        if ticket is None:
            raise not_found(texts.TASK)
        reply = await run_command(ctx, f"{word} {ticket.id} {' '.join(note.split())}".strip())
        await ctx.session.refresh(ticket)
        if not moved(ticket, ctx):
            raise conflict(reply.text)
        return TaskAction(message=reply.text, task=await ticket_out(ctx.session, ticket, ctx.user.id))


def _offset(cursor: str | None) -> int:
    """The queue is ordered by urgency and age, not id: its cursor carries a position instead."""
    return decode_cursor(cursor) or 0


def _offset_cursor(offset: int) -> str:
    return encode_cursor(offset)

"""Grid heads in chat: 待分派 lists requests with no grid yet (or reopened), 分派 12 网格 queues one."""
from __future__ import annotations

from handlers.parsing import numbered
from handlers.queue import actions
from handlers.texts import tasks as texts
from handlers.ticket_text import short
from handlers.types import Context, Incoming, Reply


async def waiting(msg: Incoming, ctx: Context, args: str) -> Reply:
    tickets = await actions.waiting(ctx.session, ctx.user)
    if not tickets:
        return Reply(texts.TRIAGE_NONE)
    lines = [texts.TRIAGE_HEADER]
    lines += [texts.TRIAGE_LINE.format(id=t.id, urgent=texts.URGENT_MARK if t.urgent else "", text=short(t.text))
              for t in tickets]
    return Reply("\n".join(lines))


async def assign(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None or not parsed[1]:
        return Reply(texts.USAGE["分派"])
    assigned = await actions.assign(ctx.session, ctx.user, parsed[0], parsed[1], ctx.now)
    return Reply(texts.ASSIGNED.format(id=assigned.id, grid=assigned.grid))

"""The chat grammar over the talk actions: 回复 12 内容, 撤回 12 [原因]. The router answers a
Refusal with its sentence."""
from __future__ import annotations

from handlers.parsing import numbered
from handlers.talk import actions
from handlers.texts import talk as texts
from handlers.types import Context, Incoming, Reply


async def reply(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None or not parsed[1]:
        return Reply(texts.USAGE["回复"])
    ticket_id = await actions.reply_to_resident(ctx.session, ctx.user, parsed[0], parsed[1], ctx.now)
    return Reply(texts.REPLIED.format(id=ticket_id))


async def withdraw(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.USAGE["撤回"])
    ticket_id = await actions.withdraw(ctx.session, ctx.user, parsed[0], parsed[1], ctx.now)
    return Reply(texts.WITHDRAWN.format(id=ticket_id))

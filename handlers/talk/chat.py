"""The chat grammar over the talk actions: 回复 12 内容, 撤回 12 [原因]."""
from __future__ import annotations

from handlers.parsing import numbered
from handlers.refusals import spoken
from handlers.talk import actions
from handlers.texts import talk as texts
from handlers.types import Context, Incoming, Reply


async def reply(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None or not parsed[1]:
        return Reply(texts.USAGE["回复"])
    return await spoken(actions.reply_to_resident(ctx.session, ctx.user, parsed[0], parsed[1], ctx.now),
                        lambda event: texts.REPLIED.format(id=event.ticket_id))


async def withdraw(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.USAGE["撤回"])
    return await spoken(actions.withdraw(ctx.session, ctx.user, parsed[0], parsed[1], ctx.now),
                        lambda event: texts.WITHDRAWN.format(id=event.ticket_id))

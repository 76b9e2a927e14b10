"""评价 12 5 意见 and 需要帮助 12 in chat: words to arguments for `handlers.feedback.actions`."""
from __future__ import annotations

import re

from handlers.feedback import actions
from handlers.parsing import numbered
from handlers.texts import departments as department_texts
from handlers.texts import tasks as texts
from handlers.types import Context, Incoming, Refusal, Reply

# The score is the whole number after the ticket's: “5”, “5 很及时”, “5很及时”; “10” is ten, not one.
_SCORE = re.compile(r"^(\d+)\s*(.*)$", re.S)


async def rate(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    score = _SCORE.match(parsed[1]) if parsed else None
    if score is None:
        raise Refusal("invalid", texts.USAGE["评价"])
    rated = await actions.rate(ctx.session, ctx.user, parsed[0], int(score.group(1)), score.group(2), ctx.now,
                               ctx.settings)
    return Reply(rated_text(rated))


def rated_text(rated: actions.Rated) -> str:
    """What the resident reads after rating, in chat and as the mini program's message."""
    if rated.reopened:
        return (department_texts.RATED_BAD if rated.by_department else texts.RATED_BAD).format(id=rated.id)
    return texts.RATED_GOOD.format(rating=rated.rating, id=rated.id)


async def ask_for_help(msg: Incoming, ctx: Context, args: str) -> Reply:
    parsed = numbered(args)
    if parsed is None:
        return Reply(texts.USAGE["需要帮助"])
    asked = await actions.ask_for_help(ctx.session, ctx.user, parsed[0], ctx.now)
    return Reply((texts.HELP_QUEUED if asked.queued else texts.HELP_TRIAGE).format(id=asked.id))

"""The API's door into the domain: the same Context and the same handlers the chat uses.

An endpoint calls an action (handlers/<area>/actions.py) in the transaction `domain` opens;
its Refusal becomes a status in bot/api/errors.py. `run_command` (a chat command run through
the route table) is what endpoints not yet on their area's actions still use.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.api import texts
from bot.api.errors import ApiError
from bot.api.state import state_of
from handlers import router
from handlers.types import Context, Incoming, Reply
from models.clock import utcnow
from models.db import transaction
from models.users import User

CHANNEL = "miniprogram"


@asynccontextmanager
async def domain(request: web.Request, user: User) -> AsyncIterator[Context]:
    """A handler Context for `user` in one transaction, committed when the block ends."""
    state = state_of(request)
    async with transaction(state.storage.sessions) as session:
        me = await session.get(User, user.id)
        if me is None:  # deleted since the token was issued
            raise ApiError(401, "bad_token", texts.BAD_TOKEN)
        ctx = Context(session=session, redis=state.storage.redis, keys=state.storage.keys,
                      settings=state.settings, user=me, now=utcnow())
        yield ctx
    for job in ctx.after_reply:
        state.spawn(job)


def incoming(ctx: Context, text: str, dedup_key: str | None = None) -> Incoming:
    return Incoming(openid=ctx.user.openid, type="text", account=CHANNEL, content=text, dedup_key=dedup_key)


async def run_command(ctx: Context, text: str) -> Reply:
    """What the chat would answer to `text`, by the same handler; 501 while no handler has the word."""
    match = router.match_command(text)
    if match is None:
        raise ApiError(501, "not_available", texts.NOT_YET)
    command, args = match
    await command.admit(ctx)
    return await command.handler(incoming(ctx, text), ctx, args)

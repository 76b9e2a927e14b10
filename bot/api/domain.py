"""The API's door into the domain: the same actions the chat uses, in one transaction.

An endpoint calls an action (handlers/<area>/actions.py) in the transaction `domain` opens;
its Refusal becomes a status in bot/api/errors.py. No endpoint builds a chat command.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.api import texts
from bot.api.errors import ApiError
from bot.api.state import state_of
from handlers.types import Context
from models.clock import utcnow
from models.db import transaction
from models.users import User



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

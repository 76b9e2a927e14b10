"""Short multi-step conversations (e.g. picking a member kind after 报到) whose state is in Redis.

State lives under one key per user with a TTL, so the next message may reach another
`serve` process, or the same one after a restart, and still continue the dialog. An open
dialog sees a text first (so its own "取消" wins over the command of that name) and passes
anything that is no answer to it on to the commands and requests.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.exceptions import RedisError

from handlers.types import Context, Incoming, Reply

log = logging.getLogger(__name__)

# A step returns None when the text is not an answer to it (the caller handles it otherwise).
Step = Callable[[Incoming, Context, str, dict[str, Any]], Awaitable[Reply | None]]


def _key(ctx: Context) -> str:
    return ctx.keys.dialog(ctx.user.openid)


async def start(ctx: Context, name: str, data: dict[str, Any]) -> None:
    await ctx.redis.set(_key(ctx), json.dumps({"name": name, "data": data}, ensure_ascii=False),
                        ex=ctx.settings.dialog_ttl_s)


async def finish(ctx: Context) -> None:
    await ctx.redis.delete(_key(ctx))


async def resume(msg: Incoming, ctx: Context, text: str, steps: dict[str, Step]) -> Reply | None:
    """The reply of the user's open dialog to `text`; None when no dialog is open or it passes.

    With Redis unreachable no dialog can be resumed, but the message must still be handled
    (as a request), so an outage reads as "no dialog open".
    """
    try:
        stored = await ctx.redis.get(_key(ctx))
    except RedisError as exc:
        log.warning("dialog state unavailable, treating as none: %s", exc)
        return None
    if not stored:
        return None
    state = json.loads(stored)
    step = steps.get(state.get("name"))
    if step is None:  # a dialog this version no longer knows: forget it
        await finish(ctx)
        return None
    return await step(msg, ctx, text, state.get("data") or {})

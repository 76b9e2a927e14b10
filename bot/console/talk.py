"""The ticket page's 回复 box: staff and grid heads write to the resident through the account.

The console door over handlers.talk.actions: the action decides who may write (the console
does not re-check); a refusal becomes the flash message.
"""
from __future__ import annotations

from aiohttp import web

from bot.console.auth import flash
from bot.console.common import STORAGE, staff_of
from handlers.talk.actions import reply_to_resident
from handlers.texts import talk as texts
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.users import User


def routes(router: web.UrlDispatcher) -> None:
    router.add_post("/tickets/{id:\\d+}/reply", reply)


async def reply(request: web.Request) -> web.Response:
    staff, ticket_id = staff_of(request), int(request.match_info["id"])
    text = " ".join(str((await request.post()).get("note", "")).split())
    if not text:
        await flash(request, texts.USAGE["回复"])
        raise web.HTTPSeeOther(f"/console/tickets/{ticket_id}")
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            await reply_to_resident(session, await session.get(User, staff.user_id), ticket_id, text, utcnow())
        await flash(request, texts.REPLIED.format(id=ticket_id))
    except Refusal as refused:
        await flash(request, refused.sentence)
    raise web.HTTPSeeOther(f"/console/tickets/{ticket_id}")

"""代录: staff log a resident's phone call, walk-in or home visit from the console.

The console door over handlers.intake.actions: the action decides who may and what is
valid (the console re-checks nothing); a refusal is shown above the form, which keeps what was typed.
"""
from __future__ import annotations

from aiohttp import web

from bot.console.auth import flash
from bot.console.common import SETTINGS, STORAGE, render, staff_of
from handlers.intake.actions import log_request
from handlers.texts import intake as texts
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.users import User


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/intake", page)
    router.add_post("/intake", submit)


async def page(request: web.Request) -> web.Response:
    return render(request, "intake.html", channels=texts.CHANNELS, form={})


async def submit(request: web.Request) -> web.Response:
    staff, form = staff_of(request), await request.post()
    values = {name: str(form.get(name, "")) for name in ("phone", "text", "channel")}
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            logged = await log_request(session, await session.get(User, staff.user_id), values["phone"],
                                       values["text"], values["channel"], request.app[SETTINGS], utcnow())
    except Refusal as refused:
        return render(request, "intake.html", channels=texts.CHANNELS, form=values, error=refused.sentence)
    ticket = logged.ticket
    await flash(request, texts.LOGGED.format(id=ticket.id, category=f"{ticket.department}·{ticket.kind}",
                                             channel=texts.CHANNELS[ticket.channel]))
    raise web.HTTPSeeOther("/console/intake")

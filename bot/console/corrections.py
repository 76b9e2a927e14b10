"""Correcting how a request was sorted, from the ticket page; and the corrections as labelled CSV."""
from __future__ import annotations

from aiohttp import web

from bot.console.auth import flash
from bot.console.common import STORAGE, staff_of
from handlers import corrections
from handlers.texts import console as texts
from handlers.types import Refusal
from models.db import transaction
from models.triage import visible


def routes(router: web.UrlDispatcher) -> None:
    router.add_post("/tickets/{id:\\d+}/correct", correct)
    router.add_get("/corrections.csv", export)


async def correct(request: web.Request) -> web.Response:
    staff, ticket_id = staff_of(request), int(request.match_info["id"])
    form = await request.post()
    labels = corrections.Labels(str(form.get("department", "")), str(form.get("kind", "")), form.get("urgent") == "1")
    seen = corrections.Labels(str(form.get("seen_department", "")), str(form.get("seen_kind", "")),
                              form.get("seen_urgent") == "1") if "seen_kind" in form else None
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            await corrections.correct(session, staff.user_id, ticket_id, labels, seen)
        await flash(request, texts.CORRECTED.format(id=ticket_id))
    except Refusal as refused:
        await flash(request, refused.sentence)
    raise web.HTTPSeeOther(f"/console/tickets/{ticket_id}")


async def export(request: web.Request) -> web.Response:
    async with request.app[STORAGE].sessions() as session:
        body = await corrections.labelled_csv(session, visible(staff_of(request).scope))
    return web.Response(body=body.encode("utf-8"), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": "attachment; filename=corrections.csv"})

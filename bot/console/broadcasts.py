"""通知推送: compose for a unit (and topics), preview how many people it reaches, send, watch it go.

Checking and sending are the notices' actions (handlers/notices/actions.py), the same chat
and `linli notice send` use; this page collects the form, shows the action's preview or
refusal, and delivery counts. The storage's commit hook wakes the worker.
"""
from __future__ import annotations

from aiohttp import web
from multidict import MultiDictProxy
from sqlmodel import select

from bot.console.common import SETTINGS, STORAGE, csv_response, render, staff_of, wants_csv
from handlers.notices import actions
from handlers.notices.actions import BODY_MAX, TITLE_MAX, Draft
from handlers.texts import console as texts
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.notices import Notice, delivery_counts, parse_quiet_hours
from models.org import OrgLevel, OrgUnit
from models.subscriptions import TOPICS
from models.users import User

CSV_HEADER = ("编号", "标题", "范围", "主题", "紧急", "接收人数", "状态", "发送时间")


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/broadcasts", page)
    router.add_post("/broadcasts/preview", preview)
    router.add_post("/broadcasts", send)
    router.add_get("/broadcasts/{id:\\d+}", detail)
    router.add_get("/broadcasts/{id:\\d+}/progress", progress)


async def page(request: web.Request, error: str = "", draft: Draft | None = None) -> web.Response:
    scope = staff_of(request).scope
    async with request.app[STORAGE].sessions() as session:
        notices = (await session.exec(select(Notice).where(Notice.unit_id.in_(scope.unit_ids))
                                      .order_by(Notice.id.desc()).limit(200))).all()
        units = {unit.id: unit for unit in (await session.exec(select(OrgUnit))).all()}
    if wants_csv(request):
        return csv_response("通知推送.csv", CSV_HEADER, [
            (n.id, n.title, units[n.unit_id].name, n.tags, "是" if n.urgent else "", n.recipients, n.status,
             n.send_at) for n in notices])
    targets = sorted((u for u in units.values() if u.id in scope.unit_ids and u.level != OrgLevel.building),
                     key=lambda u: u.code)
    return render(request, "broadcasts.html", notices=notices, units=units, targets=targets, topics=TOPICS,
                  error=error, draft=draft, title_max=TITLE_MAX, body_max=BODY_MAX)


def _form(form: MultiDictProxy) -> Draft:
    """The form as typed, to show again beside a refusal."""
    unit = str(form.get("unit", ""))
    return Draft(int(unit) if unit.isdecimal() else 0, str(form.get("title", "")), str(form.get("body", "")),
                 tuple(str(tag) for tag in form.getall("tags", [])), form.get("urgent") == "1")


async def _checked(request: web.Request, session) -> actions.Preview:
    form = _form(await request.post())
    actor = await session.get(User, staff_of(request).user_id)
    return await actions.draft(session, actor, scope=form.unit_id, title=form.title, body=form.body,
                               tags=form.tags, urgent=form.urgent)


async def preview(request: web.Request) -> web.Response:
    async with request.app[STORAGE].sessions() as session:
        try:
            checked = await _checked(request, session)
        except Refusal as refusal:
            return await page(request, refusal.sentence, _form(await request.post()))
    return render(request, "broadcast_preview.html", draft=checked.draft, unit=checked.unit, count=checked.audience)


async def send(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            checked = await _checked(request, session)
            sent = await actions.send(session, await session.get(User, staff_of(request).user_id), checked.draft,
                                      send_at=utcnow(), quiet_hours=parse_quiet_hours(settings.quiet_hours))
    except Refusal as refusal:
        return await page(request, refusal.sentence, _form(await request.post()))
    raise web.HTTPSeeOther(f"/console/broadcasts/{sent.notice.id}")


async def _notice(request: web.Request, session) -> Notice:
    notice = await session.get(Notice, int(request.match_info["id"]))
    if notice is None or not staff_of(request).scope.covers(notice.unit_id):
        raise web.HTTPNotFound(text=texts.BROADCAST_NOT_FOUND)
    return notice


async def detail(request: web.Request) -> web.Response:
    async with request.app[STORAGE].sessions() as session:
        notice = await _notice(request, session)
        unit = await session.get(OrgUnit, notice.unit_id)
        counts = await delivery_counts(session, notice.id)
    return render(request, "broadcast.html", notice=notice, unit=unit, counts=counts)


async def progress(request: web.Request) -> web.Response:
    """Delivery counts as JSON; the page polls this once a second while anything is pending."""
    async with request.app[STORAGE].sessions() as session:
        notice = await _notice(request, session)
        counts = await delivery_counts(session, notice.id)
    pending = counts["pending"] if notice.status != "scheduled" else max(notice.recipients, 1)
    return web.json_response({"status": notice.status, "total": sum(counts.values()), **counts, "pending": pending},
                             headers={"Cache-Control": "no-store"})

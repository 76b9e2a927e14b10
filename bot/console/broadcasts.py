"""通知推送: compose for a unit (and topics), preview how many people it reaches, send, watch it go.

Storing and fanning out are the notices area's (`create_notice`, the outbound worker);
this page only collects the form, checks it the way chat does, and shows delivery counts.
"""
from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from multidict import MultiDictProxy
from sqlmodel import select

from bot.console.common import SETTINGS, STORAGE, csv_response, render, staff_of, wants_csv
from bot.outbound.stream import OutboundStream
from handlers.notices import BODY_MAX, TITLE_MAX
from handlers.texts import console as texts
from models.clock import utcnow
from models.db import transaction
from models.notices import Notice, create_notice, delivery_counts, may_send, parse_quiet_hours, related_unit_ids
from models.org import OrgLevel, OrgUnit
from models.subscriptions import TOPICS, recipients

CSV_HEADER = ("编号", "标题", "范围", "主题", "紧急", "接收人数", "状态", "发送时间")


@dataclass(frozen=True)
class Draft:
    unit_id: int
    title: str
    body: str
    tags: tuple[str, ...]
    urgent: bool


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


def _draft(form: MultiDictProxy) -> Draft | str:
    """The form as a draft, or what is wrong with it (in the words chat uses for the same limits)."""
    unit, title, body = str(form.get("unit", "")), str(form.get("title", "")).strip(), str(form.get("body", "")).strip()
    tags = tuple(str(tag) for tag in form.getall("tags", []))
    if not unit.isdigit() or not title or not body:
        return texts.BROADCAST_INCOMPLETE
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        return texts.BROADCAST_TOO_LONG.format(title=TITLE_MAX, body=BODY_MAX)
    if any(tag not in TOPICS for tag in tags):
        return texts.BROADCAST_BAD_TOPIC
    return Draft(int(unit), title, body, tags, form.get("urgent") == "1")


async def _checked(request: web.Request, session) -> tuple[Draft, OrgUnit] | str:
    draft = _draft(await request.post())
    if isinstance(draft, str):
        return draft
    staff = staff_of(request)
    unit = await session.get(OrgUnit, draft.unit_id)
    if unit is None or not staff.scope.covers(unit.id) or not await may_send(session, staff.user_id, unit.id):
        return texts.BROADCAST_NOT_HERE
    return draft, unit


async def preview(request: web.Request) -> web.Response:
    async with request.app[STORAGE].sessions() as session:
        checked = await _checked(request, session)
        if isinstance(checked, str):
            return await page(request, checked, _draft_or_none(await request.post()))
        draft, unit = checked
        audience = await recipients(session, await related_unit_ids(session, unit.id), list(draft.tags))
    return render(request, "broadcast_preview.html", draft=draft, unit=unit, count=len(audience))


def _draft_or_none(form: MultiDictProxy) -> Draft | None:
    unit = str(form.get("unit", ""))
    return Draft(int(unit) if unit.isdigit() else 0, str(form.get("title", "")), str(form.get("body", "")),
                 tuple(form.getall("tags", [])), form.get("urgent") == "1")


async def send(request: web.Request) -> web.Response:
    storage, settings = request.app[STORAGE], request.app[SETTINGS]
    async with transaction(storage.sessions) as session:
        checked = await _checked(request, session)
        if isinstance(checked, str):
            return await page(request, checked, _draft_or_none(await request.post()))
        draft, unit = checked
        notice = await create_notice(session, unit=unit, title=draft.title, body=draft.body, tags=list(draft.tags),
                                     urgent=draft.urgent, send_at=utcnow(), created_by=staff_of(request).user_id,
                                     quiet_hours=parse_quiet_hours(settings.quiet_hours))
    await OutboundStream(storage.redis, storage.keys).wake()  # after the commit: the worker must find the row
    raise web.HTTPSeeOther(f"/console/broadcasts/{notice.id}")


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
